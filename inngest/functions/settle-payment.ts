// Settles one payment on the banking calendar, played by the demo clock: wait until its
// submission time (the ACH batch window; none for RTP and wire), PENDING → PROCESSING, wait
// until its settlement time, ask the bank simulator, then PROCESSING → COMPLETED or FAILED.
// A settled ACH payment then waits out its return window and becomes final (finalAt), unless
// a bank return (handle-payment-return) came first. Every instant is a real-calendar time
// recorded on the payment, slept until `scaledInstant(createdAt, instant, SETTLEMENT_TIME_SCALE)`.
// Every transition is its own step and a conditional update (server/domain/settlement.ts), so
// retried or duplicated runs never settle twice; a repeated submit step still answers
// "proceed" while the payment is PROCESSING, so a run whose engine died mid-step goes on.
// A bank that does not answer (TransientBankError) is retried with Inngest's backoff; a
// return code is an answer, recorded once and never retried.
import { NonRetriableError } from 'inngest';
import { z } from 'zod';
import { inngest } from '@/inngest/client';
import { BANK_SIMULATOR_RETURN_SCHEDULED, PAYMENT_CANCELLED, PAYMENT_CREATED } from '@/inngest/payments';
import { requestOutboxDispatch } from '@/inngest/outbox';
import { requestAutopayRun } from '@/inngest/autopay';
import { db } from '@/server/db';
import { env } from '@/server/env';
import { decideSettlement } from '@/server/domain/bank-simulator';
import { addBankingDays, isAchRail, newYorkTime, scaledInstant } from '@/server/domain/calendar';
import { finalizePayment, settlePayment, submitPayment } from '@/server/domain/settlement';

const eventData = z.object({ paymentId: z.uuid() });

export function paymentIdOf(data: unknown): string {
  const parsed = eventData.safeParse(data);
  if (!parsed.success) throw new NonRetriableError(`payment/created needs data.paymentId (a uuid): ${parsed.error.issues[0]?.message}`);
  return parsed.data.paymentId;
}

/** When the bank never answers even after every retry: the payment fails with a clear reason, nothing moved. */
export const NO_ANSWER = { ok: false, code: 'E_TIMEOUT', reason: 'The bank did not confirm the payment in time; no money moved' } as const;

/** The wall-clock instant (ISO) the demo clock plays a payment's real-calendar instant. */
const playAt = (createdAt: string | Date, instant: string | Date) => scaledInstant(new Date(createdAt), new Date(instant), env.SETTLEMENT_TIME_SCALE).toISOString();

/** The simulated bank sends its return at noon ET, `afterBankingDays` banking days after the settlement date. */
const simulatedReturnTime = (settledAt: string, afterBankingDays: number) => newYorkTime(addBankingDays(new Date(settledAt), afterBankingDays), 12);

