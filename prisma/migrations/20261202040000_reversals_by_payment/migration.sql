-- Hand-written: no change to schema.prisma.

-- The rule of 20261202020000 ("a reversal follows its original", for the same installment and
-- payment) refused a legitimate early payoff: the discount is taken off the last installments
-- first, so a covered installment's part can be exactly zero, and a zero part posts nothing —
-- no PAYMENT_SETTLED for that installment — while its PAYOFF_DISCOUNT still posts. Such a payoff
-- (20 % over 5 months; even the default 2 % over 60) could never settle (found by a stranger).
-- A payment's postings now follow their original for the same payment, whatever the
-- installment; the late fee's waiver and a discount's reversal keep matching per installment
-- (each exists exactly where its original does). Also found: an original filed under another
-- lease satisfied the rule (a waiver filed under lease B for lease A's fee), and one submission
-- could be cancelled, failed and settled at once. The original must now be of the same lease,
-- and a payment's part is cancelled, failed or settled, one of the three.
CREATE OR REPLACE FUNCTION "ledger_reversal_follows_its_original"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  original text;
  per_installment boolean;
BEGIN
  original := CASE NEW.kind::text
    WHEN 'LATE_FEE_WAIVER' THEN 'LATE_FEE'
    WHEN 'PAYMENT_CANCELLED' THEN 'PAYMENT_SUBMITTED'
    WHEN 'PAYMENT_FAILED' THEN 'PAYMENT_SUBMITTED'
    WHEN 'PAYMENT_SETTLED' THEN 'PAYMENT_SUBMITTED'
    WHEN 'PAYMENT_RETURNED' THEN 'PAYMENT_SETTLED'
    WHEN 'FEE' THEN 'PAYMENT_SETTLED'
    WHEN 'PAYOFF_DISCOUNT' THEN 'PAYMENT_SETTLED'
    WHEN 'FEE_REFUND' THEN 'FEE'
    WHEN 'PAYOFF_DISCOUNT_REVERSED' THEN 'PAYOFF_DISCOUNT'
  END;
  per_installment := NEW.kind::text IN ('LATE_FEE_WAIVER', 'PAYOFF_DISCOUNT_REVERSED');
  IF original IS NOT NULL AND NOT EXISTS (
    SELECT 1 FROM "LedgerTransaction" t
    WHERE t.kind::text = original AND t."leaseId" = NEW."leaseId" AND t."paymentId" IS NOT DISTINCT FROM NEW."paymentId"
      AND (NOT per_installment OR t."installmentId" IS NOT DISTINCT FROM NEW."installmentId")
  ) THEN
    RAISE EXCEPTION 'a % follows its % (lease %, installment %, payment %), which the ledger does not hold', NEW.kind, original, NEW."leaseId", NEW."installmentId", NEW."paymentId"
      USING ERRCODE = 'P0001';
  END IF;
  IF NEW.kind::text IN ('PAYMENT_CANCELLED', 'PAYMENT_FAILED', 'PAYMENT_SETTLED') AND EXISTS (
    SELECT 1 FROM "LedgerTransaction" t
    WHERE t."paymentId" = NEW."paymentId" AND t."installmentId" IS NOT DISTINCT FROM NEW."installmentId"
      AND t.kind::text IN ('PAYMENT_CANCELLED', 'PAYMENT_FAILED', 'PAYMENT_SETTLED') AND t.kind <> NEW.kind
  ) THEN
    RAISE EXCEPTION 'payment % (installment %) is already cancelled, failed or settled in the ledger: not also %', NEW."paymentId", NEW."installmentId", NEW.kind
      USING ERRCODE = 'P0001';
  END IF;
  RETURN NEW;
END
$$;

-- Names resolved as the other rules' are (20261201060000_rules_search_path); CREATE OR REPLACE
-- drops a function's settings.
DO $$
BEGIN
  EXECUTE format('ALTER FUNCTION %I.ledger_reversal_follows_its_original() SET search_path = %I, pg_catalog, pg_temp', current_schema(), current_schema());
END
$$;
