-- Hand-written: no change to schema.prisma.

-- An installment's money is written one transaction after another, and a payment of it is its
-- rent and late fee. The late-fee rule (20261202140000) and the payoff part rule read what is
-- committed, but nothing made a writer wait for another still open: a waiver committed beside a
-- payoff carrying the fee, a fee beside a payoff or a payment without it, each accepted (the
-- renter charged a waived fee, or left owing one the payment ignored); and an installment
-- payment of 1 cent, or of 10,000,000 on 150,000 of rent, was accepted and completed (found by a
-- stranger, as the app's role). Now:
--   1. a payment, a payoff's part, and a late fee or its waiver lock their installment's row when
--      written (FOR UPDATE; the app already holds it, lease first: createPayment, payOff,
--      chargeLateFeeIfLate, waiveLateFee), so the rules of the later writer read the earlier's
--      committed rows;
--   2. an installment payment (kind INSTALLMENT) is written for the installment's amount plus its
--      late fee charged and not waived (createPayment: paymentSplit of the installment's amount and
--      lateFeeOfLedger), read after the lock.
CREATE FUNCTION "installment_locked"(installment_id uuid) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  PERFORM 1 FROM "Installment" WHERE id = installment_id FOR UPDATE;
END
$$;

CREATE FUNCTION "ledger_late_fee_locks_its_installment"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM "installment_locked"(NEW."installmentId");
  RETURN NEW;
END
$$;
CREATE TRIGGER "LedgerTransaction_late_fee_locks_its_installment" BEFORE INSERT ON "LedgerTransaction"
  FOR EACH ROW WHEN (NEW.kind IN ('LATE_FEE', 'LATE_FEE_WAIVER'))
  EXECUTE FUNCTION "ledger_late_fee_locks_its_installment"();

CREATE FUNCTION "payoff_part_locks_its_installment"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM "installment_locked"(NEW."installmentId");
  RETURN NEW;
END
$$;
CREATE TRIGGER "PayoffInstallment_locks_its_installment" BEFORE INSERT ON "PayoffInstallment"
  FOR EACH ROW EXECUTE FUNCTION "payoff_part_locks_its_installment"();

CREATE FUNCTION "payment_is_its_installment"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  rent bigint;
  fee bigint;
BEGIN
  PERFORM "installment_locked"(NEW."installmentId");
  IF NEW.kind = 'INSTALLMENT' THEN
    SELECT i."amountCents" INTO rent FROM "Installment" i WHERE i.id = NEW."installmentId" AND i."leaseId" = NEW."leaseId";
    SELECT coalesce(-sum(e."amountCents"), 0) INTO fee
      FROM "LedgerTransaction" t JOIN "LedgerEntry" e ON e."transactionId" = t.id
      WHERE t."installmentId" = NEW."installmentId" AND e.account = 'LATE_FEE_INCOME';
    IF rent IS NULL OR NEW."amountCents" <> rent + fee THEN
      RAISE EXCEPTION 'payment % of % cents for installment %, where the installment says % (rent %, late fee %)', NEW.id, NEW."amountCents", NEW."installmentId",
        coalesce((rent + fee)::text, 'nothing (not of its lease)'), coalesce(rent::text, '–'), fee
        USING ERRCODE = 'P0001', HINT = 'a payment is its installment''s rent and late fee as they stand (server/domain/payments.ts createPayment)';
    END IF;
  END IF;
  RETURN NEW;
END
$$;
CREATE TRIGGER "Payment_is_its_installment" BEFORE INSERT ON "Payment"
  FOR EACH ROW EXECUTE FUNCTION "payment_is_its_installment"();

-- Names resolved as the other rules' are (20261201060000_rules_search_path).
DO $$
BEGIN
  EXECUTE format('ALTER FUNCTION %I.installment_locked(uuid) SET search_path = %I, pg_catalog, pg_temp', current_schema(), current_schema());
  EXECUTE format('ALTER FUNCTION %I.ledger_late_fee_locks_its_installment() SET search_path = %I, pg_catalog, pg_temp', current_schema(), current_schema());
  EXECUTE format('ALTER FUNCTION %I.payoff_part_locks_its_installment() SET search_path = %I, pg_catalog, pg_temp', current_schema(), current_schema());
  EXECUTE format('ALTER FUNCTION %I.payment_is_its_installment() SET search_path = %I, pg_catalog, pg_temp', current_schema(), current_schema());
END
$$;
