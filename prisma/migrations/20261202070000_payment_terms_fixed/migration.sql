-- Hand-written: no change to schema.prisma.

-- A payment's terms are what the renter confirmed: who pays whom, from which account to which,
-- on which rail, how much, for which installment, and when it is submitted. DirectPay writes them
-- once, in payment.create, and never changes them; a payment moves only through its status and
-- the facts its settlement, return and finality record. The app's role could change them (found
-- by a stranger: amount, lease, installment, rail and accounts were UPDATE-able; a payment's
-- receiving account set to another landlord's redirected rent, and only settlement's posting
-- check noticed an amount). The database now refuses it, from every writer:
--   fixed:       kind, installmentId, leaseId, renterId, landlordId, fromAccountId, toAccountId,
--                rail, amountCents, feeCents, discountCents, attempt, submitAt,
--                expectedSettlementAt, idempotencyKey, createdAt;
--   set once:    submittedAt, settledAt, finalAt, returnedAt, failureCode, failureReason (NULL
--                until the step that records them; then fixed); returnableUntil is the expected
--                end of the return window until settlement records the real one, then fixed;
--   may change:  status (its moves are the app's PAYMENT_TRANSITIONS) and updatedAt.
-- A payoff's parts ("PayoffInstallment": rent, late fee and discount per installment) are written
-- with the payoff and never change at all.
CREATE FUNCTION "payment_terms_are_fixed"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF (NEW.id, NEW.kind, NEW."installmentId", NEW."leaseId", NEW."renterId", NEW."landlordId", NEW."fromAccountId", NEW."toAccountId",
      NEW.rail, NEW."amountCents", NEW."feeCents", NEW."discountCents", NEW.attempt, NEW."submitAt", NEW."expectedSettlementAt",
      NEW."idempotencyKey", NEW."createdAt")
     IS DISTINCT FROM
     (OLD.id, OLD.kind, OLD."installmentId", OLD."leaseId", OLD."renterId", OLD."landlordId", OLD."fromAccountId", OLD."toAccountId",
      OLD.rail, OLD."amountCents", OLD."feeCents", OLD."discountCents", OLD.attempt, OLD."submitAt", OLD."expectedSettlementAt",
      OLD."idempotencyKey", OLD."createdAt") THEN
    RAISE EXCEPTION 'the terms of payment % are fixed once confirmed (amount, parties, accounts, rail, installment, schedule)', OLD.id
      USING ERRCODE = 'P0001', HINT = 'only its status moves, and each settlement fact is recorded once';
  END IF;
  IF (OLD."submittedAt" IS NOT NULL AND NEW."submittedAt" IS DISTINCT FROM OLD."submittedAt")
     OR (OLD."settledAt" IS NOT NULL AND NEW."settledAt" IS DISTINCT FROM OLD."settledAt")
     OR (OLD.status NOT IN ('PENDING', 'PROCESSING') AND NEW."returnableUntil" IS DISTINCT FROM OLD."returnableUntil")
     OR (OLD."finalAt" IS NOT NULL AND NEW."finalAt" IS DISTINCT FROM OLD."finalAt")
     OR (OLD."returnedAt" IS NOT NULL AND NEW."returnedAt" IS DISTINCT FROM OLD."returnedAt")
     OR (OLD."failureCode" IS NOT NULL AND NEW."failureCode" IS DISTINCT FROM OLD."failureCode")
     OR (OLD."failureReason" IS NOT NULL AND NEW."failureReason" IS DISTINCT FROM OLD."failureReason") THEN
    RAISE EXCEPTION 'payment % has recorded this already: its settlement, return and finality facts are written once', OLD.id
      USING ERRCODE = 'P0001', HINT = 'only its status moves, and each settlement fact is recorded once';
  END IF;
  RETURN NEW;
END
$$;
CREATE TRIGGER "Payment_terms_are_fixed" BEFORE UPDATE ON "Payment"
  FOR EACH ROW EXECUTE FUNCTION "payment_terms_are_fixed"();

CREATE FUNCTION "payoff_parts_are_fixed"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the parts of payoff % are fixed with it (rent, late fee and discount per installment)', OLD."paymentId"
    USING ERRCODE = 'P0001', HINT = 'a payoff is written once, with its parts';
END
$$;
CREATE TRIGGER "PayoffInstallment_is_fixed" BEFORE UPDATE ON "PayoffInstallment"
  FOR EACH ROW EXECUTE FUNCTION "payoff_parts_are_fixed"();

-- Names resolved as the other rules' are (20261201060000_rules_search_path).
DO $$
BEGIN
  EXECUTE format('ALTER FUNCTION %I.payment_terms_are_fixed() SET search_path = %I, pg_catalog, pg_temp', current_schema(), current_schema());
  EXECUTE format('ALTER FUNCTION %I.payoff_parts_are_fixed() SET search_path = %I, pg_catalog, pg_temp', current_schema(), current_schema());
END
$$;
