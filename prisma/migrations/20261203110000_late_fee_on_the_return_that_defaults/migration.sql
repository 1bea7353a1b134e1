-- Hand-written: no change to schema.prisma.

-- A return charges the late fee of the installment it leaves unpaid when that installment is
-- overdue (postReturn → chargeLateFeeIfLate, while the lease is ACTIVE), and, when it is the
-- third failure in a row, defaults the lease in the same transaction (defaultLeaseIfFailing).
-- ledger_check_posting, deferred to the commit, then read the lease DEFAULTED and refused the
-- fee, so the whole return rolled back; each retry did the same until the return window closed,
-- and the bank's return was never recorded: the payment stayed COMPLETED (found by a stranger).
-- A late fee is now also accepted on a lease DEFAULTED by the same database transaction (its row
-- version is this transaction's: xmin, not forgeable), which is the return that defaults it; on
-- a lease defaulted before, it is refused as before (a stranger's finding of 20261202100000: the
-- payoff quote then asked the renter for it). The other conditions stay: an unpaid installment,
-- no payment paying it, the amount its terms say.
-- ledger_check_posting as 20261202140000 wrote it, with that one condition changed.
CREATE OR REPLACE FUNCTION "ledger_check_posting"(tx_id BIGINT) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  lease_written_now boolean;
  t record;
  debit text;
  credit text;
  entry_count int;
  debits int;
  credits int;
  x bigint;
  expected bigint;
  original text;
  installment_status text;
  lease_status text;
  standing text;
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
    SELECT nullif("late_fee_cents"(i."amountCents", l."lateFeeFlatCents", l."lateFeeBasisPoints", l."lateFeeCapCents"), 0), i.status::text, l.status::text,
           l.xmin = pg_current_xact_id()::xid
      INTO expected, installment_status, lease_status, lease_written_now
      FROM "Installment" i JOIN "Lease" l ON l.id = i."leaseId" WHERE i.id = t."installmentId" AND i."leaseId" = t."leaseId";
    IF installment_status NOT IN ('DUE', 'FAILED') OR NOT (lease_status = 'ACTIVE' OR (lease_status = 'DEFAULTED' AND lease_written_now)) THEN
      RAISE EXCEPTION 'ledger transaction % (LATE_FEE) charges an installment that is % on a lease that is %: a late fee is owed only on an unpaid installment of an ACTIVE lease (or of one this transaction defaulted)', tx_id, installment_status, lease_status
        USING ERRCODE = 'P0001', HINT = 'server/domain/installment-state.ts decideInstallment (overdue) decides it';
    END IF;
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
  IF t.kind::text IN ('LATE_FEE', 'LATE_FEE_WAIVER') THEN
    standing := "installment_paid_or_on_its_way"(t."installmentId");
    IF standing IS NOT NULL THEN
      RAISE EXCEPTION 'ledger transaction % (%): its installment is %; a late fee is charged or waived only while no payment pays it', tx_id, t.kind, standing
        USING ERRCODE = 'P0001', HINT = 'server/domain/ledger.ts chargeLateFeeIfLate and waiveLateFee decide it';
    END IF;
  END IF;
  IF expected IS DISTINCT FROM x THEN
    RAISE EXCEPTION 'ledger transaction % (%) moves % cents where its source says %', tx_id, t.kind, x, coalesce(expected::text, 'nothing (no such source)')
      USING ERRCODE = 'P0001', HINT = 'post it as server/domain/ledger.ts postings does';
  END IF;
END
$$;

-- Names resolved as the other rules' are (20261201060000_rules_search_path); CREATE OR REPLACE
-- drops a function's settings.
DO $$
BEGIN
  EXECUTE format('ALTER FUNCTION %I.ledger_check_posting(bigint) SET search_path = %I, pg_catalog, pg_temp', current_schema(), current_schema());
END
$$;
