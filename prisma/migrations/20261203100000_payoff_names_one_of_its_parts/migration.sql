-- Hand-written: no change to schema.prisma.

-- A payoff names one installment as its own ("installmentId"; server/domain/payoff.ts names the
-- first it covers), and the rule that an installment is paid by one completed payment counts a
-- payment's named installment of any kind (20261201120000). A payoff that named an installment
-- of its lease it does not cover would, once completed, stand as that installment's payment
-- while leaving it DUE: its own payment could then never complete. A payoff is now submitted
-- (PENDING → PROCESSING, the one way out of PENDING towards COMPLETED) only naming one of its
-- parts; its parts and its named installment are fixed from then on (20261202120000,
-- 20261202070000). The rest of payoff_is_its_parts is as 20261202120000 wrote it.
CREATE OR REPLACE FUNCTION "payoff_is_its_parts"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  parts int;
  amount bigint;
  discount bigint;
  named boolean;
BEGIN
  SELECT count(*), sum(pi."rentCents" + pi."lateFeeCents" - pi."discountCents"), sum(pi."discountCents"), coalesce(bool_or(pi."installmentId" = NEW."installmentId"), false)
    INTO parts, amount, discount, named FROM "PayoffInstallment" pi WHERE pi."paymentId" = NEW.id;
  IF parts = 0 OR amount <> NEW."amountCents" OR discount <> NEW."discountCents" THEN
    RAISE EXCEPTION 'payoff % of % cents (discount %) is not the sum of its % parts (% cents, discount %)', NEW.id, NEW."amountCents", NEW."discountCents", parts, coalesce(amount, 0), coalesce(discount, 0)
      USING ERRCODE = 'P0001', HINT = 'a payoff is its installments'' rent and late fees less their discounts (server/domain/payoff.ts)';
  END IF;
  IF NOT named THEN
    RAISE EXCEPTION 'payoff % names installment %, which is not one of its % parts', NEW.id, NEW."installmentId", parts
      USING ERRCODE = 'P0001', HINT = 'a payoff names the first installment it covers (server/domain/payoff.ts)';
  END IF;
  RETURN NEW;
END
$$;

-- Names resolved as the other rules' are (20261201060000_rules_search_path); CREATE OR REPLACE
-- drops a function's settings.
DO $$
BEGIN
  EXECUTE format('ALTER FUNCTION %I.payoff_is_its_parts() SET search_path = %I, pg_catalog, pg_temp', current_schema(), current_schema());
END
$$;
