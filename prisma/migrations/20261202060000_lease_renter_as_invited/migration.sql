-- Hand-written: no change to schema.prisma.

-- A lease's renter is set once, on acceptance (20261202030000), but to anyone: the app's role
-- set it to a landlord, or to a renter other than the one invited (found by a stranger). The
-- renter set must now be a RENTER whose email is the one the lease was offered to (emails are
-- stored lower-case: "User_email_lowercase").
CREATE OR REPLACE FUNCTION "lease_terms_are_fixed"() RETURNS trigger LANGUAGE plpgsql AS $$
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
  IF OLD."renterId" IS NULL AND NEW."renterId" IS NOT NULL
     AND NOT EXISTS (SELECT 1 FROM "User" u WHERE u.id = NEW."renterId" AND u.role = 'RENTER' AND u.email = lower(NEW."renterEmail")) THEN
    RAISE EXCEPTION 'lease % was offered to %: its renter is the renter with that email', OLD.id, NEW."renterEmail"
      USING ERRCODE = 'P0001';
  END IF;
  RETURN NEW;
END
$$;

DO $$
BEGIN
  EXECUTE format('ALTER FUNCTION %I.lease_terms_are_fixed() SET search_path = %I, pg_catalog, pg_temp', current_schema(), current_schema());
END
$$;
