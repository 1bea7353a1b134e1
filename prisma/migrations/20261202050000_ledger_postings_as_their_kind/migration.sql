-- Hand-written: no change to schema.prisma.

-- Each ledger transaction is the posting its kind says (server/domain/ledger.ts, the table at
-- its top), in accounts, signs and amount. Balanced entries were all the database asked, so the
-- app's role could post a negative LATE_FEE, or a LATE_FEE_WAIVER larger than its fee, and wipe
-- out rent: a renter paid $1.00 for a $1,500.00 installment with the reconciliation and the
-- audit clean (found by a stranger). Checked when the database transaction commits, like the
-- balance (deferred; also on each entry, for a session that makes constraints immediate):
--   exactly two entries: the kind's debit account up by x > 0, its credit account down by x;
--   x is what the kind's source says:
--     CHARGE                      the installment's amount
--     PAYMENT_SUBMITTED           the payment's amount; for a payoff, its part for the installment
--                                 (rent + late fee − discount, "PayoffInstallment")
--     FEE                         the payment's fee
--     PAYOFF_DISCOUNT             the payoff part's discount
--     a reversal or follower      its original's x, for the same payment and installment
--                                 (LATE_FEE_WAIVER its LATE_FEE; PAYMENT_CANCELLED, _FAILED and
--                                 _SETTLED the submission; PAYMENT_RETURNED the settlement;
--                                 FEE_REFUND the fee; PAYOFF_DISCOUNT_REVERSED the discount)
--     LATE_FEE                    any x > 0 (the lease's late-fee terms and the day decide it:
--                                 server/domain/schedule.ts lateFeeCents, stated once, there)
CREATE FUNCTION "ledger_check_posting"(tx_id BIGINT) RETURNS void LANGUAGE plpgsql AS $$
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
  ELSE
    expected := x; -- LATE_FEE: any positive amount
  END IF;
  IF expected IS DISTINCT FROM x THEN
    RAISE EXCEPTION 'ledger transaction % (%) moves % cents where its source says %', tx_id, t.kind, x, coalesce(expected::text, 'nothing (no such source)')
      USING ERRCODE = 'P0001', HINT = 'post it as server/domain/ledger.ts postings does';
  END IF;
END
$$;

CREATE FUNCTION "ledger_transaction_is_its_posting"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM "ledger_check_posting"(NEW."id");
  RETURN NULL;
END
$$;
CREATE FUNCTION "ledger_entry_is_its_posting"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM "ledger_check_posting"(NEW."transactionId");
  RETURN NULL;
END
$$;
CREATE CONSTRAINT TRIGGER "LedgerTransaction_is_its_posting" AFTER INSERT ON "LedgerTransaction"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "ledger_transaction_is_its_posting"();
CREATE CONSTRAINT TRIGGER "LedgerEntry_is_its_posting" AFTER INSERT ON "LedgerEntry"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "ledger_entry_is_its_posting"();

-- Names resolved as the other rules' are (20261201060000_rules_search_path).
DO $$
BEGIN
  EXECUTE format('ALTER FUNCTION %I.ledger_check_posting(bigint) SET search_path = %I, pg_catalog, pg_temp', current_schema(), current_schema());
  EXECUTE format('ALTER FUNCTION %I.ledger_transaction_is_its_posting() SET search_path = %I, pg_catalog, pg_temp', current_schema(), current_schema());
  EXECUTE format('ALTER FUNCTION %I.ledger_entry_is_its_posting() SET search_path = %I, pg_catalog, pg_temp', current_schema(), current_schema());
END
$$;
