-- CreateEnum
CREATE TYPE "PaymentKind" AS ENUM ('INSTALLMENT', 'PAYOFF');

-- AlterEnum
-- This migration adds more than one value to an enum.
-- With PostgreSQL versions 11 and earlier, this is not possible
-- in a single migration. This can be worked around by creating
-- multiple migrations, each migration adding only one value to
-- the enum.


ALTER TYPE "LedgerKind" ADD VALUE 'PAYOFF_DISCOUNT';
ALTER TYPE "LedgerKind" ADD VALUE 'PAYOFF_DISCOUNT_REVERSED';

-- AlterTable
ALTER TABLE "Lease" ADD COLUMN     "payoffDiscountBasisPoints" INTEGER NOT NULL DEFAULT 200;

-- AlterTable
ALTER TABLE "Payment" ADD COLUMN     "discountCents" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "kind" "PaymentKind" NOT NULL DEFAULT 'INSTALLMENT';

-- CreateTable
CREATE TABLE "PayoffInstallment" (
    "paymentId" UUID NOT NULL,
    "installmentId" UUID NOT NULL,
    "rentCents" INTEGER NOT NULL,
    "lateFeeCents" INTEGER NOT NULL,
    "discountCents" INTEGER NOT NULL,

    CONSTRAINT "PayoffInstallment_pkey" PRIMARY KEY ("paymentId","installmentId")
);

-- CreateIndex
CREATE INDEX "PayoffInstallment_installmentId_idx" ON "PayoffInstallment"("installmentId");

-- AddForeignKey
ALTER TABLE "PayoffInstallment" ADD CONSTRAINT "PayoffInstallment_paymentId_fkey" FOREIGN KEY ("paymentId") REFERENCES "Payment"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PayoffInstallment" ADD CONSTRAINT "PayoffInstallment_installmentId_fkey" FOREIGN KEY ("installmentId") REFERENCES "Installment"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- ---------------------------------------------------------------------------------------
-- Hand-written: early payoff rules the database enforces for every writer.
-- ---------------------------------------------------------------------------------------

ALTER TABLE "Lease"
  ADD CONSTRAINT "Lease_payoffDiscountBasisPoints_range" CHECK ("payoffDiscountBasisPoints" BETWEEN 0 AND 10000);

-- Only a payoff has a discount.
ALTER TABLE "Payment"
  ADD CONSTRAINT "Payment_discountCents_payoff_only" CHECK ("discountCents" >= 0 AND ("kind" = 'PAYOFF' OR "discountCents" = 0));

ALTER TABLE "PayoffInstallment"
  ADD CONSTRAINT "PayoffInstallment_rentCents_positive" CHECK ("rentCents" > 0),
  ADD CONSTRAINT "PayoffInstallment_lateFeeCents_nonnegative" CHECK ("lateFeeCents" >= 0),
  ADD CONSTRAINT "PayoffInstallment_discountCents_range" CHECK ("discountCents" BETWEEN 0 AND "rentCents");

-- A payoff posts its submission, settlement, return, ... once per installment it covers (so
-- each installment's receivable stays its own); every other payment has one installment, so
-- this still means once per payment for them.
DROP INDEX "LedgerTransaction_one_per_payment";
CREATE UNIQUE INDEX "LedgerTransaction_one_per_payment" ON "LedgerTransaction"("paymentId", "kind", "installmentId")
  WHERE "paymentId" IS NOT NULL;

-- "At most one COMPLETED payment per installment" (Payment_one_completed_per_installment)
-- extended to the installments a payoff covers: when a payment becomes COMPLETED, no other
-- COMPLETED payment may pay any installment it pays, whether directly or through a payoff.
CREATE FUNCTION "payment_one_completed_per_covered_installment"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (
    SELECT 1 FROM (
      SELECT NEW."installmentId" AS id
      UNION SELECT pi."installmentId" FROM "PayoffInstallment" pi WHERE pi."paymentId" = NEW.id
    ) mine
    WHERE EXISTS (SELECT 1 FROM "Payment" p WHERE p."installmentId" = mine.id AND p.status = 'COMPLETED' AND p.id <> NEW.id)
       OR EXISTS (SELECT 1 FROM "PayoffInstallment" pi JOIN "Payment" p ON p.id = pi."paymentId"
                  WHERE pi."installmentId" = mine.id AND p.status = 'COMPLETED' AND p.id <> NEW.id)
  ) THEN
    RAISE EXCEPTION 'installment already paid by another completed payment (payment %)', NEW.id
      USING ERRCODE = '23505', CONSTRAINT = 'Payment_one_completed_per_covered_installment';
  END IF;
  RETURN NULL;
END
$$;
CREATE TRIGGER "Payment_one_completed_per_covered_installment" AFTER INSERT OR UPDATE OF "status" ON "Payment"
  FOR EACH ROW WHEN (NEW."status" = 'COMPLETED') EXECUTE FUNCTION "payment_one_completed_per_covered_installment"();
