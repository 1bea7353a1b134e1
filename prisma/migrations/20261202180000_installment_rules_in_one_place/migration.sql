-- Hand-written: no change to schema.prisma.

-- Read-through of the installment's rules (no rule changes; what each accepts and refuses is as
-- before):
--   1. An installment's late fee as the ledger holds it (fees charged less waivers) was written
--      out in two rules, the payoff part's and the installment payment's: it is now one function,
--      "installment_late_fee_cents" (the app's is lateFeeOfLedger, server/domain/ledger.ts).
--   2. The two trigger functions that only locked an installment (a late fee or waiver, a payoff
--      part; 20261202150000) were one body twice: one function, "locks_its_installment", serves
--      both triggers.
--   3. The payoff part rule checked the isolation level itself (20261202090000); the table-level
--      rule of 20261202130000 ("PayoffInstallment_written_at_read_committed") has refused the
--      same statements before it since, so the copy is gone.
-- "payoff_part_is_the_installment" and "payment_is_its_installment" are restated whole (this is
-- now their definition).
CREATE FUNCTION "installment_late_fee_cents"(installment_id uuid) RETURNS bigint
  LANGUAGE sql STABLE
  RETURN (
    SELECT coalesce(-sum(e."amountCents"), 0)
      FROM "LedgerTransaction" t JOIN "LedgerEntry" e ON e."transactionId" = t.id
     WHERE t."installmentId" = installment_id AND e.account = 'LATE_FEE_INCOME'
  );

CREATE OR REPLACE FUNCTION "payoff_part_is_the_installment"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  payoff record;
  rent bigint;
  fee bigint;
  discounts bigint;
  rents bigint;
BEGIN
  PERFORM 1 FROM "Payment" p WHERE p.id = NEW."paymentId" FOR UPDATE;
  SELECT p.kind::text AS kind, p.status::text AS status, p."leaseId", l."payoffDiscountBasisPoints" AS bp INTO payoff
    FROM "Payment" p JOIN "Lease" l ON l.id = p."leaseId" WHERE p.id = NEW."paymentId";
  SELECT i."amountCents" INTO rent FROM "Installment" i WHERE i.id = NEW."installmentId" AND i."leaseId" = payoff."leaseId";
  fee := "installment_late_fee_cents"(NEW."installmentId");
  IF payoff.kind IS DISTINCT FROM 'PAYOFF' OR rent IS NULL THEN
    RAISE EXCEPTION 'payment % is not a payoff of the lease installment % belongs to', NEW."paymentId", NEW."installmentId"
      USING ERRCODE = 'P0001', HINT = 'a payoff covers installments of its own lease';
  END IF;
  IF payoff.status <> 'PENDING' THEN
    RAISE EXCEPTION 'payoff % is %: its parts were fixed when it left PENDING', NEW."paymentId", payoff.status
      USING ERRCODE = 'P0001', HINT = 'a payoff''s parts are written with it (server/domain/payoff.ts)';
  END IF;
  IF NEW."rentCents" <> rent OR NEW."lateFeeCents" <> fee OR NEW."discountCents" < 0 OR NEW."discountCents" > rent THEN
    RAISE EXCEPTION 'payoff % part for installment %: rent %, late fee %, discount % where the installment says rent %, late fee %, discount 0 to its rent',
      NEW."paymentId", NEW."installmentId", NEW."rentCents", NEW."lateFeeCents", NEW."discountCents", rent, fee
      USING ERRCODE = 'P0001', HINT = 'a payoff''s parts are its installments as they stand (server/domain/payoff.ts)';
  END IF;
  SELECT sum(pi."discountCents"), sum(pi."rentCents") INTO discounts, rents FROM "PayoffInstallment" pi WHERE pi."paymentId" = NEW."paymentId";
  IF discounts > rents * payoff.bp / 10000 THEN
    RAISE EXCEPTION 'payoff % takes % cents off % cents of rent: more than the lease''s % basis points', NEW."paymentId", discounts, rents, payoff.bp
      USING ERRCODE = 'P0001', HINT = 'the discount is floor(rent × rate), server/domain/payoff-rules.ts';
  END IF;
  RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION "payment_is_its_installment"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  rent bigint;
  fee bigint;
BEGIN
  PERFORM "installment_locked"(NEW."installmentId");
  IF NEW.kind = 'INSTALLMENT' THEN
    SELECT i."amountCents" INTO rent FROM "Installment" i WHERE i.id = NEW."installmentId" AND i."leaseId" = NEW."leaseId";
    fee := "installment_late_fee_cents"(NEW."installmentId");
    IF rent IS NULL OR NEW."amountCents" <> rent + fee THEN
      RAISE EXCEPTION 'payment % of % cents for installment %, where the installment says % (rent %, late fee %)', NEW.id, NEW."amountCents", NEW."installmentId",
        coalesce((rent + fee)::text, 'nothing (not of its lease)'), coalesce(rent::text, '–'), fee
        USING ERRCODE = 'P0001', HINT = 'a payment is its installment''s rent and late fee as they stand (server/domain/payments.ts createPayment)';
    END IF;
  END IF;
  RETURN NEW;
END
$$;

CREATE FUNCTION "locks_its_installment"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM "installment_locked"(NEW."installmentId");
  RETURN NEW;
END
$$;
DROP TRIGGER "LedgerTransaction_late_fee_locks_its_installment" ON "LedgerTransaction";
CREATE TRIGGER "LedgerTransaction_late_fee_locks_its_installment" BEFORE INSERT ON "LedgerTransaction"
  FOR EACH ROW WHEN (NEW.kind IN ('LATE_FEE', 'LATE_FEE_WAIVER'))
  EXECUTE FUNCTION "locks_its_installment"();
DROP TRIGGER "PayoffInstallment_locks_its_installment" ON "PayoffInstallment";
CREATE TRIGGER "PayoffInstallment_locks_its_installment" BEFORE INSERT ON "PayoffInstallment"
  FOR EACH ROW EXECUTE FUNCTION "locks_its_installment"();
DROP FUNCTION "ledger_late_fee_locks_its_installment"();
DROP FUNCTION "payoff_part_locks_its_installment"();

-- Names resolved as the other rules' are (20261201060000_rules_search_path); CREATE OR REPLACE
-- drops a function's settings.
DO $$
BEGIN
  EXECUTE format('ALTER FUNCTION %I.installment_late_fee_cents(uuid) SET search_path = %I, pg_catalog, pg_temp', current_schema(), current_schema());
  EXECUTE format('ALTER FUNCTION %I.payoff_part_is_the_installment() SET search_path = %I, pg_catalog, pg_temp', current_schema(), current_schema());
  EXECUTE format('ALTER FUNCTION %I.payment_is_its_installment() SET search_path = %I, pg_catalog, pg_temp', current_schema(), current_schema());
  EXECUTE format('ALTER FUNCTION %I.locks_its_installment() SET search_path = %I, pg_catalog, pg_temp', current_schema(), current_schema());
END
$$;
