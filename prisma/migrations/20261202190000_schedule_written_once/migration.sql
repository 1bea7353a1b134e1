-- Hand-written: no change to schema.prisma.

-- A lease's schedule is written by one statement (20261202080000, "Installment_schedule_written_whole"),
-- but two statements inserting installments into one lease that had none, in two transactions
-- at once, each counted only its own rows and both committed: two schedules on one lease (an
-- open item of the last notes). The rule now locks the leases it writes to (FOR NO KEY UPDATE, in
-- id order) before counting, so the second waits for the first and then, counting afresh (READ
-- COMMITTED: a new snapshot per statement), finds the first's rows and refuses. lease.create
-- writes the lease and its schedule in one transaction: the lock is its own.
CREATE OR REPLACE FUNCTION "installment_schedule_written_whole"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  lease_id uuid;
BEGIN
  PERFORM 1 FROM "Lease" l WHERE l.id IN (SELECT DISTINCT "leaseId" FROM new_rows) ORDER BY l.id FOR NO KEY UPDATE;
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

-- CREATE OR REPLACE drops a function's settings: names resolved as the other rules' are
-- (20261201060000_rules_search_path).
DO $$
BEGIN
  EXECUTE format('ALTER FUNCTION %I.installment_schedule_written_whole() SET search_path = %I, pg_catalog, pg_temp', current_schema(), current_schema());
END
$$;
