-- Hand-written: no change to schema.prisma.

-- The sources the ledger's posting rule trusts are themselves checked (found by a stranger, as
-- the app's role; 20261202050000 took each posting's amount from its source row, and these rows
-- could say anything):

-- 1. A late fee is the lease's late fee on the installment, as server/domain/schedule.ts
-- lateFeeCents states it: flat + floor((2 × amount × basis points + 10,000) / 20,000), capped;
-- on an installment of the same lease. A LATE_FEE of 99,999,999 cents on a lease with no late-fee
-- terms was accepted and the renter owed it. late_fee_cents is that formula (all integers, none
-- negative, so integer division is the floor); database-rules.test checks it against
-- lateFeeCents over random terms.
CREATE FUNCTION "late_fee_cents"(amount_cents bigint, flat_cents bigint, basis_points bigint, cap_cents bigint) RETURNS bigint
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN least(coalesce(flat_cents, 0) + (2 * amount_cents * coalesce(basis_points, 0) + 10000) / 20000, coalesce(cap_cents, 9223372036854775807));

CREATE OR REPLACE FUNCTION "ledger_check_posting"(tx_id BIGINT) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  t record;
  debit text;
  credit text;
  entry_count int;
  debits int;
  credits int;
  x bigint;
  expected bigint;
  original text;
