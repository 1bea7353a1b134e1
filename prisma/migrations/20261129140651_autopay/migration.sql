-- AlterTable
ALTER TABLE "User" ADD COLUMN     "emailOptIns" VARCHAR(60)[] DEFAULT ARRAY[]::VARCHAR(60)[];

-- AlterTable
ALTER TABLE "Lease" ADD COLUMN     "reminderDaysBeforeDue" INTEGER NOT NULL DEFAULT 5;

-- AlterTable
ALTER TABLE "Installment" ADD COLUMN     "autopaySkippedAt" TIMESTAMPTZ(3);

-- CreateTable
CREATE TABLE "Autopay" (
    "id" UUID NOT NULL,
    "leaseId" UUID NOT NULL,
    "renterId" UUID NOT NULL,
    "fromAccountId" UUID NOT NULL,
    "rail" "Rail" NOT NULL,
    "daysBeforeDue" INTEGER NOT NULL,
    "enabled" BOOLEAN NOT NULL,
    "disabledReason" VARCHAR(500),
    "generation" INTEGER NOT NULL DEFAULT 1,
    "enabledAt" TIMESTAMPTZ(3) NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Autopay_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SentNotice" (
    "kind" VARCHAR(40) NOT NULL,
    "subjectId" UUID NOT NULL,
    "period" VARCHAR(20) NOT NULL DEFAULT '',
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SentNotice_pkey" PRIMARY KEY ("kind","subjectId","period")
);

-- CreateIndex
CREATE UNIQUE INDEX "Autopay_leaseId_key" ON "Autopay"("leaseId");

-- CreateIndex
CREATE INDEX "Autopay_renterId_idx" ON "Autopay"("renterId");

-- CreateIndex
CREATE INDEX "Autopay_fromAccountId_idx" ON "Autopay"("fromAccountId");

-- AddForeignKey
ALTER TABLE "Autopay" ADD CONSTRAINT "Autopay_leaseId_fkey" FOREIGN KEY ("leaseId") REFERENCES "Lease"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Autopay" ADD CONSTRAINT "Autopay_renterId_fkey" FOREIGN KEY ("renterId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Autopay" ADD CONSTRAINT "Autopay_fromAccountId_fkey" FOREIGN KEY ("fromAccountId") REFERENCES "BankAccount"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Hand-written: the ranges the API validates, kept by the database too.
ALTER TABLE "Lease" ADD CONSTRAINT "Lease_reminderDaysBeforeDue_range" CHECK ("reminderDaysBeforeDue" BETWEEN 0 AND 28);
ALTER TABLE "Autopay"
  ADD CONSTRAINT "Autopay_daysBeforeDue_range" CHECK ("daysBeforeDue" BETWEEN 0 AND 10),
  ADD CONSTRAINT "Autopay_generation_positive" CHECK ("generation" >= 1);
ALTER TABLE "SentNotice" ADD CONSTRAINT "SentNotice_kind_known" CHECK ("kind" IN ('rent.reminder', 'installment.overdue', 'autopay.notice', 'overdue.digest'));
