// The settlement function's branches, run in-process with @inngest/test against the real
// database (sleeps are the only mocked steps). The path through the real engine and HTTP
// route is covered in settle-payment.engine.test.ts.
import { InngestTestEngine } from '@inngest/test';
import { describe, expect, it } from 'vitest';
import { db } from '@/server/db';
import { env } from '@/server/env';
import { scaledInstant } from '@/server/domain/calendar';
import { cancelPayment, createPayment } from '@/server/domain/payments';
import { TransientBankError } from '@/server/domain/bank-simulator';
import { settlePayment } from '@/server/domain/settlement';
import { payingRenter, rewritePaymentDates } from '@/server/testing/payments';
import { settlePaymentFunction } from './settle-payment';

// Fresh mock objects per run: @inngest/test keeps state on the step mocks it is given.
const sleeps = () => [
  { id: 'wait-for-submission-window', handler: () => undefined },
  { id: 'wait-for-settlement', handler: () => undefined },
  { id: 'wait-for-finality', handler: () => undefined },
];

async function newPayment(options: { last4?: string; rail?: 'RTP' | 'STANDARD_ACH' | 'SAME_DAY_ACH' } = {}) {
  const setup = await payingRenter({ last4: options.last4 });
  const { result } = await createPayment(
    db,
    { id: setup.renter.id, role: 'RENTER' },
    { installmentId: setup.lease.installments[0]!.id, fromAccountId: setup.from.id, rail: options.rail ?? 'RTP' },
    null,
  );
  return { setup, payment: result };
}

const run = (paymentId: string, steps: { id: string; handler: () => unknown }[] = sleeps()) => new InngestTestEngine({ function: settlePaymentFunction }).execute({ events: [{ name: 'payment/created', data: { paymentId } }], steps });
const statusOf = async (id: string) => (await db.payment.findUniqueOrThrow({ where: { id }, select: { status: true } })).status;