BEGIN
  SELECT * INTO t FROM "LedgerTransaction" WHERE id = tx_id;
  IF NOT FOUND THEN
    RETURN;
  END IF;
  SELECT a.debit, a.credit, a.original INTO debit, credit, original FROM (VALUES
    ('CHARGE', 'RENTER_RECEIVABLE', 'LANDLORD_PAYABLE', NULL),
    ('LATE_FEE', 'RENTER_RECEIVABLE', 'LATE_FEE_INCOME', NULL),
    ('LATE_FEE_WAIVER', 'LATE_FEE_INCOME', 'RENTER_RECEIVABLE', 'LATE_FEE'),
    ('PAYMENT_SUBMITTED', 'CASH_IN_TRANSIT', 'RENTER_RECEIVABLE', NULL),
    ('PAYMENT_CANCELLED', 'RENTER_RECEIVABLE', 'CASH_IN_TRANSIT', 'PAYMENT_SUBMITTED'),
    ('PAYMENT_FAILED', 'RENTER_RECEIVABLE', 'CASH_IN_TRANSIT', 'PAYMENT_SUBMITTED'),
    ('PAYMENT_SETTLED', 'LANDLORD_PAID', 'CASH_IN_TRANSIT', 'PAYMENT_SUBMITTED'),
    ('FEE', 'DIRECTPAY_CASH', 'FEE_INCOME', NULL),
    ('PAYMENT_RETURNED', 'RENTER_RECEIVABLE', 'LANDLORD_PAID', 'PAYMENT_SETTLED'),
    ('FEE_REFUND', 'FEE_INCOME', 'DIRECTPAY_CASH', 'FEE'),
    ('PAYOFF_DISCOUNT', 'LANDLORD_PAYABLE', 'RENTER_RECEIVABLE', NULL),
    ('PAYOFF_DISCOUNT_REVERSED', 'RENTER_RECEIVABLE', 'LANDLORD_PAYABLE', 'PAYOFF_DISCOUNT')
  ) AS a(kind, debit, credit, original) WHERE a.kind = t.kind::text;

  SELECT count(*), count(*) FILTER (WHERE e.account::text = debit AND e."amountCents" > 0),
         count(*) FILTER (WHERE e.account::text = credit AND e."amountCents" < 0),
         sum(e."amountCents") FILTER (WHERE e.account::text = debit)
    INTO entry_count, debits, credits, x
    FROM "LedgerEntry" e WHERE e."transactionId" = tx_id;
  IF entry_count <> 2 OR debits <> 1 OR credits <> 1 THEN
    RAISE EXCEPTION 'ledger transaction % (%) is not its posting: % up and % down by the same amount, and nothing else', tx_id, t.kind, debit, credit
      USING ERRCODE = 'P0001', HINT = 'post it as server/domain/ledger.ts postings does';
  END IF;

  IF original IS NOT NULL THEN
    SELECT sum(e."amountCents") FILTER (WHERE e."amountCents" > 0) INTO expected
      FROM "LedgerTransaction" o JOIN "LedgerEntry" e ON e."transactionId" = o.id
      WHERE o.kind::text = original AND o."leaseId" = t."leaseId" AND o."paymentId" IS NOT DISTINCT FROM t."paymentId"
        AND o."installmentId" IS NOT DISTINCT FROM t."installmentId";
  ELSIF t.kind::text = 'CHARGE' THEN
    SELECT i."amountCents" INTO expected FROM "Installment" i WHERE i.id = t."installmentId" AND i."leaseId" = t."leaseId";
  ELSIF t.kind::text = 'LATE_FEE' THEN
    SELECT nullif("late_fee_cents"(i."amountCents", l."lateFeeFlatCents", l."lateFeeBasisPoints", l."lateFeeCapCents"), 0) INTO expected
      FROM "Installment" i JOIN "Lease" l ON l.id = i."leaseId" WHERE i.id = t."installmentId" AND i."leaseId" = t."leaseId";
  ELSIF t.kind::text = 'PAYMENT_SUBMITTED' THEN
    SELECT CASE WHEN p.kind::text = 'PAYOFF'
                THEN (SELECT pi."rentCents" + pi."lateFeeCents" - pi."discountCents" FROM "PayoffInstallment" pi WHERE pi."paymentId" = p.id AND pi."installmentId" = t."installmentId")
                WHEN p."installmentId" = t."installmentId" THEN p."amountCents" END
      INTO expected FROM "Payment" p WHERE p.id = t."paymentId" AND p."leaseId" = t."leaseId";
  ELSIF t.kind::text = 'FEE' THEN
    SELECT p."feeCents" INTO expected FROM "Payment" p WHERE p.id = t."paymentId" AND p."leaseId" = t."leaseId" AND p."installmentId" = t."installmentId";
  ELSIF t.kind::text = 'PAYOFF_DISCOUNT' THEN
    SELECT pi."discountCents" INTO expected FROM "PayoffInstallment" pi JOIN "Payment" p ON p.id = pi."paymentId"
      WHERE pi."paymentId" = t."paymentId" AND pi."installmentId" = t."installmentId" AND p."leaseId" = t."leaseId";
  END IF;
  IF expected IS DISTINCT FROM x THEN
    RAISE EXCEPTION 'ledger transaction % (%) moves % cents where its source says %', tx_id, t.kind, x, coalesce(expected::text, 'nothing (no such source)')
      USING ERRCODE = 'P0001', HINT = 'post it as server/domain/ledger.ts postings does';
  END IF;
END
$$;

-- 2. A submission ends once: cancelled, failed or settled, one of the three, per payment and
-- installment. 20261202040000 checked it with EXISTS, which two concurrent transactions both
-- pass (one posted PAYMENT_CANCELLED, the other PAYMENT_SETTLED; both committed: the renter owed
-- the rent again and the landlord was paid it). A unique index holds under any concurrency and
-- isolation level.
CREATE UNIQUE INDEX "LedgerTransaction_one_end_per_submission" ON "LedgerTransaction" ("paymentId", "installmentId") NULLS NOT DISTINCT
  WHERE kind IN ('PAYMENT_CANCELLED', 'PAYMENT_FAILED', 'PAYMENT_SETTLED');

