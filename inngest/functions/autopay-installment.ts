// Pays one installment by autopay (server/domain/autopay.ts has the rules): sleep until the
// notice time, send the notice (portal + email), sleep until the pull time, re-check and pull
// (an ordinary payment, then its settlement request), then schedule the next installment.
// A re-presentment after insufficient funds is a run of its own (attempt ≥ 2, `pullAt` given,
// no notice). Every instant is a real-calendar time played by the demo clock from when the run
// was scheduled (`scaledInstant(scheduledAt, instant, SETTLEMENT_TIME_SCALE)`), as settle-payment
// does; the sleeps are durable (the engine keeps them across restarts). A run whose autopay was
// turned off or changed since (another generation), or whose installment was skipped or paid,
// does nothing when it wakes.
import { NonRetriableError } from 'inngest';
import { z } from 'zod';
import { inngest } from '@/inngest/client';
import { AUTOPAY_SCHEDULED, requestAutopayRun } from '@/inngest/autopay';
import { requestOutboxDispatch } from '@/inngest/outbox';
import { requestSettlement } from '@/inngest/payments';
import { db } from '@/server/db';
import { env } from '@/server/env';
import { checkRun, nextRunAfter, pullAutopayInstallment, sendAutopayNotice, type AutopayRunRequest } from '@/server/domain/autopay';
import { scaledInstant } from '@/server/domain/calendar';

const runData = z.object({
  autopayId: z.uuid(),
  installmentId: z.uuid(),
  generation: z.number().int().min(1),
  attempt: z.number().int().min(1),
  scheduledAt: z.iso.datetime(),
  pullAt: z.iso.datetime().optional(),
});

export const autopayInstallmentFunction = inngest.createFunction(
  {
    id: 'autopay-installment',
    name: 'Pay an installment by autopay',
    triggers: [{ event: AUTOPAY_SCHEDULED }],
    // One run per installment, generation and attempt (the event id is the same key).
    idempotency: 'event.data.key',
    retries: 5,
  },
  async ({ event, step }) => {
    const parsed = runData.safeParse(event.data);
    if (!parsed.success) throw new NonRetriableError(`${AUTOPAY_SCHEDULED}: ${parsed.error.issues[0]?.path.join('.')} ${parsed.error.issues[0]?.message}`);
    const run: AutopayRunRequest = parsed.data;
    const playAt = (instant: string | Date) => scaledInstant(new Date(run.scheduledAt), new Date(instant), env.SETTLEMENT_TIME_SCALE);
    const sleepUntil = async (name: string, instant: string | Date) => {
      const at = playAt(instant);
      if (at.getTime() > Date.now()) await step.sleepUntil(name, at);
    };

    // The installment after this one, once this one is pulled or needs no pull (first presentments only).
    const scheduleNext = () =>
      step.run('schedule-next', async () => {
        const request = await db.$transaction((tx) => nextRunAfter(tx, run));
        await requestAutopayRun(request);
        return request;
      });
    const ownerGone = (reason: string | null) => reason === 'stale' || reason === 'missing' || reason === 'lease-inactive';

    const plan = await step.run('plan', async () => checkRun(db, run));
    if (!plan.go) {
      const next = run.attempt === 1 && !ownerGone(plan.reason) ? await scheduleNext() : null;
      return { ...run, outcome: plan.reason, next };
    }

    if (plan.noticeAt) {
      await sleepUntil('wait-for-notice', plan.noticeAt);
      const notice = await step.run('send-notice', async () => {
        const result = await db.$transaction((tx) => sendAutopayNotice(tx, run));
        if (result.sent) requestOutboxDispatch();
        return { sent: result.sent, reason: result.state.go ? null : result.state.reason };
      });
      // Turned off or changed meanwhile: a newer run (if any) owns the installment now.
      if (ownerGone(notice.reason)) return { ...run, outcome: notice.reason };
    }

    await sleepUntil('wait-for-pull', plan.pullAt);
    const pull = await step.run('pull', async () => {
      const result = await pullAutopayInstallment(db, run);
      if (result.pulled && !result.replayed) await requestSettlement(result.paymentId);
      // A refused pull stopped autopay and told both parties (mail queued).
      else if (!result.pulled) requestOutboxDispatch();
      return result;
    });

    if (run.attempt > 1) return { ...run, pull };
    return { ...run, pull, next: await scheduleNext() };
  },
);
