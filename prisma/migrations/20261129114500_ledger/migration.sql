-- CreateEnum
CREATE TYPE "LedgerAccount" AS ENUM ('RENTER_RECEIVABLE', 'CASH_IN_TRANSIT', 'LANDLORD_PAYABLE', 'LANDLORD_PAID', 'LATE_FEE_INCOME', 'FEE_INCOME', 'DIRECTPAY_CASH');

-- CreateEnum
CREATE TYPE "LedgerKind" AS ENUM ('CHARGE', 'PAYMENT_SUBMITTED', 'PAYMENT_SETTLED', 'PAYMENT_FAILED', 'PAYMENT_CANCELLED', 'PAYMENT_RETURNED', 'FEE', 'FEE_REFUND', 'LATE_FEE', 'LATE_FEE_WAIVER');

-- AlterTable
ALTER TABLE "Lease" ADD COLUMN     "graceDays" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "lateFeeBasisPoints" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "lateFeeCapCents" INTEGER,
ADD COLUMN     "lateFeeFlatCents" INTEGER NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "LedgerTransaction" (
    "id" BIGSERIAL NOT NULL,
    "leaseId" UUID NOT NULL,
    "kind" "LedgerKind" NOT NULL,
    "reason" VARCHAR(500) NOT NULL,
    "paymentId" UUID,
    "installmentId" UUID,
    "actorId" UUID,
    "actorRole" VARCHAR(20) NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "LedgerTransaction_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LedgerEntry" (
    "id" BIGSERIAL NOT NULL,
    "transactionId" BIGINT NOT NULL,
    "account" "LedgerAccount" NOT NULL,
    "amountCents" INTEGER NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "LedgerEntry_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "LedgerTransaction_leaseId_id_idx" ON "LedgerTransaction"("leaseId", "id");

-- CreateIndex
CREATE INDEX "LedgerTransaction_paymentId_idx" ON "LedgerTransaction"("paymentId");

-- CreateIndex
CREATE INDEX "LedgerTransaction_installmentId_idx" ON "LedgerTransaction"("installmentId");

-- CreateIndex
CREATE INDEX "LedgerEntry_transactionId_idx" ON "LedgerEntry"("transactionId");

-- AddForeignKey
ALTER TABLE "LedgerTransaction" ADD CONSTRAINT "LedgerTransaction_leaseId_fkey" FOREIGN KEY ("leaseId") REFERENCES "Lease"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LedgerTransaction" ADD CONSTRAINT "LedgerTransaction_paymentId_fkey" FOREIGN KEY ("paymentId") REFERENCES "Payment"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LedgerTransaction" ADD CONSTRAINT "LedgerTransaction_installmentId_fkey" FOREIGN KEY ("installmentId") REFERENCES "Installment"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LedgerEntry" ADD CONSTRAINT "LedgerEntry_transactionId_fkey" FOREIGN KEY ("transactionId") REFERENCES "LedgerTransaction"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- ---------------------------------------------------------------------------------------
-- The ledger's rules, enforced by the database for every writer.
-- ---------------------------------------------------------------------------------------

ALTER TABLE "Lease"
  ADD CONSTRAINT "Lease_graceDays_range" CHECK ("graceDays" BETWEEN 0 AND 60),
  ADD CONSTRAINT "Lease_lateFeeFlatCents_range" CHECK ("lateFeeFlatCents" BETWEEN 0 AND 100000000),
  ADD CONSTRAINT "Lease_lateFeeBasisPoints_range" CHECK ("lateFeeBasisPoints" BETWEEN 0 AND 10000),
  ADD CONSTRAINT "Lease_lateFeeCapCents_range" CHECK ("lateFeeCapCents" IS NULL OR "lateFeeCapCents" BETWEEN 0 AND 100000000);

ALTER TABLE "LedgerEntry" ADD CONSTRAINT "LedgerEntry_amountCents_nonzero" CHECK ("amountCents" <> 0);
ALTER TABLE "LedgerTransaction"
  ADD CONSTRAINT "LedgerTransaction_payment_kinds" CHECK (
    ("kind" IN ('CHARGE', 'LATE_FEE', 'LATE_FEE_WAIVER')) = ("paymentId" IS NULL)),
  ADD CONSTRAINT "LedgerTransaction_installment_kinds" CHECK (
    "kind" NOT IN ('CHARGE', 'LATE_FEE', 'LATE_FEE_WAIVER') OR "installmentId" IS NOT NULL);

-- An installment falls due once, is charged a late fee at most once, and that fee is waived at
-- most once; each payment is submitted, settled, failed, cancelled, returned, charged its fee
-- and refunded its fee at most once. The daily functions rely on these to be idempotent.
CREATE UNIQUE INDEX "LedgerTransaction_one_per_installment" ON "LedgerTransaction"("installmentId", "kind")
  WHERE "kind" IN ('CHARGE', 'LATE_FEE', 'LATE_FEE_WAIVER');
CREATE UNIQUE INDEX "LedgerTransaction_one_per_payment" ON "LedgerTransaction"("paymentId", "kind")
  WHERE "paymentId" IS NOT NULL;

-- Append-only: a correction is a new, reversing transaction.
CREATE FUNCTION "ledger_is_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the ledger is append-only: % on "%" is not allowed', TG_OP, TG_TABLE_NAME
    USING ERRCODE = 'P0001', HINT = 'post a reversing transaction instead';
END
$$;
CREATE TRIGGER "LedgerTransaction_append_only_rows" BEFORE UPDATE OR DELETE ON "LedgerTransaction"
  FOR EACH ROW EXECUTE FUNCTION "ledger_is_append_only"();
CREATE TRIGGER "LedgerTransaction_append_only_truncate" BEFORE TRUNCATE ON "LedgerTransaction"
  FOR EACH STATEMENT EXECUTE FUNCTION "ledger_is_append_only"();
CREATE TRIGGER "LedgerEntry_append_only_rows" BEFORE UPDATE OR DELETE ON "LedgerEntry"
  FOR EACH ROW EXECUTE FUNCTION "ledger_is_append_only"();
CREATE TRIGGER "LedgerEntry_append_only_truncate" BEFORE TRUNCATE ON "LedgerEntry"
  FOR EACH STATEMENT EXECUTE FUNCTION "ledger_is_append_only"();

-- Double entry: when the database transaction commits, every ledger transaction written in it
-- has at least two entries and they sum to zero. Checked at commit (DEFERRABLE INITIALLY
-- DEFERRED), so the transaction row and its entries can be inserted one after the other.
CREATE FUNCTION "ledger_check_balanced"(tx_id BIGINT) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  entry_count INTEGER;
  total BIGINT;
BEGIN
  SELECT count(*), coalesce(sum("amountCents"), 0) INTO entry_count, total FROM "LedgerEntry" WHERE "transactionId" = tx_id;
  IF entry_count < 2 OR total <> 0 THEN
    RAISE EXCEPTION 'ledger transaction % does not balance: % entries summing to % cents', tx_id, entry_count, total
      USING ERRCODE = 'P0001', HINT = 'every ledger transaction needs entries that sum to zero';
  END IF;
END
$$;
CREATE FUNCTION "ledger_transaction_balances"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM "ledger_check_balanced"(NEW."id");
  RETURN NULL;
END
$$;
CREATE FUNCTION "ledger_entry_balances"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM "ledger_check_balanced"(NEW."transactionId");
  RETURN NULL;
END
$$;
CREATE CONSTRAINT TRIGGER "LedgerTransaction_balances" AFTER INSERT ON "LedgerTransaction"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "ledger_transaction_balances"();
CREATE CONSTRAINT TRIGGER "LedgerEntry_balances" AFTER INSERT ON "LedgerEntry"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "ledger_entry_balances"();