export const settlePaymentFunction = inngest.createFunction(
  {
    id: 'settle-payment',
    name: 'Settle a rent payment',
    triggers: [{ event: PAYMENT_CREATED }],
    retries: 5,
    // Checkpointing (Inngest SDK v4): the SDK runs the steps between two sleeps in one call and
    // reports them together, with the sleep or the run's end, instead of one checkpoint request
    // per step (an HTTP request to Inngest and a transaction there each; issue 13). Held results
    // are at most `maxInterval` old. Losing them to a crash repeats steps that are safe to
    // repeat, as a retry would: submission proceeds on a payment already PROCESSING, and
    // recording answers `settled: false` for one already settled (the window is then read in
    // `load-return-window`).
    checkpointing: { bufferedSteps: 10, maxInterval: '2s' },
    // Money first: a settlement goes ahead of background work (mail, webhooks, reminders)
    // queued up to 10 minutes before it, the most Inngest allows. Without it, a payment made
    // just after a burst of mail waited for all of it (measured in the bench: an RTP settlement
    // waited 2.4 s behind 150 invitation mails dispatched just before it).
    priority: { run: '600' },
    // A renter's cancellation ends the run while it waits for the submission window.
    cancelOn: [{ event: PAYMENT_CANCELLED, match: 'data.paymentId' }],
    onFailure: async ({ event, step }) => {
      const paymentId = paymentIdOf(event.data.event.data);
      // Only a payment already at the bank can be failed for want of an answer; one that never
      // left PENDING is picked up again by the recovery function.
      return step.run('fail-unconfirmed-payment', async () => {
        const failed = await db.$transaction((tx) => settlePayment(tx, paymentId, NO_ANSWER));
        if (failed.settled) requestOutboxDispatch();
        await requestAutopayRun(failed.autopayRun);
        return failed;
      });
    },
  },
  async ({ event, step, attempt }) => {
    const paymentId = paymentIdOf(event.data);
    // The payment's schedule is read on every call rather than in a step of its own: it never
    // changes once written, so every call sees the same plan (the determinism Inngest asks of
    // code outside steps), and a step would cost the run a call to the app (issue 13). Whether
    // the payment is still PENDING is the submit step's conditional update to decide.
    const plan = await db.payment.findUnique({ where: { id: paymentId }, select: { createdAt: true, submitAt: true } });
    if (!plan) throw new NonRetriableError(`payment ${paymentId} does not exist`);

    const submitPlaysAt = playAt(plan.createdAt, plan.submitAt);
    if (new Date(submitPlaysAt).getTime() > Date.now()) await step.sleepUntil('wait-for-submission-window', submitPlaysAt);

    const submission = await step.run('submit-to-rail', () => db.$transaction((tx) => submitPayment(tx, paymentId)));
    if (!submission.proceed) return { paymentId, status: submission.status, note: 'no longer pending; left untouched' };

    // Slept only while the settlement time lies ahead, as the submission window: at the smallest
    // scale an RTP payment's (2 s of real calendar) has already played, and reporting a sleep
    // that is over would cost the run a call to the app for nothing.
    const settlementPlaysAt = playAt(plan.createdAt, submission.expectedSettlementAt);
    if (new Date(settlementPlaysAt).getTime() > Date.now()) await step.sleepUntil('wait-for-settlement', settlementPlaysAt);

    const outcome = await step.run('ask-bank', () => decideSettlement({ rail: submission.rail, fromLast4: submission.fromLast4, attempt }, env.BANK_SUCCESS_RATE));

    // Its notices' mail and its webhooks are queued in that transaction and dispatched once it
    // commits, in the same step (no extra call to the app; a lost dispatch is swept within a minute).
    const settled = await step.run('record-settlement', async () => {
      const result = await db.$transaction((tx) => settlePayment(tx, paymentId, outcome));
      if (result.settled) requestOutboxDispatch();
      // A failed autopay pull presented again on the next banking day.
      await requestAutopayRun(result.autopayRun);
      return result;
    });
    // The bank's answer as recorded: none when another run recorded the settlement first (an
    // operator's rerun beside a live run). Its answer stands, so this run neither reports its own
    // (the runs dashboard shows a run's outcome) nor schedules a return from it.
    const recorded = settled.settled ? outcome : null;
    // RTP and wire are final once settled (calendar.ts `returnDeadline` is null for them, so
    // finalAt = settledAt; the simulated bank returns only ACH): nothing below applies to them.
    if (settled.status !== 'COMPLETED' || !isAchRail(submission.rail)) return { paymentId, ...settled, outcome: recorded };

    // The window as the settlement recorded it. A run memoized before the result carried it
    // (a deploy while the run waits out days of calendar) reads it in the step it had then.
    const final =
      settled.returnableUntil === undefined
        ? await step.run('load-return-window', () =>
            db.payment.findUniqueOrThrow({ where: { id: paymentId }, select: { settledAt: true, returnableUntil: true, finalAt: true } }),
          )
        : { settledAt: settled.settledAt ?? null, returnableUntil: settled.returnableUntil, finalAt: null };
    if (recorded?.ok && recorded.laterReturn && final.settledAt) {
      const returnedAt = simulatedReturnTime(final.settledAt, recorded.laterReturn.afterBankingDays);
      await step.sendEvent('bank-simulator-schedules-return', {
        id: `bank-return-scheduled-${paymentId}`,
        name: BANK_SIMULATOR_RETURN_SCHEDULED,
        data: { paymentId, code: recorded.laterReturn.code, returnedAt: returnedAt.toISOString(), playAt: playAt(plan.createdAt, returnedAt) },
      });
    }
    if (final.finalAt || !final.returnableUntil) return { paymentId, ...settled, outcome: recorded };

    // Final strictly after the window's last millisecond.
    await step.sleepUntil('wait-for-finality', new Date(new Date(playAt(plan.createdAt, final.returnableUntil)).getTime() + 1));
    const finality = await step.run('record-finality', async () => {
      const result = await db.$transaction((tx) => finalizePayment(tx, paymentId));
      // Woken a hair early (clocks): a retriable error asks Inngest to run the step again shortly.
      if (result.notYetDue) throw new Error(`payment ${paymentId} is still returnable; finality is not due yet`);
      requestOutboxDispatch();
      return result;
    });
    // `status` is the payment's when the run ends (RETURNED when a return came first): the runs
    // dashboard shows it beside the run's own status (runResultOf in inngest/engine/read.ts).
    return { paymentId, ...settled, outcome: recorded, finality, status: finality.status };
  },
);
