// Settles one payment: wait for the rail's submission window (ACH batches; none for RTP and
// wire), PENDING → PROCESSING, wait the rail's settlement delay, ask the bank simulator,
// then PROCESSING → COMPLETED or FAILED. Every transition is its own step and a conditional
// update (server/domain/settlement.ts), so retried or duplicated runs never settle twice;
// a repeated submit step still answers "proceed" while the payment is PROCESSING, so a run
// whose engine died mid-step goes on to settle it.
// A bank that does not answer (TransientBankError) is retried with Inngest's backoff; a
// return code is an answer, recorded once and never retried.
import { NonRetriableError } from 'inngest';
import { z } from 'zod';
import { inngest } from '@/inngest/client';
import { PAYMENT_CANCELLED, PAYMENT_CREATED } from '@/inngest/payments';
import { requestOutboxDispatch } from '@/inngest/outbox';
import { db } from '@/server/db';
import { env } from '@/server/env';
import { decideSettlement } from '@/server/domain/bank-simulator';
import { settlePayment, submitPayment } from '@/server/domain/settlement';

const eventData = z.object({ paymentId: z.uuid() });

export function paymentIdOf(data: unknown): string {
  const parsed = eventData.safeParse(data);
  if (!parsed.success) throw new NonRetriableError(`payment/created needs data.paymentId (a uuid): ${parsed.error.issues[0]?.message}`);
  return parsed.data.paymentId;
}

/** When the bank never answers even after every retry: the payment fails with a clear reason, nothing moved. */
export const NO_ANSWER = { ok: false, code: 'E_TIMEOUT', reason: 'The bank did not confirm the payment in time; no money moved' } as const;

export const settlePaymentFunction = inngest.createFunction(
  {
    id: 'settle-payment',
    name: 'Settle a rent payment',
    triggers: [{ event: PAYMENT_CREATED }],
    retries: 5,
    // A renter's cancellation ends the run while it waits for the submission window.
    cancelOn: [{ event: PAYMENT_CANCELLED, match: 'data.paymentId' }],
    onFailure: async ({ event, step }) => {
      const paymentId = paymentIdOf(event.data.event.data);
      // Only a payment already at the bank can be failed for want of an answer; one that never
      // left PENDING is picked up again by the recovery function.
      const failed = await step.run('fail-unconfirmed-payment', () => db.$transaction((tx) => settlePayment(tx, paymentId, NO_ANSWER)));
      if (failed.settled) await step.run('dispatch-notices', () => requestOutboxDispatch());
      return failed;
    },
  },
  async ({ event, step, attempt }) => {
    const paymentId = paymentIdOf(event.data);
    const plan = await step.run('load-payment', async () => {
      const payment = await db.payment.findUnique({ where: { id: paymentId }, select: { status: true, submitAt: true } });
      if (!payment) throw new NonRetriableError(`payment ${paymentId} does not exist`);
      return payment;
    });
    if (plan.status !== 'PENDING') return { paymentId, status: plan.status, note: 'nothing to submit' };

    if (new Date(plan.submitAt).getTime() > Date.now()) await step.sleepUntil('wait-for-submission-window', plan.submitAt);

    const submission = await step.run('submit-to-rail', () => db.$transaction((tx) => submitPayment(tx, paymentId)));
    if (!submission.proceed) return { paymentId, status: submission.status, note: 'no longer pending; left untouched' };

    await step.sleepUntil('wait-for-settlement', submission.expectedSettlementAt);

    const outcome = await step.run('ask-bank', () => decideSettlement({ rail: submission.rail, fromLast4: submission.fromLast4, attempt }, env.BANK_SUCCESS_RATE));

    const settled = await step.run('record-settlement', () => db.$transaction((tx) => settlePayment(tx, paymentId, outcome)));
    // Its notices' mail and its webhooks were queued in that transaction.
    if (settled.settled) await step.run('dispatch-notices', () => requestOutboxDispatch());
    return { paymentId, ...settled, outcome };
  },
);
