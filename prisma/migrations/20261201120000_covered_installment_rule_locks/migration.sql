-- Hand-written: no change to schema.prisma.

-- The covered-installment rule (20261129150000_payoff, 20261201070000_payoff_installment_rule)
-- checked other payments with EXISTS and no lock. The app takes the lease's lock before it
-- settles anything, so its own writers never overlapped; but two transactions that did not
-- (a payoff and a direct payment of one of its installments, each completed by another
-- writer at the same moment) each passed before the other committed, and both committed.
-- Each check now first locks the installments it is about (in id order, FOR NO KEY UPDATE:
-- it does not block the foreign-key checks of inserted payments), so the second waits for the
-- first to commit and then, reading afresh (READ COMMITTED: a new snapshot per statement),
-- sees it and refuses.
CREATE OR REPLACE FUNCTION "payment_one_completed_per_covered_installment"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM 1 FROM "Installment" i
    WHERE i.id = NEW."installmentId"
       OR i.id IN (SELECT pi."installmentId" FROM "PayoffInstallment" pi WHERE pi."paymentId" = NEW.id)
    ORDER BY i.id FOR NO KEY UPDATE;
  IF EXISTS (
    SELECT 1 FROM (
      SELECT NEW."installmentId" AS id
      UNION SELECT pi."installmentId" FROM "PayoffInstallment" pi WHERE pi."paymentId" = NEW.id
    ) mine
    WHERE EXISTS (SELECT 1 FROM "Payment" p WHERE p."installmentId" = mine.id AND p.status = 'COMPLETED' AND p.id <> NEW.id)
       OR EXISTS (SELECT 1 FROM "PayoffInstallment" pi JOIN "Payment" p ON p.id = pi."paymentId"
                  WHERE pi."installmentId" = mine.id AND p.status = 'COMPLETED' AND p.id <> NEW.id)
  ) THEN
    RAISE EXCEPTION 'installment already paid by another completed payment (payment %)', NEW.id
      USING ERRCODE = '23505', CONSTRAINT = 'Payment_one_completed_per_covered_installment';
  END IF;
  RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION "payoff_installment_one_completed"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM "Payment" p WHERE p.id = NEW."paymentId" AND p.status = 'COMPLETED') THEN
    PERFORM 1 FROM "Installment" i WHERE i.id = NEW."installmentId" FOR NO KEY UPDATE;
    IF EXISTS (SELECT 1 FROM "Payment" p WHERE p."installmentId" = NEW."installmentId" AND p.status = 'COMPLETED' AND p.id <> NEW."paymentId")
       OR EXISTS (SELECT 1 FROM "PayoffInstallment" pi JOIN "Payment" p ON p.id = pi."paymentId"
                  WHERE pi."installmentId" = NEW."installmentId" AND p.status = 'COMPLETED' AND p.id <> NEW."paymentId") THEN
      RAISE EXCEPTION 'installment already paid by another completed payment (payment %)', NEW."paymentId"
        USING ERRCODE = '23505', CONSTRAINT = 'Payment_one_completed_per_covered_installment';
    END IF;
  END IF;
  RETURN NULL;
END
$$;

-- CREATE OR REPLACE drops a function's settings: names resolved as the other rules' are
-- (20261201060000_rules_search_path).
DO $$
BEGIN
  EXECUTE format('ALTER FUNCTION %I.payment_one_completed_per_covered_installment() SET search_path = %I, pg_catalog, pg_temp', current_schema(), current_schema());
  EXECUTE format('ALTER FUNCTION %I.payoff_installment_one_completed() SET search_path = %I, pg_catalog, pg_temp', current_schema(), current_schema());
END
$$;
