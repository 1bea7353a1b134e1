// How the API hands payments to background work. A send that fails after the payment was
// committed is logged, not surfaced: the payment exists, and the recovery function re-sends
// its request (inngest/functions/recover-payments.ts).
import { inngest } from '@/inngest/client';
import { requestOutboxDispatch } from '@/inngest/outbox';
import { logger } from '@/server/logger';

export const PAYMENT_CREATED = 'payment/created';
export const PAYMENT_CANCELLED = 'payment/cancelled';
/**
 * A bank returned a settled payment: `{ paymentId, code, reason?, returnedAt? }` (returnedAt an
 * ISO instant on the real calendar). Sent by a bank's return file processor; here by the bank
 * simulator (inngest/functions/simulate-bank-return.ts). Handled by handle-payment-return.
 */
export const BANK_PAYMENT_RETURNED = 'bank/payment.returned';
/** The simulated bank will return a payment later: `{ paymentId, code, returnedAt, playAt }` (ISO instants). */
export const BANK_SIMULATOR_RETURN_SCHEDULED = 'bank-simulator/return.scheduled';

export async function requestSettlement(paymentId: string, reason: 'created' | 'recovery' = 'created'): Promise<void> {
  // The payment.created webhooks and mail its transaction queued (coalesced with other commits').
  requestOutboxDispatch();
  try {
    // The event id de-duplicates repeated sends of the first request; a recovery is a new request.
    const id = reason === 'created' ? `payment-created-${paymentId}` : `payment-recovery-${paymentId}-${Date.now()}`;
    await inngest.send({ id, name: PAYMENT_CREATED, data: { paymentId } });
  } catch (error) {
    logger.warn({ paymentId, err: error }, 'could not request settlement; the recovery function will retry');
  }
}

/** Ends a settlement run that is waiting to submit a payment the renter cancelled. */
export async function requestCancellationStop(paymentId: string): Promise<void> {
  try {
    await inngest.send({ id: `payment-cancelled-${paymentId}`, name: PAYMENT_CANCELLED, data: { paymentId } });
  } catch (error) {
    // Harmless: the run finds the payment CANCELLED when it wakes and ends without touching it.
    logger.warn({ paymentId, err: error }, 'could not stop the settlement run early');
  }
}
