-- CreateIndex
CREATE INDEX "Payment_landlordId_status_settledAt_idx" ON "Payment"("landlordId", "status", "settledAt");
