-- Hand-written: no change to schema.prisma.

-- An installment's status is what its payments and its lease say. The app's role could set an
-- installment PAID with no payment (its lease then read as paid up, and completed), set a paid
-- one DUE while its completed payment stood (payable, and submitted to the bank, a second time),
-- and move a WAIVED one back to DUE or waive one on a running lease (found by strangers, as the
-- app's role). DirectPay writes it in four places only: settlement (server/domain/settlement.ts:
-- PAID with the payment's COMPLETED, FAILED with its FAILED), a return (returns.ts: FAILED or DUE
-- with the payment's RETURNED), a cancelled retry (payments.ts cancelPayment: FAILED → DUE) and a
-- lease that ended before it ran (leases.ts waiveSchedule: DUE → WAIVED with its CANCELLED or
-- DECLINED). Now, checked at commit (deferred: the payment and its installments change in one
-- transaction, in either order):
--   1. an installment is PAID exactly while a completed payment pays it, its own or a payoff
--      whose part it is ("installment_paid_or_on_its_way", the late-fee rule's reading of what
--      pays an installment): asked when its status is written, and when a completed payment
--      leaves COMPLETED (a return), after locking the installments that payment pays (so a
--      concurrent status write and return are checked one after the other);
--   2. a WAIVED installment's lease is CANCELLED or DECLINED;
-- and at once: a WAIVED installment stays WAIVED.
CREATE FUNCTION "installment_status_is_its_payments"(installment_id uuid) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  i record;
  paying text;
BEGIN
  SELECT inst.status::text AS status, l.status::text AS lease_status INTO i
    FROM "Installment" inst JOIN "Lease" l ON l.id = inst."leaseId" WHERE inst.id = installment_id;
  IF NOT FOUND THEN
    RETURN;
  END IF;
  paying := "installment_paid_or_on_its_way"(installment_id);
  IF (i.status = 'PAID') IS DISTINCT FROM coalesce(paying LIKE 'paid by %', false) THEN
    RAISE EXCEPTION 'installment % is %, and %', installment_id, i.status, coalesce(paying, 'no payment pays it')
      USING ERRCODE = 'P0001', HINT = 'an installment is PAID exactly while a completed payment pays it (server/domain/settlement.ts settlePayment, returns.ts)';
  END IF;
  IF i.status = 'WAIVED' AND i.lease_status NOT IN ('CANCELLED', 'DECLINED') THEN
    RAISE EXCEPTION 'installment % is WAIVED on a lease that is %', installment_id, i.lease_status
      USING ERRCODE = 'P0001', HINT = 'only a lease that ended before it ran (cancelled, declined) waives its schedule (server/domain/leases.ts waiveSchedule)';
  END IF;
END
$$;

CREATE FUNCTION "installment_status_checked"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  installment_id uuid;
BEGIN
  IF TG_TABLE_NAME = 'Installment' THEN
    PERFORM "installment_status_is_its_payments"(NEW.id);
  ELSE
    -- A payment left COMPLETED: each installment it paid, locked first (in id order).
    FOR installment_id IN
      SELECT i.id FROM "Installment" i
       WHERE i.id = NEW."installmentId" OR i.id IN (SELECT pi."installmentId" FROM "PayoffInstallment" pi WHERE pi."paymentId" = NEW.id)
       ORDER BY i.id FOR NO KEY UPDATE
    LOOP
      PERFORM "installment_status_is_its_payments"(installment_id);
    END LOOP;
  END IF;
  RETURN NULL;
END
$$;

CREATE CONSTRAINT TRIGGER "Installment_status_as_its_payments" AFTER UPDATE OF "status" ON "Installment"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (OLD."status" IS DISTINCT FROM NEW."status")
  EXECUTE FUNCTION "installment_status_checked"();
-- Written as lease.create writes it (DUE, nothing paying it yet) needs no check.
CREATE CONSTRAINT TRIGGER "Installment_written_with_its_status" AFTER INSERT ON "Installment"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (NEW."status" <> 'DUE')
  EXECUTE FUNCTION "installment_status_checked"();
CREATE CONSTRAINT TRIGGER "Payment_completed_leaves_its_installments" AFTER UPDATE OF "status" ON "Payment"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (OLD."status" = 'COMPLETED' AND NEW."status" <> 'COMPLETED')
  EXECUTE FUNCTION "installment_status_checked"();

CREATE FUNCTION "installment_stays_waived"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'installment % is WAIVED: it stays WAIVED', OLD.id
    USING ERRCODE = 'P0001', HINT = 'a waived installment is never collected (server/domain/leases.ts waiveSchedule)';
END
$$;
CREATE TRIGGER "Installment_stays_waived" BEFORE UPDATE OF "status" ON "Installment"
  FOR EACH ROW WHEN (OLD."status" = 'WAIVED' AND NEW."status" <> 'WAIVED')
  EXECUTE FUNCTION "installment_stays_waived"();

-- Names resolved as the other rules' are (20261201060000_rules_search_path).
DO $$
BEGIN
  EXECUTE format('ALTER FUNCTION %I.installment_status_is_its_payments(uuid) SET search_path = %I, pg_catalog, pg_temp', current_schema(), current_schema());
  EXECUTE format('ALTER FUNCTION %I.installment_status_checked() SET search_path = %I, pg_catalog, pg_temp', current_schema(), current_schema());
  EXECUTE format('ALTER FUNCTION %I.installment_stays_waived() SET search_path = %I, pg_catalog, pg_temp', current_schema(), current_schema());
END
$$;
