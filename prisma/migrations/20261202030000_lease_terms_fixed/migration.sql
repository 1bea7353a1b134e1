-- Hand-written: no change to schema.prisma.

-- A lease's terms and its installments' schedule are the contract: DirectPay writes them once,
-- when the lease is offered, and never changes them (a new contract is a new lease). The as-of
-- ledger reads them from the rows — whether an installment was overdue at a past instant is its
-- due date plus the lease's grace days — so a row changed later rewrote the past: with the app's
-- role, "graceDays" set to 60 turned a statement's overdue $3,000.00 as of an earlier instant into
-- $1,500.00 (found by a stranger; the history recorded the change, dated now, and audited clean).
-- The database now refuses any change to them, from every writer. What may change: a lease's
-- status (and its reason), its payout account, its reminder setting, and its renter once, when
-- the invitation is accepted; an installment's status and autopay skip.
CREATE FUNCTION "lease_terms_are_fixed"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF (NEW."propertyId", NEW."landlordId", NEW."renterEmail", NEW."monthlyRentCents", NEW."startDate", NEW."termMonths", NEW."dueDay",
      NEW."prorateFirstMonth", NEW."graceDays", NEW."lateFeeFlatCents", NEW."lateFeeBasisPoints", NEW."lateFeeCapCents",
      NEW."payoffDiscountBasisPoints", NEW."createdAt")
     IS DISTINCT FROM
     (OLD."propertyId", OLD."landlordId", OLD."renterEmail", OLD."monthlyRentCents", OLD."startDate", OLD."termMonths", OLD."dueDay",
      OLD."prorateFirstMonth", OLD."graceDays", OLD."lateFeeFlatCents", OLD."lateFeeBasisPoints", OLD."lateFeeCapCents",
      OLD."payoffDiscountBasisPoints", OLD."createdAt")
     OR (OLD."renterId" IS NOT NULL AND NEW."renterId" IS DISTINCT FROM OLD."renterId") THEN
    RAISE EXCEPTION 'the terms of lease % are fixed once offered (a new contract is a new lease)', OLD.id
      USING ERRCODE = 'P0001', HINT = 'only its status, payout account and reminder setting change, and its renter once, on acceptance';
  END IF;
  RETURN NEW;
END
$$;
CREATE TRIGGER "Lease_terms_are_fixed" BEFORE UPDATE ON "Lease"
  FOR EACH ROW EXECUTE FUNCTION "lease_terms_are_fixed"();

CREATE FUNCTION "installment_schedule_is_fixed"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF (NEW."leaseId", NEW.number, NEW."dueDate", NEW."amountCents", NEW."createdAt")
     IS DISTINCT FROM (OLD."leaseId", OLD.number, OLD."dueDate", OLD."amountCents", OLD."createdAt") THEN
    RAISE EXCEPTION 'the schedule of installment % is fixed with its lease (due date and amount)', OLD.id
      USING ERRCODE = 'P0001', HINT = 'only its status and autopay skip change';
  END IF;
  RETURN NEW;
END
$$;
CREATE TRIGGER "Installment_schedule_is_fixed" BEFORE UPDATE ON "Installment"
  FOR EACH ROW EXECUTE FUNCTION "installment_schedule_is_fixed"();

-- Names resolved as the other rules' are (20261201060000_rules_search_path).
DO $$
BEGIN
  EXECUTE format('ALTER FUNCTION %I.lease_terms_are_fixed() SET search_path = %I, pg_catalog, pg_temp', current_schema(), current_schema());
  EXECUTE format('ALTER FUNCTION %I.installment_schedule_is_fixed() SET search_path = %I, pg_catalog, pg_temp', current_schema(), current_schema());
END
$$;
