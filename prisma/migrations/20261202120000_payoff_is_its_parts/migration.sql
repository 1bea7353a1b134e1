-- Hand-written: no change to schema.prisma.

-- A payoff is the sum of its parts when its money moves. Each part was checked against its
-- installment (20261202080000), but nothing tied the parts to the payment: the app's role could
-- write a payoff of 1 cent whose parts covered a whole lease, or add a part to a payoff already
-- submitted, and the ledger would carry what the bank never moved until the reconciliation found
-- it. Now:
--   1. a part is added only while its payoff is PENDING (the rule already locks the payoff's row,
--      so a part and the payoff's submission are one after the other);
--   2. a payoff leaves PENDING for PROCESSING (submitted to its rail: server/domain/settlement.ts)
--      only when it has parts and they sum to it: amountCents = Σ(rent + late fee − discount)
--      and discountCents = Σ discount, as server/domain/payoff.ts quotes it (payoffQuote: the
--      discount allocated over the parts by allocatePayoffDiscount, which sums to it).
-- amountCents and discountCents are fixed terms (20261202070000), so the sum holds from then on.

CREATE OR REPLACE FUNCTION "payoff_part_is_the_installment"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  payoff record;
  rent bigint;
  fee bigint;
  discounts bigint;
  rents bigint;
BEGIN
  IF current_setting('transaction_isolation') <> 'read committed' THEN
    RAISE EXCEPTION 'a payoff''s parts are written at READ COMMITTED (this transaction is %)', current_setting('transaction_isolation')
      USING ERRCODE = 'P0001', HINT = 'the rule reads the installment and its late fee as committed';
  END IF;
  PERFORM 1 FROM "Payment" p WHERE p.id = NEW."paymentId" FOR UPDATE;
  SELECT p.kind::text AS kind, p.status::text AS status, p."leaseId", l."payoffDiscountBasisPoints" AS bp INTO payoff
    FROM "Payment" p JOIN "Lease" l ON l.id = p."leaseId" WHERE p.id = NEW."paymentId";
  SELECT i."amountCents" INTO rent FROM "Installment" i WHERE i.id = NEW."installmentId" AND i."leaseId" = payoff."leaseId";
  SELECT coalesce(-sum(e."amountCents"), 0) INTO fee
    FROM "LedgerTransaction" t JOIN "LedgerEntry" e ON e."transactionId" = t.id
    WHERE t."installmentId" = NEW."installmentId" AND e.account = 'LATE_FEE_INCOME';
  IF payoff.kind IS DISTINCT FROM 'PAYOFF' OR rent IS NULL THEN
    RAISE EXCEPTION 'payment % is not a payoff of the lease installment % belongs to', NEW."paymentId", NEW."installmentId"
      USING ERRCODE = 'P0001', HINT = 'a payoff covers installments of its own lease';
  END IF;
  IF payoff.status <> 'PENDING' THEN
    RAISE EXCEPTION 'payoff % is %: its parts were fixed when it left PENDING', NEW."paymentId", payoff.status
      USING ERRCODE = 'P0001', HINT = 'a payoff''s parts are written with it (server/domain/payoff.ts)';
  END IF;
  IF NEW."rentCents" <> rent OR NEW."lateFeeCents" <> fee OR NEW."discountCents" < 0 OR NEW."discountCents" > rent THEN
    RAISE EXCEPTION 'payoff % part for installment %: rent %, late fee %, discount % where the installment says rent %, late fee %, discount 0 to its rent',
      NEW."paymentId", NEW."installmentId", NEW."rentCents", NEW."lateFeeCents", NEW."discountCents", rent, fee
      USING ERRCODE = 'P0001', HINT = 'a payoff''s parts are its installments as they stand (server/domain/payoff.ts)';
  END IF;
  SELECT sum(pi."discountCents"), sum(pi."rentCents") INTO discounts, rents FROM "PayoffInstallment" pi WHERE pi."paymentId" = NEW."paymentId";
  IF discounts > rents * payoff.bp / 10000 THEN
    RAISE EXCEPTION 'payoff % takes % cents off % cents of rent: more than the lease''s % basis points', NEW."paymentId", discounts, rents, payoff.bp
      USING ERRCODE = 'P0001', HINT = 'the discount is floor(rent × rate), server/domain/payoff-rules.ts';
  END IF;
  RETURN NULL;
END
$$;

CREATE FUNCTION "payoff_is_its_parts"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  parts int;
  amount bigint;
  discount bigint;
BEGIN
  SELECT count(*), sum(pi."rentCents" + pi."lateFeeCents" - pi."discountCents"), sum(pi."discountCents")
    INTO parts, amount, discount FROM "PayoffInstallment" pi WHERE pi."paymentId" = NEW.id;
  IF parts = 0 OR amount <> NEW."amountCents" OR discount <> NEW."discountCents" THEN
    RAISE EXCEPTION 'payoff % of % cents (discount %) is not the sum of its % parts (% cents, discount %)', NEW.id, NEW."amountCents", NEW."discountCents", parts, coalesce(amount, 0), coalesce(discount, 0)
      USING ERRCODE = 'P0001', HINT = 'a payoff is its installments'' rent and late fees less their discounts (server/domain/payoff.ts)';
  END IF;
  RETURN NEW;
END
$$;
CREATE TRIGGER "Payment_payoff_is_its_parts" BEFORE UPDATE OF status ON "Payment"
  FOR EACH ROW WHEN (OLD.kind = 'PAYOFF' AND OLD.status = 'PENDING' AND NEW.status = 'PROCESSING')
  EXECUTE FUNCTION "payoff_is_its_parts"();

-- Names resolved as the other rules' are (20261201060000_rules_search_path); CREATE OR REPLACE
-- drops a function's settings.
DO $$
BEGIN
  EXECUTE format('ALTER FUNCTION %I.payoff_part_is_the_installment() SET search_path = %I, pg_catalog, pg_temp', current_schema(), current_schema());
  EXECUTE format('ALTER FUNCTION %I.payoff_is_its_parts() SET search_path = %I, pg_catalog, pg_temp', current_schema(), current_schema());
END
$$;
