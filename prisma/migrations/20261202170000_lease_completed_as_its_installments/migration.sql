-- Hand-written: no change to schema.prisma.

-- A lease is COMPLETED ("paid in full") only when it is. The app's role could move a lease with
-- rent still owed to COMPLETED (the landlord's dashboard then counts it paid, the renter's
-- portal offers nothing to pay) and back to ACTIVE with nothing returned (found by strangers, as
-- the app's role); the rule was the app's alone (server/domain/settlement.ts
-- completeLeaseIfPaidAndFinal; returns.ts reopens a lease whose payment was returned). Now,
-- checked at commit:
--   1. a COMPLETED lease has every installment PAID or WAIVED and no completed payment still
--      returnable (finalAt not yet recorded), when it enters COMPLETED and whenever one of its
--      installments leaves PAID (a return must reopen its lease in the same transaction);
--   2. a lease leaves COMPLETED (for ACTIVE, 'lease.reopened') only with an installment no longer
--      paid.
-- An installment leaving PAID takes its lease's row FOR SHARE before reading it, so a lease
-- completed and an installment returned at the same moment are checked one after the other (the
-- app already holds the lease FOR UPDATE in both).
CREATE FUNCTION "lease_status_is_its_installments"(lease_id uuid, reopened boolean) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  lease_status text;
  unpaid int;
  returnable int;
BEGIN
  SELECT l.status::text INTO lease_status FROM "Lease" l WHERE l.id = lease_id FOR SHARE;
  IF lease_status IS DISTINCT FROM 'COMPLETED' AND NOT reopened THEN
    RETURN;
  END IF;
  SELECT count(*) INTO unpaid FROM "Installment" i WHERE i."leaseId" = lease_id AND i.status NOT IN ('PAID', 'WAIVED');
  IF lease_status = 'COMPLETED' THEN
    SELECT count(*) INTO returnable FROM "Payment" p WHERE p."leaseId" = lease_id AND p.status = 'COMPLETED' AND p."finalAt" IS NULL;
    IF unpaid > 0 OR returnable > 0 THEN
      RAISE EXCEPTION 'lease % is COMPLETED with % installment(s) unpaid and % payment(s) still returnable', lease_id, unpaid, returnable
        USING ERRCODE = 'P0001', HINT = 'a lease is paid in full only when every installment is paid and final (server/domain/settlement.ts completeLeaseIfPaidAndFinal); a return reopens it (returns.ts)';
    END IF;
  ELSIF reopened AND unpaid = 0 THEN
    RAISE EXCEPTION 'lease % left COMPLETED with every installment still paid', lease_id
      USING ERRCODE = 'P0001', HINT = 'a completed lease reopens only when a payment that paid it is returned (server/domain/returns.ts)';
  END IF;
END
$$;

CREATE FUNCTION "lease_completed_checked"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_TABLE_NAME = 'Lease' THEN
    PERFORM "lease_status_is_its_installments"(NEW.id, OLD.status = 'COMPLETED' AND NEW.status <> 'COMPLETED');
  ELSE
    PERFORM "lease_status_is_its_installments"(NEW."leaseId", false);
  END IF;
  RETURN NULL;
END
$$;

CREATE CONSTRAINT TRIGGER "Lease_completed_as_its_installments" AFTER UPDATE OF "status" ON "Lease"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN ((OLD."status" = 'COMPLETED') IS DISTINCT FROM (NEW."status" = 'COMPLETED'))
  EXECUTE FUNCTION "lease_completed_checked"();
CREATE CONSTRAINT TRIGGER "Installment_unpaid_reopens_its_lease" AFTER UPDATE OF "status" ON "Installment"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (OLD."status" = 'PAID' AND NEW."status" <> 'PAID')
  EXECUTE FUNCTION "lease_completed_checked"();

-- Names resolved as the other rules' are (20261201060000_rules_search_path).
DO $$
BEGIN
  EXECUTE format('ALTER FUNCTION %I.lease_status_is_its_installments(uuid, boolean) SET search_path = %I, pg_catalog, pg_temp', current_schema(), current_schema());
  EXECUTE format('ALTER FUNCTION %I.lease_completed_checked() SET search_path = %I, pg_catalog, pg_temp', current_schema(), current_schema());
END
$$;
