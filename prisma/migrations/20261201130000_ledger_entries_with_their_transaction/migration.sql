-- Hand-written: no change to schema.prisma.

-- 1. A ledger transaction's entries are written with it. Rows were append-only (no UPDATE or
-- DELETE) and each transaction balanced at commit, but entries could still be added to a
-- transaction committed earlier: a balancing pair inserted later turned a $500.01 charge into
-- 1 cent, and the ledger as of an earlier instant read differently afterwards (found by a
-- stranger, as the app's role). An entry is now refused unless its ledger transaction was
-- inserted by the same database transaction (its row's xmin; not forgeable). A correction is a
-- new, reversing ledger transaction, as always. (DirectPay writes no savepoints; a ledger
-- transaction written inside one would be refused here, loudly.)
CREATE FUNCTION "ledger_entry_with_its_transaction"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  written_by xid;
BEGIN
  SELECT t.xmin INTO written_by FROM "LedgerTransaction" t WHERE t.id = NEW."transactionId";
  -- A transaction that does not exist is the foreign key's to refuse.
  IF FOUND AND written_by <> pg_current_xact_id()::xid THEN
    RAISE EXCEPTION 'ledger transaction % was written earlier: its entries are fixed (a correction is a new ledger transaction)', NEW."transactionId"
      USING ERRCODE = 'P0001', HINT = 'insert a ledger transaction and its entries in one database transaction';
  END IF;
  RETURN NEW;
END
$$;
CREATE TRIGGER "LedgerEntry_with_its_transaction" BEFORE INSERT ON "LedgerEntry"
  FOR EACH ROW EXECUTE FUNCTION "ledger_entry_with_its_transaction"();

-- 2. The covered-installment rule on "PayoffInstallment" read its payoff's status before any
-- lock: a covered installment added while another connection was completing the payoff saw it
-- PENDING and passed, and the completion had not seen the new row either (found by a
-- stranger, as the app's role). It now locks the payoff's row first (FOR SHARE waits for a
-- completion in flight and reads the committed status; a completion waits for it in turn), then
-- the installment, then checks.
CREATE OR REPLACE FUNCTION "payoff_installment_one_completed"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  payoff_status text;
BEGIN
  SELECT p.status::text INTO payoff_status FROM "Payment" p WHERE p.id = NEW."paymentId" FOR SHARE;
  IF payoff_status = 'COMPLETED' THEN
    PERFORM 1 FROM "Installment" i WHERE i.id = NEW."installmentId" FOR NO KEY UPDATE;
    IF EXISTS (SELECT 1 FROM "Payment" p WHERE p."installmentId" = NEW."installmentId" AND p.status = 'COMPLETED' AND p.id <> NEW."paymentId")
       OR EXISTS (SELECT 1 FROM "PayoffInstallment" pi JOIN "Payment" p ON p.id = pi."paymentId"
                  WHERE pi."installmentId" = NEW."installmentId" AND p.status = 'COMPLETED' AND p.id <> NEW."paymentId") THEN
      RAISE EXCEPTION 'installment already paid by another completed payment (payment %)', NEW."paymentId"
        USING ERRCODE = '23505', CONSTRAINT = 'Payment_one_completed_per_covered_installment';
    END IF;
  END IF;
  RETURN NULL;
END
$$;

-- Names resolved as the other rules' are (20261201060000_rules_search_path); CREATE OR REPLACE
-- drops a function's settings.
DO $$
BEGIN
  EXECUTE format('ALTER FUNCTION %I.ledger_entry_with_its_transaction() SET search_path = %I, pg_catalog, pg_temp', current_schema(), current_schema());
  EXECUTE format('ALTER FUNCTION %I.payoff_installment_one_completed() SET search_path = %I, pg_catalog, pg_temp', current_schema(), current_schema());
END
$$;
