// The bank simulator's side of a return: a bank sends a return file days after it settled a
// debit. The settlement run tells the simulator which payments its test accounts return
// (…0011 R01 about a banking day later, …0010 R10 about ten banking days later); this function
// waits until the demo clock plays that moment, then delivers the return to DirectPay as the
// `bank/payment.returned` event, exactly as a real return would arrive.
import { NonRetriableError } from 'inngest';
import { z } from 'zod';
import { inngest } from '@/inngest/client';
import { BANK_PAYMENT_RETURNED, BANK_SIMULATOR_RETURN_SCHEDULED } from '@/inngest/payments';
import { ACH_RETURN_REASONS } from '@/server/domain/bank-simulator';
import { RETURN_CODES } from '@/server/domain/calendar';

export const scheduledReturn = z.object({
  paymentId: z.uuid(),
  code: z.enum(RETURN_CODES),
  /** Real-calendar instant of the return (what the payment records). */
  returnedAt: z.iso.datetime(),
  /** Wall-clock instant the demo clock plays it (scaledInstant). */
  playAt: z.iso.datetime(),
});

export const simulateBankReturnFunction = inngest.createFunction(
  { id: 'simulate-bank-return', name: 'Bank simulator: return a settled payment later', triggers: [{ event: BANK_SIMULATOR_RETURN_SCHEDULED }], retries: 5 },
  async ({ event, step }) => {
    const parsed = scheduledReturn.safeParse(event.data);
    if (!parsed.success) throw new NonRetriableError(`${BANK_SIMULATOR_RETURN_SCHEDULED}: ${parsed.error.issues[0]?.message}`);
    const { paymentId, code, returnedAt, playAt } = parsed.data;
    if (new Date(playAt).getTime() > Date.now()) await step.sleepUntil('wait-for-return-day', playAt);
    await step.sendEvent('send-return-file', {
      id: `bank-return-${paymentId}-${code}`,
      name: BANK_PAYMENT_RETURNED,
      data: { paymentId, code, reason: ACH_RETURN_REASONS[code], returnedAt },
    });
    return { paymentId, code, returnedAt };
  },
);
