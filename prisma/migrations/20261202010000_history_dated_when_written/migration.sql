-- Hand-written: no change to schema.prisma.

-- The ledger and the event history are read "as of" any instant by their "createdAt", so a
-- row dated earlier than it was written rewrites the past: a balanced LATE_FEE_WAIVER inserted
-- today but dated last month changed every as-of statement since (found by a stranger, as the
-- app's role). Rows were append-only, but their dates were whatever the writer said.

-- 1. A ledger transaction is dated by the database: "createdAt" is the start of the database
-- transaction that writes it (the column's default, which is all DirectPay ever writes).
CREATE FUNCTION "ledger_transaction_dated_now"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW."createdAt" IS DISTINCT FROM now()::timestamptz(3) THEN
    RAISE EXCEPTION 'a ledger transaction is dated when it is written (%), not %', now()::timestamptz(3), NEW."createdAt"
      USING ERRCODE = 'P0001', HINT = 'leave "createdAt" to its default; a correction is a new ledger transaction';
  END IF;
  RETURN NEW;
END
$$;
CREATE TRIGGER "LedgerTransaction_dated_now" BEFORE INSERT ON "LedgerTransaction"
  FOR EACH ROW EXECUTE FUNCTION "ledger_transaction_dated_now"();

-- 2. An event is dated by the app (its date is hashed into the chain before the insert), so the
-- database allows the app's clock a minute either side of its own — app and database hosts
-- keep time by NTP — and an event follows its chain: the previous event of its aggregate
-- exists, is the one its "prevHash" names, and is not dated later. Checked after the statement
-- so a batch of several events for one aggregate (a lease and its installments) sees its own
-- earlier rows in any order.
CREATE FUNCTION "event_follows_its_chain"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  previous record;
BEGIN
  IF NEW."createdAt" < now() - interval '1 minute' OR NEW."createdAt" > clock_timestamp() + interval '1 minute' THEN
    RAISE EXCEPTION 'event % of % % is dated %, not when it is written (%)', NEW.sequence, NEW."aggregateType", NEW."aggregateId", NEW."createdAt", now()::timestamptz(3)
      USING ERRCODE = 'P0001', HINT = 'date an event when it is written; the app''s and the database''s clocks must agree within a minute';
  END IF;
  IF NEW.sequence > 1 THEN
    SELECT e.hash, e."createdAt" INTO previous FROM "Event" e
      WHERE e."aggregateType" = NEW."aggregateType" AND e."aggregateId" = NEW."aggregateId" AND e.sequence = NEW.sequence - 1;
    IF NOT FOUND OR previous.hash IS DISTINCT FROM NEW."prevHash" THEN
      RAISE EXCEPTION 'event % of % % does not follow its chain (its previous hash is not event %''s)', NEW.sequence, NEW."aggregateType", NEW."aggregateId", NEW.sequence - 1
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
CREATE TRIGGER "Event_follows_its_chain" AFTER INSERT ON "Event"
  FOR EACH ROW EXECUTE FUNCTION "event_follows_its_chain"();

-- Names resolved as the other rules' are (20261201060000_rules_search_path).
DO $$
BEGIN
  EXECUTE format('ALTER FUNCTION %I.ledger_transaction_dated_now() SET search_path = %I, pg_catalog, pg_temp', current_schema(), current_schema());
  EXECUTE format('ALTER FUNCTION %I.event_follows_its_chain() SET search_path = %I, pg_catalog, pg_temp', current_schema(), current_schema());
END
$$;
