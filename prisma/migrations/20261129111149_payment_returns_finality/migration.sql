-- AlterTable
ALTER TABLE "BankAccount" ADD COLUMN     "deactivatedReason" VARCHAR(300);

-- AlterTable
ALTER TABLE "Payment" ADD COLUMN     "finalAt" TIMESTAMPTZ(3),
ADD COLUMN     "returnedAt" TIMESTAMPTZ(3);

-- Only money that settled can be final (a RETURNED payment keeps the finality it had, R10 after it).
ALTER TABLE "Payment" ADD CONSTRAINT "Payment_final_only_when_settled" CHECK ("finalAt" IS NULL OR "status" IN ('COMPLETED', 'RETURNED')),
  ADD CONSTRAINT "Payment_returned_has_time_and_code" CHECK (("status" = 'RETURNED') = ("returnedAt" IS NOT NULL) AND ("status" <> 'RETURNED' OR "failureCode" IS NOT NULL));
-- At most one settled payment per installment: a returned one no longer counts, so rent paid
-- again after a return is allowed, but never two at once.
CREATE UNIQUE INDEX "Payment_one_completed_per_installment" ON "Payment"("installmentId") WHERE "status" = 'COMPLETED';
