// Autopay end to end on the local engine: the renter turns autopay on through the tRPC route,
// the autopay-installment run sends the notice and sleeps toward the pull; the engine is stopped
// while it sleeps and a new one started on the same database; the run wakes at the pull time
// (not before), pulls an ordinary payment that settles, and schedules the next installment.
// One calendar day plays in two seconds.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resetEnvForTests, env } from '@/server/env';
import { db } from '@/server/db';
import { addCalendarDays, formatDay, scaledInstant } from '@/server/domain/calendar';
import { autopayRunKey } from '@/server/domain/autopay';
import { businessDay } from '@/server/domain/ledger';
import { payingRenter } from '@/server/testing/payments';
import { startInngestForTests, waitFor, type InngestTestHarness } from '@/inngest/engine/testing';
import { inngest } from '@/inngest/client';
import { functions } from '@/inngest/functions';

process.env.SETTLEMENT_TIME_SCALE = String(1 / 43_200);
resetEnvForTests();

let inngestTest: InngestTestHarness | null = null;
beforeAll(async () => {
  inngestTest = await startInngestForTests({ client: inngest, functions });
});
afterAll(() => inngestTest?.stop());

describe('autopay on the engine', () => {
  it('a run sleeping toward its pull survives an engine restart, pulls once at the pull time, and schedules the next installment', { timeout: 240_000 }, async () => {
    const [year, month, day] = businessDay().split('-').map(Number) as [number, number, number];
    // A lease whose first (full) installment is due in 8 calendar days: the pull (RTP, 0 days before) is 5–8 days ahead, 10–16 s here; its notice 3 days earlier.
    const firstDue = formatDay(addCalendarDays({ year, month, day }, 8));
    const setup = await payingRenter({ terms: { startDate: firstDue, dueDay: Number(firstDue.slice(8)) } });
    const [first, second] = setup.lease.installments;
    expect(first!.dueDate).toBe(firstDue);

    const beforeEnable = new Date();
    const enabled = await setup.renterApi.autopay.enable.mutate({ leaseId: setup.lease.id, fromAccountId: setup.from.id, rail: 'RTP', daysBeforeDue: 0 });
    expect(enabled.nextPull).toMatchObject({ installmentId: first!.id });
    const pullPlaysAt = scaledInstant(beforeEnable, enabled.nextPullAt!, env.SETTLEMENT_TIME_SCALE);

    const runKey = autopayRunKey({ installmentId: first!.id, generation: 1, attempt: 1 });
    const [run] = await waitFor(() => inngestTest!.runsForEvent(runKey).then((runs) => (runs.length ? runs : null)), 'the autopay run', 30_000);
    await waitFor(async () => (await inngestTest!.trace(run!.id)).steps.some((s) => s.name === 'wait-for-pull' && s.status === 'sleeping'), 'the run to sleep toward the pull', 60_000, 100);
    expect(await db.notification.count({ where: { userId: setup.renter.id, type: 'autopay.notice' } })).toBe(1);
    expect(await db.payment.count({ where: { installmentId: first!.id } })).toBe(0);

    // Restart the engine while the run sleeps (before the pull plays).
    await inngestTest!.stop();
    inngestTest = null;
    expect(Date.now()).toBeLessThan(pullPlaysAt.getTime());
    inngestTest = await startInngestForTests({ client: inngest, functions });

    const payment = await waitFor(
      () => db.payment.findFirst({ where: { installmentId: first!.id, status: { in: ['COMPLETED', 'FAILED'] } } }),
      'the pulled payment to settle',
      120_000,
      100,
    );
    expect(payment).toMatchObject({ status: 'COMPLETED', rail: 'RTP', fromAccountId: setup.from.id, idempotencyKey: `autopay:${first!.id}:1` });
    expect(payment.createdAt.getTime()).toBeGreaterThanOrEqual(pullPlaysAt.getTime() - 50);
    expect(await db.payment.count({ where: { installmentId: first!.id } })).toBe(1);
    expect((await db.installment.findUniqueOrThrow({ where: { id: first!.id } })).status).toBe('PAID');

    const ended = await inngestTest.waitForEnd(run!.id, 60_000);
    expect(ended.status).toBe('completed');
    const steps = ended.attempts.filter((a) => a.outcome === 'ok').map((a) => ended.steps.find((s) => s.id === a.stepId)?.name);
    for (const name of ['send-notice', 'pull', 'schedule-next']) expect(steps.filter((n) => n === name), name).toHaveLength(1);
    // The next installment's run was scheduled and waits for its own notice.
    const next = await waitFor(() => inngestTest!.runsForEvent(autopayRunKey({ installmentId: second!.id, generation: 1, attempt: 1 })).then((runs) => (runs.length ? runs : null)), 'the next run');
    expect(next).toHaveLength(1);
    const after = await setup.renterApi.autopay.get.query({ leaseId: setup.lease.id });
    expect(after).toMatchObject({ enabled: true, nextPull: { installmentId: second!.id } });
  });
});
