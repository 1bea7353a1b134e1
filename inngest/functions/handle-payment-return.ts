// A bank returned a settled payment (`bank/payment.returned`): record it once
// (server/domain/returns.ts). A duplicate event finds the payment RETURNED and changes nothing;
// a return the rules refuse (window closed, not ACH, not settled) is answered, not retried.
import { NonRetriableError } from 'inngest';
import { z } from 'zod';
import { inngest } from '@/inngest/client';
import { requestOutboxDispatch } from '@/inngest/outbox';
import { requestAutopayRun } from '@/inngest/autopay';
import { BANK_PAYMENT_RETURNED } from '@/inngest/payments';
import { db } from '@/server/db';
import { RETURN_CODES } from '@/server/domain/calendar';
import { DomainError } from '@/server/domain/errors';
import { returnPayment } from '@/server/domain/returns';

const paymentReturned = z.object({
  paymentId: z.uuid(),
  code: z.enum(RETURN_CODES),
  reason: z.string().max(500).optional(),
  returnedAt: z.iso.datetime().optional(),
});

export const handlePaymentReturnFunction = inngest.createFunction(
  { id: 'handle-payment-return', name: 'Record a bank return', triggers: [{ event: BANK_PAYMENT_RETURNED }], retries: 5 },
  async ({ event, step }) => {
    const parsed = paymentReturned.safeParse(event.data);
    if (!parsed.success) throw new NonRetriableError(`${BANK_PAYMENT_RETURNED}: ${parsed.error.issues[0]?.path.join('.')} ${parsed.error.issues[0]?.message}`);
    const { paymentId, code, reason, returnedAt } = parsed.data;
    return step.run('record-return', async () => {
      try {
        const result = await db.$transaction((tx) => returnPayment(tx, paymentId, { code, reason, returnedAt: returnedAt ? new Date(returnedAt) : undefined }));
        // Its notices' mail and webhooks were queued in that transaction.
        requestOutboxDispatch();
        // A returned autopay pull presented again on the next banking day.
        await requestAutopayRun(result.autopayRun);
        return { paymentId, code, ...result };
      } catch (error) {
        if (error instanceof DomainError) return { paymentId, code, returned: false, refused: error.message };
        throw error;
      }
    });
  },
);
