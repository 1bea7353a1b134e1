// What one RTP settlement costs the app at the smallest settlement scale (a calendar day in
// one second, the tests' and the bench's): one call per step and one to finish, through the
// local engine and real HTTP. Its settlement time (2 s of real calendar) has already played,
// so the run sleeps not at all; a final rail stops once settled.
process.env.SETTLEMENT_TIME_SCALE = String(1 / 86_400);
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resetEnvForTests } from '@/server/env';
import { db } from '@/server/db';
import { createPayment } from '@/server/domain/payments';
import { inngest } from '@/inngest/client';
import { requestSettlement } from '@/inngest/payments';
import { payingRenter } from '@/server/testing/payments';
import { startInngestForTests, type InngestTestHarness } from '@/inngest/engine/testing';
import { settlePaymentFunction } from './settle-payment';

resetEnvForTests();

let harness: InngestTestHarness;
/** The engine's `call` lines: one per call to the app. */
const calls: { runId: string; outcome: string }[] = [];

beforeAll(async () => {
  harness = await startInngestForTests({
    client: inngest,
    functions: [settlePaymentFunction],
    engine: { log: (line, fields) => void (line === 'call' && fields && calls.push(fields as (typeof calls)[number])) },
  });
});

afterAll(async () => {
  await harness?.stop();
});

describe('settle-payment through the engine at the smallest scale', () => {
  it('settles an RTP payment in one call per step and one to finish (the schedule is read in each call, not a step of its own), final at once, with no sleep', async () => {
    const setup = await payingRenter();
    const { result: payment } = await createPayment(
      db,
      { id: setup.renter.id, role: 'RENTER' },
      { installmentId: setup.lease.installments[0]!.id, fromAccountId: setup.from.id, rail: 'RTP' },
      null,
    );
    await requestSettlement(payment.id);
    const run = await harness.waitForRun((candidate) => candidate.status === 'completed', { functionId: 'directpay-settle-payment' }, 60_000);
    const trace = await harness.trace(run.id);
    expect(trace.steps.map((step) => [step.name, step.status])).toEqual([
      ['submit-to-rail', 'completed'],
      ['ask-bank', 'completed'],
      ['record-settlement', 'completed'],
    ]);
    expect(trace.output).toMatchObject({ paymentId: payment.id, settled: true, status: 'COMPLETED', outcome: { ok: true } });
    expect(calls.filter((call) => call.runId === run.id).map((call) => call.outcome)).toEqual(['ops', 'ops', 'ops', 'complete']);
    const row = await db.payment.findUniqueOrThrow({ where: { id: payment.id } });
    expect(row).toMatchObject({ status: 'COMPLETED', finalAt: row.settledAt, returnableUntil: null });
    expect(await db.event.count({ where: { aggregateId: payment.id, type: 'payment.completed' } })).toBe(1);
  });
});
