-- Hand-written: no change to schema.prisma.

-- 1. Money is written at READ COMMITTED, the level DirectPay writes at. The rules that read other
-- rows (a payoff is the sum of its parts, one completed payment per covered installment, a late
-- fee only on an unpaid installment, the posting's sources) take a row lock and then read what
-- is committed; under REPEATABLE READ or SERIALIZABLE they read the transaction's older
-- snapshot instead, and a lock that only waited raises no serialization failure. So a payoff
-- submitted at REPEATABLE READ passed its sum check with a part committed after the snapshot
-- (300,000 submitted, 450,000 of parts posted), and a direct payment completed at REPEATABLE
-- READ beside a payoff that had just completed the same installment (paid twice) (found by a
-- stranger, as the app's role). One statement-level rule on every table whose rows they read
-- or write; the payoff part rule's own check (20261202090000) says the same for its table.
CREATE FUNCTION "money_is_written_at_read_committed"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF current_setting('transaction_isolation') <> 'read committed' THEN
    RAISE EXCEPTION '"%" is written at READ COMMITTED (this transaction is %)', TG_TABLE_NAME, current_setting('transaction_isolation')
      USING ERRCODE = 'P0001', HINT = 'the database''s rules read what other transactions have committed, not an earlier snapshot';
  END IF;
  RETURN NULL;
END
$$;
CREATE TRIGGER "Payment_written_at_read_committed" BEFORE INSERT OR UPDATE OR DELETE ON "Payment"
  FOR EACH STATEMENT EXECUTE FUNCTION "money_is_written_at_read_committed"();
CREATE TRIGGER "PayoffInstallment_written_at_read_committed" BEFORE INSERT OR UPDATE OR DELETE ON "PayoffInstallment"
  FOR EACH STATEMENT EXECUTE FUNCTION "money_is_written_at_read_committed"();
CREATE TRIGGER "Installment_written_at_read_committed" BEFORE INSERT OR UPDATE OR DELETE ON "Installment"
  FOR EACH STATEMENT EXECUTE FUNCTION "money_is_written_at_read_committed"();
CREATE TRIGGER "Lease_written_at_read_committed" BEFORE INSERT OR UPDATE OR DELETE ON "Lease"
  FOR EACH STATEMENT EXECUTE FUNCTION "money_is_written_at_read_committed"();
CREATE TRIGGER "LedgerTransaction_written_at_read_committed" BEFORE INSERT OR UPDATE OR DELETE ON "LedgerTransaction"
  FOR EACH STATEMENT EXECUTE FUNCTION "money_is_written_at_read_committed"();
CREATE TRIGGER "LedgerEntry_written_at_read_committed" BEFORE INSERT OR UPDATE OR DELETE ON "LedgerEntry"
  FOR EACH STATEMENT EXECUTE FUNCTION "money_is_written_at_read_committed"();

-- 2. A payment is written PENDING and a lease as an offer (PENDING, no renter yet), as
-- createPayment, payOff and createLease write them; every later state is reached through the
-- moves their states allow (Payment_moves_as_its_states_allow, Lease_moves_as_its_states_allow)
-- and the rules on them (a payoff's sum, the invited renter). Before, the app's role could insert
-- a PAYOFF of 1 cent already COMPLETED with no parts, an installment payment of 1 cent already
-- COMPLETED (the installment counted as paid), or a lease already ACTIVE with any renter (found
-- by a stranger).
CREATE FUNCTION "payment_is_written_pending"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.status <> 'PENDING' THEN
    RAISE EXCEPTION 'payment % is written PENDING, not %', NEW.id, NEW.status
      USING ERRCODE = 'P0001', HINT = 'a payment reaches its other states by the moves they allow (server/domain/payment-state.ts)';
  END IF;
  RETURN NEW;
END
$$;
CREATE TRIGGER "Payment_written_pending" BEFORE INSERT ON "Payment"
  FOR EACH ROW EXECUTE FUNCTION "payment_is_written_pending"();

CREATE FUNCTION "lease_is_written_as_an_offer"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.status <> 'PENDING' OR NEW."renterId" IS NOT NULL THEN
    RAISE EXCEPTION 'lease % is written PENDING with no renter (an offer), not % with renter %', NEW.id, NEW.status, coalesce(NEW."renterId"::text, 'none')
      USING ERRCODE = 'P0001', HINT = 'the invited renter becomes its renter by accepting it (server/domain/leases.ts)';
  END IF;
  RETURN NEW;
END
$$;
CREATE TRIGGER "Lease_written_as_an_offer" BEFORE INSERT ON "Lease"
  FOR EACH ROW EXECUTE FUNCTION "lease_is_written_as_an_offer"();

-- Names resolved as the other rules' are (20261201060000_rules_search_path).
DO $$
BEGIN
  EXECUTE format('ALTER FUNCTION %I.money_is_written_at_read_committed() SET search_path = %I, pg_catalog, pg_temp', current_schema(), current_schema());
  EXECUTE format('ALTER FUNCTION %I.payment_is_written_pending() SET search_path = %I, pg_catalog, pg_temp', current_schema(), current_schema());
  EXECUTE format('ALTER FUNCTION %I.lease_is_written_as_an_offer() SET search_path = %I, pg_catalog, pg_temp', current_schema(), current_schema());
END
$$;