-- 3. A lease's schedule is written whole, by one statement, when the lease is offered
-- (server/domain/leases.ts, insertRows). An installment of 99,999,999 cents added to an existing
-- lease was accepted, charged, and shown to the renter as overdue. Every installment of a lease a
-- statement inserts into must be one of that statement's rows.
CREATE FUNCTION "installment_schedule_written_whole"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  lease_id uuid;
BEGIN
  SELECT n."leaseId" INTO lease_id FROM (SELECT "leaseId", count(*) AS written FROM new_rows GROUP BY "leaseId") n
    WHERE (SELECT count(*) FROM "Installment" i WHERE i."leaseId" = n."leaseId") <> n.written
    LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'lease % has its schedule already: installments are written with their lease, all at once', lease_id
      USING ERRCODE = 'P0001', HINT = 'a new schedule is a new lease';
  END IF;
  RETURN NULL;
END
$$;
CREATE TRIGGER "Installment_schedule_written_whole" AFTER INSERT ON "Installment"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "installment_schedule_written_whole"();

-- 4. A payoff's part is the installment as it stands (server/domain/payoff.ts computePayoff):
-- of a PAYOFF payment of the same lease; its rent the installment's amount; its late fee what the
-- ledger holds for the installment (late fees less waivers); its discount 0 to its rent; and the
-- payoff's discounts together at most the lease's rate on the rent covered
-- (server/domain/payoff-rules.ts payoffDiscountCents: floor(rent × basis points / 10,000)). A
-- part of 150,000 rent with a 149,999 discount at 2 %, or of 1 cent of rent for a 150,000
-- installment, was accepted and settled, with the reconciliation clean.
CREATE FUNCTION "payoff_part_is_the_installment"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  payoff record;
  rent bigint;
  fee bigint;
  discounts bigint;
  rents bigint;
BEGIN
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
CREATE TRIGGER "PayoffInstallment_is_the_installment" AFTER INSERT ON "PayoffInstallment"
  FOR EACH ROW EXECUTE FUNCTION "payoff_part_is_the_installment"();

-- Names resolved as the other rules' are (20261201060000_rules_search_path); CREATE OR REPLACE
-- drops a function's settings.
DO $$
BEGIN
  EXECUTE format('ALTER FUNCTION %I.late_fee_cents(bigint, bigint, bigint, bigint) SET search_path = %I, pg_catalog, pg_temp', current_schema(), current_schema());
  EXECUTE format('ALTER FUNCTION %I.ledger_check_posting(bigint) SET search_path = %I, pg_catalog, pg_temp', current_schema(), current_schema());
  EXECUTE format('ALTER FUNCTION %I.installment_schedule_written_whole() SET search_path = %I, pg_catalog, pg_temp', current_schema(), current_schema());
  EXECUTE format('ALTER FUNCTION %I.payoff_part_is_the_installment() SET search_path = %I, pg_catalog, pg_temp', current_schema(), current_schema());
END
$$;

-- 5. Who a user is — their email and role — never changes: DirectPay has no way to change either.
-- The invited-renter rule (20261202060000) reads them when a lease's renter is set, and the app's
-- role could change them around it (found by a stranger: an attacker's email set to the invited
-- address, the lease's renter set to them, the email set back; a landlord made a RENTER for the
-- moment). Now that rule's inputs are fixed.
CREATE FUNCTION "user_identity_is_fixed"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF (NEW.id, NEW.email, NEW.role, NEW."createdAt") IS DISTINCT FROM (OLD.id, OLD.email, OLD.role, OLD."createdAt") THEN
    RAISE EXCEPTION 'user %''s email and role are fixed (a different person is a new account)', OLD.id
      USING ERRCODE = 'P0001', HINT = 'only the name, password, verification and mail settings change';
  END IF;
  RETURN NEW;
END
$$;
CREATE TRIGGER "User_identity_is_fixed" BEFORE UPDATE ON "User"
  FOR EACH ROW EXECUTE FUNCTION "user_identity_is_fixed"();
DO $$
BEGIN
  EXECUTE format('ALTER FUNCTION %I.user_identity_is_fixed() SET search_path = %I, pg_catalog, pg_temp', current_schema(), current_schema());
END
$$;