describe('settle-payment', () => {
  it('takes an RTP payment from PENDING to COMPLETED, final at once', async () => {
    const { payment } = await newPayment();
    const { result, error } = await run(payment.id);
    expect(error).toBeUndefined();
    expect(result).toMatchObject({ paymentId: payment.id, settled: true, status: 'COMPLETED', outcome: { ok: true } });
    const row = await db.payment.findUniqueOrThrow({ where: { id: payment.id } });
    expect(row).toMatchObject({ status: 'COMPLETED', finalAt: row.settledAt });
  });

  it('records a settled ACH payment final once the demo clock has played its return window', async () => {
    const { payment } = await newPayment({ rail: 'STANDARD_ACH' });
    // The mocked sleeps return at once; the finality step is retried until the window has really passed.
    const waitOutWindow = sleeps().map((sleep) =>
      sleep.id === 'wait-for-finality'
        ? {
            id: sleep.id,
            handler: async () => {
              const row = await db.payment.findUniqueOrThrow({ where: { id: payment.id } });
              const due = scaledInstant(row.createdAt, row.returnableUntil!, env.SETTLEMENT_TIME_SCALE).getTime() + 1;
              await new Promise((resolve) => setTimeout(resolve, Math.max(0, due - Date.now())));
            },
          }
        : sleep,
    );
    const { result, ctx } = await run(payment.id, waitOutWindow);
    expect(result).toMatchObject({ status: 'COMPLETED', finality: { finalized: true } });
    const row = await db.payment.findUniqueOrThrow({ where: { id: payment.id } });
    expect(row.finalAt).toEqual(row.returnableUntil);
    const [, until] = (ctx.step.sleepUntil as unknown as { mock: { calls: [string, Date | string][] } }).mock.calls.find(([id]) => id === 'wait-for-finality')!;
    expect(new Date(until).getTime()).toBe(scaledInstant(row.createdAt, row.returnableUntil!, env.SETTLEMENT_TIME_SCALE).getTime() + 1);
  });

  it('waits out an ACH return window as the settlement step reported it, without a step to read it back', async () => {
    const { payment } = await newPayment({ rail: 'STANDARD_ACH' });
    const { ctx } = await run(payment.id, [...sleeps(), { id: 'record-finality', handler: () => ({ finalized: false, status: 'COMPLETED' }) }]);
    const ran = (ctx.step.run as unknown as { mock: { calls: [string][] } }).mock.calls.map(([id]) => id);
    expect(ran).toEqual(['submit-to-rail', 'ask-bank', 'record-settlement', 'record-finality']);
    const row = await db.payment.findUniqueOrThrow({ where: { id: payment.id } });
    const [, until] = (ctx.step.sleepUntil as unknown as { mock: { calls: [string, Date | string][] } }).mock.calls.find(([id]) => id === 'wait-for-finality')!;
    expect(new Date(until).getTime()).toBe(scaledInstant(row.createdAt, row.returnableUntil!, env.SETTLEMENT_TIME_SCALE).getTime() + 1);
  });

  it("reports the payment's status when the run ends: RETURNED when a return came before finality (the runs dashboard shows it)", async () => {
    const { payment } = await newPayment({ rail: 'STANDARD_ACH' });
    const { result } = await run(payment.id, [...sleeps(), { id: 'record-finality', handler: () => ({ finalized: false, status: 'RETURNED' }) }]);
    expect(result).toMatchObject({ paymentId: payment.id, settled: true, status: 'RETURNED', finality: { finalized: false, status: 'RETURNED' } });
  });

  it('a run whose settlement was memoized without the return window (before a deploy) reads it in its own step', async () => {
    const { payment } = await newPayment({ rail: 'STANDARD_ACH' });
    const olderSettlement = {
      id: 'record-settlement',
      handler: async () => {
        const { settledAt: _settledAt, returnableUntil: _returnableUntil, ...asBefore } = await db.$transaction((tx) => settlePayment(tx, payment.id, { ok: true }));
        return asBefore;
      },
    };
    const { ctx } = await run(payment.id, [...sleeps(), olderSettlement, { id: 'record-finality', handler: () => ({ finalized: false, status: 'COMPLETED' }) }]);
    const ran = (ctx.step.run as unknown as { mock: { calls: [string][] } }).mock.calls.map(([id]) => id);
    expect(ran).toContain('load-return-window');
    const row = await db.payment.findUniqueOrThrow({ where: { id: payment.id } });
    expect(row.status).toBe('COMPLETED');
    const [, until] = (ctx.step.sleepUntil as unknown as { mock: { calls: [string, Date | string][] } }).mock.calls.find(([id]) => id === 'wait-for-finality')!;
    expect(new Date(until).getTime()).toBe(scaledInstant(row.createdAt, row.returnableUntil!, env.SETTLEMENT_TIME_SCALE).getTime() + 1);
  });

  it('hands a …0011 ACH payment to the bank simulator for an R01 return one banking day after settlement', async () => {
    const { payment } = await newPayment({ last4: '0011', rail: 'SAME_DAY_ACH' });
    // The event is only recorded here (no event API in a unit test; nothing leaves the machine).
    const { ctx } = await run(payment.id, [...sleeps(), { id: 'bank-simulator-schedules-return', handler: () => ({ ids: ['test'] }) }]);
    const row = await db.payment.findUniqueOrThrow({ where: { id: payment.id } });
    expect(row.status).toBe('COMPLETED');
    const [, sent] = (ctx.step.sendEvent as unknown as { mock: { calls: [string, { name: string; data: Record<string, string> }][] } }).mock.calls[0]!;
    expect(sent).toMatchObject({ name: 'bank-simulator/return.scheduled', data: { paymentId: payment.id, code: 'R01' } });
    const returnedAt = new Date(sent.data.returnedAt!);
    expect(returnedAt.getTime()).toBeGreaterThan(row.settledAt!.getTime());
    expect(returnedAt.getTime()).toBeLessThan(row.returnableUntil!.getTime());
    expect(sent.data.playAt).toBe(scaledInstant(row.createdAt, returnedAt, env.SETTLEMENT_TIME_SCALE).toISOString());
  });

  it('a run beaten to the settlement by another (an operator\'s rerun) reports no bank answer of its own and schedules no return from it (found by a tester: a COMPLETED payment\'s run read "Payment completed (R01)")', async () => {
    const { payment } = await newPayment({ last4: '0011', rail: 'SAME_DAY_ACH' });
    // While this run asks the bank, the other run records a plain success; this run's answer
    // (a success with a later return) comes too late to count.
    const askBank = {
      id: 'ask-bank',
      handler: async () => {
        await db.$transaction((tx) => settlePayment(tx, payment.id, { ok: true }));
        return { ok: true, laterReturn: { code: 'R01', afterBankingDays: 1 } };
      },
    };
    // Its return window is days of calendar away: the finality step is the other run's business here.
    const finality = { id: 'record-finality', handler: () => ({ finalized: false, status: 'COMPLETED' }) };
    const { result, ctx, error } = await run(payment.id, [...sleeps(), askBank, finality, { id: 'bank-simulator-schedules-return', handler: () => ({ ids: ['test'] }) }]);
    expect(error).toBeUndefined();
    expect(result).toMatchObject({ paymentId: payment.id, settled: false, status: 'COMPLETED', outcome: null });
    expect(ctx.step.sendEvent).not.toHaveBeenCalled();
    expect(await statusOf(payment.id)).toBe('COMPLETED');
  });

  it('records a forced R01 return as FAILED, once, without retrying', async () => {
    const { payment } = await newPayment({ last4: '0001', rail: 'STANDARD_ACH' });
    const { result } = await run(payment.id);
    expect(result).toMatchObject({ status: 'FAILED', outcome: { ok: false, code: 'R01' } });
    const row = await db.payment.findUniqueOrThrow({ where: { id: payment.id } });
    expect(row).toMatchObject({ status: 'FAILED', failureCode: 'R01' });
  });

  it('waits until the demo clock plays the ACH batch window before submitting', async () => {
    const { payment } = await newPayment({ rail: 'STANDARD_ACH' });
    // A batch window 30 days ahead on the calendar plays 30 s after creation at the test scale:
    // still ahead when the run starts, however busy the machine.
    const submitAt = new Date(payment.createdAt.getTime() + 30 * 86_400_000);
    await rewritePaymentDates(payment.id, { submitAt });
    const { ctx } = await run(payment.id);
    const [id, until] = (ctx.step.sleepUntil as unknown as { mock: { calls: [string, Date | string][] } }).mock.calls[0]!;
    expect(id).toBe('wait-for-submission-window');
    expect(new Date(until).getTime()).toBe(scaledInstant(payment.createdAt, submitAt, env.SETTLEMENT_TIME_SCALE).getTime());
    expect((await db.payment.findUniqueOrThrow({ where: { id: payment.id } })).submittedAt).toEqual(submitAt);
  });

  it('ends without touching a payment the renter cancelled before it was submitted', async () => {
    const { setup, payment } = await newPayment({ rail: 'STANDARD_ACH' });
    await rewritePaymentDates(payment.id, { submitAt: new Date(Date.now() + 30 * 86_400_000) });
    const cancelDuringWait = [
      {
        id: 'wait-for-submission-window',
        handler: () => db.$transaction((tx) => cancelPayment(tx, { id: setup.renter.id, role: 'RENTER' }, { id: payment.id })).then(() => undefined),
      },
      sleeps()[1]!,
    ];
    const { result } = await run(payment.id, cancelDuringWait);
    expect(result).toMatchObject({ status: 'CANCELLED', note: 'no longer pending; left untouched' });
    expect(await statusOf(payment.id)).toBe('CANCELLED');
    expect((await db.event.findMany({ where: { aggregateId: payment.id } })).map((e) => e.type)).toEqual(['payment.created', 'payment.cancelled']);
    // A late duplicate run finds nothing to do.
    expect((await run(payment.id)).result).toMatchObject({ status: 'CANCELLED', note: 'no longer pending; left untouched' });
  });

  it('lets a bank that does not answer fail the step with a retriable error, leaving the payment PROCESSING', async () => {
    const { payment } = await newPayment({ last4: '0408' });
    const { error } = await run(payment.id);
    expect(error).toMatchObject({ name: TransientBankError.name });
    expect(await statusOf(payment.id)).toBe('PROCESSING');
  });

  it('refuses an event without a payment id as non-retriable', async () => {
    const { error } = await new InngestTestEngine({ function: settlePaymentFunction }).execute({ events: [{ name: 'payment/created', data: { paymentId: 'nope' } }] });
    expect(error).toMatchObject({ name: 'NonRetriableError' });
  });
});
