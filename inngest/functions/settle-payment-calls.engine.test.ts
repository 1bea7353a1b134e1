// What one RTP settlement costs the app at the smallest settlement scale (a calendar day in
// one second, the tests' and the bench's), through the local engine and real HTTP: with
// checkpointing (the engine's default) one call, in which the SDK runs every step and reports
// them all in its answer (settle-payment holds its results: `bufferedSteps`); without, one call
// per step and one to finish. Its settlement time
// (2 s of real calendar) has already played, so the run sleeps not at all; a final rail stops
// once settled.
process.env.SETTLEMENT_TIME_SCALE = String(1 / 86_400);
import { afterAll, describe, expect, it } from 'vitest';
import { resetEnvForTests } from '@/server/env';
import { db } from '@/server/db';
import { createPayment } from '@/server/domain/payments';
import { inngest } from '@/inngest/client';
import { requestSettlement } from '@/inngest/payments';
import { payingRenter } from '@/server/testing/payments';
import { startInngestForTests, type InngestTestHarness } from '@/inngest/engine/testing';
import { settlePaymentFunction } from './settle-payment';

resetEnvForTests();

/** The engine's `call` lines: one per call to the app. */
const calls: { runId: string; outcome: string }[] = [];
/** The engine's `checkpoint` lines: one per checkpoint request the SDK made during a call. */
const checkpoints: { runId: string; steps: number }[] = [];
/** One engine at a time (a second would claim the first's runs from the same queue). */
let current: InngestTestHarness | undefined;

async function start(checkpointing: boolean): Promise<InngestTestHarness> {
  await current?.stop();
  current = await startInngestForTests({
    client: inngest,
    functions: [settlePaymentFunction],
    engine: {
      tuning: { checkpointing },
      log: (line, fields) => {
        if (line === 'call' && fields) calls.push(fields as (typeof calls)[number]);
        if (line === 'checkpoint' && fields) checkpoints.push(fields as (typeof checkpoints)[number]);
      },
    },
  });
  return current;
}

afterAll(async () => {
  await current?.stop();
});

/** Settles one RTP payment through `harness`; returns the engine's call outcomes for its run and the checkpoint requests made. */
async function settleOne(harness: InngestTestHarness): Promise<{ calls: string[]; checkpoints: number }> {
  const setup = await payingRenter();
  const { result: payment } = await createPayment(
    db,
    { id: setup.renter.id, role: 'RENTER' },
    { installmentId: setup.lease.installments[0]!.id, fromAccountId: setup.from.id, rail: 'RTP' },
    null,
  );
  await requestSettlement(payment.id);
  const run = await harness.waitForRun((candidate) => candidate.status === 'completed' && (candidate.eventData as { paymentId?: string } | null)?.paymentId === payment.id, { functionId: 'directpay-settle-payment' }, 60_000);
  const trace = await harness.trace(run.id);
  expect(trace.steps.map((step) => [step.name, step.status])).toEqual([
    ['submit-to-rail', 'completed'],
    ['ask-bank', 'completed'],
    ['record-settlement', 'completed'],
  ]);
  // Each step ran once, with one ok attempt.
  expect(trace.attempts.map((attempt) => [trace.steps.find((step) => step.id === attempt.stepId)?.name, attempt.outcome])).toEqual([
    ['submit-to-rail', 'ok'],
    ['ask-bank', 'ok'],
    ['record-settlement', 'ok'],
  ]);
  expect(trace.output).toMatchObject({ paymentId: payment.id, settled: true, status: 'COMPLETED', outcome: { ok: true } });
  const row = await db.payment.findUniqueOrThrow({ where: { id: payment.id } });
  expect(row).toMatchObject({ status: 'COMPLETED', finalAt: row.settledAt, returnableUntil: null });
  expect(await db.event.count({ where: { aggregateId: payment.id, type: 'payment.completed' } })).toBe(1);
  return { calls: calls.filter((call) => call.runId === run.id).map((call) => call.outcome), checkpoints: checkpoints.filter((line) => line.runId === run.id).length };
}

describe('settle-payment through the engine at the smallest scale', () => {
  it('settles an RTP payment in one call and no checkpoint request: the SDK runs the three steps and reports them with the run\'s end in its answer (the schedule is read in the call, not a step of its own), final at once, with no sleep', async () => {
    const harness = await start(true);
    expect(await settleOne(harness)).toEqual({ calls: ['ops'], checkpoints: 0 });
  });

  it('without checkpointing: one call per step and one to finish', async () => {
    const harness = await start(false);
    expect(await settleOne(harness)).toEqual({ calls: ['ops', 'ops', 'ops', 'complete'], checkpoints: 0 });
  });
});
