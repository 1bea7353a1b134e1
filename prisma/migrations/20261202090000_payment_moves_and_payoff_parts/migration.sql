-- Hand-written: no change to schema.prisma.

-- 1. A payment moves only as its states allow (server/domain/payment-state.ts
-- PAYMENT_TRANSITIONS): PENDING → PROCESSING or CANCELLED; PROCESSING → COMPLETED or FAILED;
-- COMPLETED → RETURNED (ACH). The app's role could move a COMPLETED payment back to PROCESSING,
-- which reopened the facts fixed at settlement: its return window was set to 2000-01-01 and
-- finality then completed the lease six days early (found by a stranger). payment_may_move is
-- that table; database-rules.test holds it equal to PAYMENT_TRANSITIONS for every pair.
CREATE FUNCTION "payment_may_move"(from_status text, to_status text) RETURNS boolean
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN (from_status, to_status) IN (('PENDING', 'PROCESSING'), ('PENDING', 'CANCELLED'), ('PROCESSING', 'COMPLETED'), ('PROCESSING', 'FAILED'), ('COMPLETED', 'RETURNED'));

CREATE FUNCTION "payment_moves_as_its_states_allow"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.status IS DISTINCT FROM OLD.status AND NOT "payment_may_move"(OLD.status::text, NEW.status::text) THEN
    RAISE EXCEPTION 'payment % cannot move from % to %', OLD.id, OLD.status, NEW.status
      USING ERRCODE = 'P0001', HINT = 'PENDING → PROCESSING | CANCELLED; PROCESSING → COMPLETED | FAILED; COMPLETED → RETURNED';
  END IF;
  RETURN NEW;
END
$$;
CREATE TRIGGER "Payment_moves_as_its_states_allow" BEFORE UPDATE OF status ON "Payment"
  FOR EACH ROW EXECUTE FUNCTION "payment_moves_as_its_states_allow"();

-- 2. A payoff's parts are checked one payoff at a time, on what is committed. The discount bound
-- of 20261202080000 took no lock, so two transactions each adding a part within the bound went
-- over it together (12,000 off 450,000 at 2 %); and under REPEATABLE READ a part could carry a
-- late fee waived since the transaction's snapshot (found by a stranger). The rule now locks the
-- payoff's row first (the parts of one payoff are written one transaction after another) and is
-- refused outside READ COMMITTED, the level DirectPay writes at, where each statement reads what
-- is committed.
CREATE OR REPLACE FUNCTION "payoff_part_is_the_installment"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  payoff record;
  rent bigint;
  fee bigint;
  discounts bigint;
  rents bigint;
BEGIN
  IF current_setting('transaction_isolation') <> 'read committed' THEN
    RAISE EXCEPTION 'a payoff''s parts are written at READ COMMITTED (this transaction is %)', current_setting('transaction_isolation')
      USING ERRCODE = 'P0001', HINT = 'the rule reads the installment and its late fee as committed';
  END IF;
  PERFORM 1 FROM "Payment" p WHERE p.id = NEW."paymentId" FOR UPDATE;
  SELECT p.kind::text AS kind, p."leaseId", l."payoffDiscountBasisPoints" AS bp INTO payoff
    FROM "Payment" p JOIN "Lease" l ON l.id = p."leaseId" WHERE p.id = NEW."paymentId";
  SELECT i."amountCents" INTO rent FROM "Installment" i WHERE i.id = NEW."installmentId" AND i."leaseId" = payoff."leaseId";
  SELECT coalesce(-sum(e."amountCents"), 0) INTO fee
    FROM "LedgerTransaction" t JOIN "LedgerEntry" e ON e."transactionId" = t.id
    WHERE t."installmentId" = NEW."installmentId" AND e.account = 'LATE_FEE_INCOME';
  IF payoff.kind IS DISTINCT FROM 'PAYOFF' OR rent IS NULL THEN
    RAISE EXCEPTION 'payment % is not a payoff of the lease installment % belongs to', NEW."paymentId", NEW."installmentId"
      USING ERRCODE = 'P0001', HINT = 'a payoff covers installments of its own lease';
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

-- Names resolved as the other rules' are (20261201060000_rules_search_path); CREATE OR REPLACE
-- drops a function's settings.
DO $$
BEGIN
  EXECUTE format('ALTER FUNCTION %I.payment_may_move(text, text) SET search_path = %I, pg_catalog, pg_temp', current_schema(), current_schema());
  EXECUTE format('ALTER FUNCTION %I.payment_moves_as_its_states_allow() SET search_path = %I, pg_catalog, pg_temp', current_schema(), current_schema());
  EXECUTE format('ALTER FUNCTION %I.payoff_part_is_the_installment() SET search_path = %I, pg_catalog, pg_temp', current_schema(), current_schema());
END
$$;
