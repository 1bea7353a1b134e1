-- Hand-written: no change to schema.prisma.

-- One completed payment per installment, an early payoff's covered installments included: the
-- rule on "Payment" runs when a payment is written or completes, so a covered installment added
-- to a payoff that has already completed escaped it (found by a stranger: as the app's role, a
-- "PayoffInstallment" row made a second completed payment for a paid installment). The same
-- rule now runs when a covered installment is written, against the payment it belongs to.
CREATE FUNCTION "payoff_installment_one_completed"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM "Payment" p WHERE p.id = NEW."paymentId" AND p.status = 'COMPLETED')
     AND (EXISTS (SELECT 1 FROM "Payment" p WHERE p."installmentId" = NEW."installmentId" AND p.status = 'COMPLETED' AND p.id <> NEW."paymentId")
          OR EXISTS (SELECT 1 FROM "PayoffInstallment" pi JOIN "Payment" p ON p.id = pi."paymentId"
                     WHERE pi."installmentId" = NEW."installmentId" AND p.status = 'COMPLETED' AND p.id <> NEW."paymentId")) THEN
    RAISE EXCEPTION 'installment already paid by another completed payment (payment %)', NEW."paymentId"
      USING ERRCODE = '23505', CONSTRAINT = 'Payment_one_completed_per_covered_installment';
  END IF;
  RETURN NULL;
END
$$;
DO $$
BEGIN
  -- Names resolved as the other rules' are (20261201060000_rules_search_path).
  EXECUTE format('ALTER FUNCTION %I.payoff_installment_one_completed() SET search_path = %I, pg_catalog, pg_temp', current_schema(), current_schema());
END
$$;
CREATE TRIGGER "PayoffInstallment_one_completed_per_covered_installment" AFTER INSERT OR UPDATE ON "PayoffInstallment"
  FOR EACH ROW EXECUTE FUNCTION "payoff_installment_one_completed"();
