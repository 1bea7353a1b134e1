-- Hand-written: no change to schema.prisma (Prisma cannot express a partial index).

-- The recovery sweep (findPaymentsLeftBehind, server/domain/settlement.ts) looks every minute
-- for settled ACH payments whose return window ended without their finality being recorded:
-- only the few COMPLETED payments not yet final, not every COMPLETED payment ever made.
CREATE INDEX "Payment_awaiting_finality" ON "Payment"("returnableUntil") WHERE "status" = 'COMPLETED' AND "finalAt" IS NULL;
