-- Hand-written: no change to schema.prisma.

-- The rules of 20261202160000 and 20261202170000 were asked when an installment's status was
-- written, when a lease entered or left COMPLETED, and when a payment left COMPLETED; a stranger,
-- as the app's role, committed what they forbid through the other doors:
--   1. a payment moved to COMPLETED with its installment left DUE (a payoff: both its parts);
--   2. on a COMPLETED lease, one transaction returned its final payment and completed a second,
--      not final, for the same installment: the lease stayed COMPLETED with a payment still
--      returnable;
--   3. a lease with no installments accepted and COMPLETED, then its schedule written: COMPLETED
--      with three installments DUE;
--   and, beside them, a payoff naming another lease's installment as its own, completed: that
--   installment's own payment could then never complete.
-- Now:
--   1. the installment rule is also asked when a payment enters COMPLETED (its installments
--      locked first, as when it leaves);
--   2. the lease rule is asked when a payment of the lease enters or leaves COMPLETED;
--   3. a schedule is written into a lease only while it is an offer (PENDING), as lease.create
--      writes it in the lease's own transaction;
--   4. a payment's installment is of the payment's lease, whatever its kind.
DROP TRIGGER "Payment_completed_leaves_its_installments" ON "Payment";
CREATE CONSTRAINT TRIGGER "Payment_completed_as_its_installments" AFTER UPDATE OF "status" ON "Payment"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN ((OLD."status" = 'COMPLETED') IS DISTINCT FROM (NEW."status" = 'COMPLETED'))
  EXECUTE FUNCTION "installment_status_checked"();
CREATE CONSTRAINT TRIGGER "Payment_completed_as_its_lease" AFTER UPDATE OF "status" ON "Payment"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN ((OLD."status" = 'COMPLETED') IS DISTINCT FROM (NEW."status" = 'COMPLETED'))
  EXECUTE FUNCTION "lease_completed_checked"();

CREATE FUNCTION "installment_written_into_an_offer"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  lease record;
BEGIN
  SELECT l.id, l.status::text AS status INTO lease FROM "Lease" l
    WHERE l.id IN (SELECT DISTINCT "leaseId" FROM new_rows) AND l.status <> 'PENDING' LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'lease % is %: a schedule is written with its lease, while it is offered (PENDING)', lease.id, lease.status
      USING ERRCODE = 'P0001', HINT = 'server/domain/leases.ts createLease writes the lease and its schedule in one transaction';
  END IF;
  RETURN NULL;
END
$$;
CREATE TRIGGER "Installment_written_into_an_offer" AFTER INSERT ON "Installment"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "installment_written_into_an_offer"();

CREATE FUNCTION "payment_installment_of_its_lease"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM "Installment" i WHERE i.id = NEW."installmentId" AND i."leaseId" = NEW."leaseId") THEN
    RAISE EXCEPTION 'payment % names installment %, which is not of its lease %', NEW.id, NEW."installmentId", NEW."leaseId"
      USING ERRCODE = 'P0001', HINT = 'a payment pays installments of its own lease (server/domain/payments.ts, payoff.ts)';
  END IF;
  RETURN NEW;
END
$$;
CREATE TRIGGER "Payment_installment_of_its_lease" BEFORE INSERT ON "Payment"
  FOR EACH ROW EXECUTE FUNCTION "payment_installment_of_its_lease"();

-- Names resolved as the other rules' are (20261201060000_rules_search_path).
DO $$
BEGIN
  EXECUTE format('ALTER FUNCTION %I.installment_written_into_an_offer() SET search_path = %I, pg_catalog, pg_temp', current_schema(), current_schema());
  EXECUTE format('ALTER FUNCTION %I.payment_installment_of_its_lease() SET search_path = %I, pg_catalog, pg_temp', current_schema(), current_schema());
END
$$;
