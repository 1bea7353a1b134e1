-- Hand-written: no change to schema.prisma (Prisma cannot express a partial unique index).

-- At most one COMPLETED payment per installment: rent is never collected twice, whatever code
-- path settles it. (A RETURNED payment no longer counts, so the installment can be paid again.)
CREATE UNIQUE INDEX "Payment_one_completed_per_installment" ON "Payment"("installmentId") WHERE "status" = 'COMPLETED';
