-- Hand-written: no change to schema.prisma.

-- Three gaps in 20261202010000_history_dated_when_written, found by a stranger as the app's role.

-- 1. "When it is written" was the start of the database transaction (now()), and nothing bounds
-- how long a transaction stays open: one begun at a month's end and written to later dated its
-- rows at the month's end, and the as-of ledger and replay of that instant changed after the
-- fact (audit clean). A ledger transaction is still dated by its database transaction's start,
-- so all of one transaction's postings share a date, but that start may now be at most a minute
-- before the write (clock_timestamp()); an event is dated within a minute of the moment it is
-- written, no longer of the transaction's start. (A transaction held open after its writes, until
-- commit, is not bounded by a row rule: README "Audit and exports" says what that leaves.)
-- The bound, in one place: the most a history row's date may be from the moment it is written.
CREATE FUNCTION "history_write_window"() RETURNS interval LANGUAGE sql STABLE AS $$ SELECT interval '1 minute' $$;

CREATE OR REPLACE FUNCTION "ledger_transaction_dated_now"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW."createdAt" IS DISTINCT FROM now()::timestamptz(3) OR now() < clock_timestamp() - history_write_window() THEN
    RAISE EXCEPTION 'a ledger transaction is dated when it is written, by a database transaction begun at most a minute before (%), not %', now()::timestamptz(3), NEW."createdAt"
      USING ERRCODE = 'P0001', HINT = 'leave "createdAt" to its default, in a short transaction; a correction is a new ledger transaction';
  END IF;
  RETURN NEW;
END
$$;

CREATE OR REPLACE FUNCTION "event_follows_its_chain"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  previous record;
BEGIN
  IF NEW."createdAt" < clock_timestamp() - history_write_window() OR NEW."createdAt" > clock_timestamp() + history_write_window() THEN
    RAISE EXCEPTION 'event % of % % is dated %, not when it is written (%)', NEW.sequence, NEW."aggregateType", NEW."aggregateId", NEW."createdAt", clock_timestamp()::timestamptz(3)
      USING ERRCODE = 'P0001', HINT = 'date an event when it is written; the app''s and the database''s clocks must agree within a minute';
  END IF;
  IF NEW.sequence > 1 THEN
    SELECT e.hash, e."createdAt" INTO previous FROM "Event" e
      WHERE e."aggregateType" = NEW."aggregateType" AND e."aggregateId" = NEW."aggregateId" AND e.sequence = NEW.sequence - 1;
    IF NOT FOUND OR previous.hash IS DISTINCT FROM NEW."prevHash" THEN
      RAISE EXCEPTION 'event % of % % does not follow its chain (its previous hash is not that of event %, as this transaction sees it)', NEW.sequence, NEW."aggregateType", NEW."aggregateId", NEW.sequence - 1
        USING ERRCODE = 'P0001';
    END IF;
    IF previous."createdAt" > NEW."createdAt" THEN
      RAISE EXCEPTION 'event % of % % is dated %, before the event it follows (%)', NEW.sequence, NEW."aggregateType", NEW."aggregateId", NEW."createdAt", previous."createdAt"
        USING ERRCODE = 'P0001';
    END IF;
  END IF;
  RETURN NULL;
END
$$;

-- 2. A ledger entry's own "createdAt" was unchecked (no reader uses it; 1970 and infinity were
-- accepted). It is its ledger transaction's date, as the entry is written with it.
CREATE OR REPLACE FUNCTION "ledger_entry_with_its_transaction"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  written_by xid;
BEGIN
  SELECT t.xmin INTO written_by FROM "LedgerTransaction" t WHERE t.id = NEW."transactionId";
  -- A transaction that does not exist is the foreign key's to refuse.
  IF FOUND AND written_by <> pg_current_xact_id()::xid THEN
    RAISE EXCEPTION 'ledger transaction % was written earlier: its entries are fixed (a correction is a new ledger transaction)', NEW."transactionId"
      USING ERRCODE = 'P0001', HINT = 'insert a ledger transaction and its entries in one database transaction';
  END IF;
  IF NEW."createdAt" IS DISTINCT FROM now()::timestamptz(3) THEN
    RAISE EXCEPTION 'a ledger entry is dated with its ledger transaction (%), not %', now()::timestamptz(3), NEW."createdAt"
      USING ERRCODE = 'P0001', HINT = 'leave "createdAt" to its default';
  END IF;
  RETURN NEW;
END
$$;

-- 3. A reversal follows what it reverses: a LATE_FEE_WAIVER was accepted on an installment never
-- charged a late fee (its entries balanced), crediting the renter with a fee nobody owed. Each
-- kind that reverses or completes another now needs that other, for the same installment and
-- payment: a waiver its late fee; a payment's cancellation, failure or settlement its
-- submission; its return, fee and payoff discount its settlement; a fee refund its fee; a
-- discount's reversal its discount. (Amounts are the balance check's and the audit's.)
CREATE FUNCTION "ledger_reversal_follows_its_original"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  original text;
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
  IF original IS NOT NULL AND NOT EXISTS (
    SELECT 1 FROM "LedgerTransaction" t
    WHERE t.kind::text = original AND t."installmentId" IS NOT DISTINCT FROM NEW."installmentId" AND t."paymentId" IS NOT DISTINCT FROM NEW."paymentId"
  ) THEN
    RAISE EXCEPTION 'a % follows its % (installment %, payment %), which the ledger does not hold', NEW.kind, original, NEW."installmentId", NEW."paymentId"
      USING ERRCODE = 'P0001';
  END IF;
  RETURN NEW;
END
$$;
CREATE TRIGGER "LedgerTransaction_reversal_follows_its_original" BEFORE INSERT ON "LedgerTransaction"
  FOR EACH ROW EXECUTE FUNCTION "ledger_reversal_follows_its_original"();

-- Names resolved as the other rules' are (20261201060000_rules_search_path); CREATE OR REPLACE
-- drops a function's settings.
DO $$
BEGIN
  EXECUTE format('ALTER FUNCTION %I.ledger_transaction_dated_now() SET search_path = %I, pg_catalog, pg_temp', current_schema(), current_schema());
  EXECUTE format('ALTER FUNCTION %I.event_follows_its_chain() SET search_path = %I, pg_catalog, pg_temp', current_schema(), current_schema());
  EXECUTE format('ALTER FUNCTION %I.ledger_entry_with_its_transaction() SET search_path = %I, pg_catalog, pg_temp', current_schema(), current_schema());
  EXECUTE format('ALTER FUNCTION %I.history_write_window() SET search_path = %I, pg_catalog, pg_temp', current_schema(), current_schema());
  EXECUTE format('ALTER FUNCTION %I.ledger_reversal_follows_its_original() SET search_path = %I, pg_catalog, pg_temp', current_schema(), current_schema());
END
$$;
