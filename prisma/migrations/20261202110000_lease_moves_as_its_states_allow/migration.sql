-- Hand-written: no change to schema.prisma.

-- A lease moves only as its states allow (server/domain/lease-state.ts LEASE_TRANSITIONS):
-- PENDING → ACTIVE, CANCELLED or DECLINED; ACTIVE → COMPLETED or DEFAULTED; COMPLETED → ACTIVE
-- (reopened: a payment that completed it was returned). The app's role could move an ACTIVE lease
-- back to PENDING, or revive a cancelled one (found by a stranger). Late fees, charges and the
-- renter's rule read the status, so it is a fact the database keeps. lease_may_move is that table;
-- database-rules.test holds it equal to LEASE_TRANSITIONS for every pair.
CREATE FUNCTION "lease_may_move"(from_status text, to_status text) RETURNS boolean
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN (from_status, to_status) IN (('PENDING', 'ACTIVE'), ('PENDING', 'CANCELLED'), ('PENDING', 'DECLINED'), ('ACTIVE', 'COMPLETED'), ('ACTIVE', 'DEFAULTED'), ('COMPLETED', 'ACTIVE'));

CREATE FUNCTION "lease_moves_as_its_states_allow"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.status IS DISTINCT FROM OLD.status AND NOT "lease_may_move"(OLD.status::text, NEW.status::text) THEN
    RAISE EXCEPTION 'lease % cannot move from % to %', OLD.id, OLD.status, NEW.status
      USING ERRCODE = 'P0001', HINT = 'PENDING → ACTIVE | CANCELLED | DECLINED; ACTIVE → COMPLETED | DEFAULTED; COMPLETED → ACTIVE';
  END IF;
  RETURN NEW;
END
$$;
CREATE TRIGGER "Lease_moves_as_its_states_allow" BEFORE UPDATE OF status ON "Lease"
  FOR EACH ROW EXECUTE FUNCTION "lease_moves_as_its_states_allow"();

-- Names resolved as the other rules' are (20261201060000_rules_search_path).
DO $$
BEGIN
  EXECUTE format('ALTER FUNCTION %I.lease_may_move(text, text) SET search_path = %I, pg_catalog, pg_temp', current_schema(), current_schema());
  EXECUTE format('ALTER FUNCTION %I.lease_moves_as_its_states_allow() SET search_path = %I, pg_catalog, pg_temp', current_schema(), current_schema());
END
$$;
