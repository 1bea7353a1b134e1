// The runs search for an operator following a lease or a payment (found by a tester: a lease id
// found nothing, since the app's events name payments and installments, never the lease).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inngest } from '@/inngest/client';
import { engineDashboard, reservedEvent } from '@/inngest/dashboard';
import { functions } from '@/inngest/functions';
import { startInngestForTests, waitFor, type InngestTestHarness } from '@/inngest/engine/testing';
import { payingRenter } from '@/server/testing/payments';

let harness: InngestTestHarness;
beforeAll(async () => {
  harness = await startInngestForTests({ client: inngest, functions });
});
afterAll(() => harness.stop());

describe('engineDashboard.runs({ concerns })', () => {
  it("finds a lease's settlement runs by the lease's id, and a payment's by its id; nothing for another lease", async () => {
    const paying = await payingRenter();
    const other = await payingRenter();
    const payment = await paying.renterApi.payment.create.mutate({ installmentId: paying.lease.installments[0]!.id, fromAccountId: paying.from.id, rail: 'RTP' });
    const settled = await waitFor(async () => {
      const [run] = (await engineDashboard.runs({ concerns: payment.id })).runs.filter((candidate) => candidate.functionId.endsWith('settle-payment'));
      return run?.status === 'completed' ? run : null;
    }, 'the settlement run');

    const byLease = (await engineDashboard.runs({ concerns: paying.lease.id })).runs.map((run) => run.id);
    expect(byLease).toContain(settled.id);
    expect((await engineDashboard.runs({ concerns: paying.lease.id.toUpperCase() })).runs.map((run) => run.id)).toContain(settled.id);
    expect((await engineDashboard.runs({ concerns: other.lease.id })).runs).toEqual([]);
    expect((await engineDashboard.runs({ concerns: 'not-an-id' })).runs).toEqual([]);
  });
});

describe("an operator's actions on the bank's events", () => {
  const operator = { id: '00000000-0000-4000-8000-0000000000aa', email: 'ops@example.com' };

  it("refuse to send bank/… or bank-simulator/… events, or to start what they trigger, and leave a settled payment as it was (found by a stranger: a sent return reversed it)", async () => {
    const paying = await payingRenter({ last4: '0000' });
    const payment = await paying.renterApi.payment.create.mutate({ installmentId: paying.lease.installments[0]!.id, fromAccountId: paying.from.id, rail: 'STANDARD_ACH' });
    await waitFor(async () => ((await paying.renterApi.payment.byId.query({ id: payment.id })).status === 'COMPLETED' ? true : null), 'the payment to settle');
    const data = { paymentId: payment.id, code: 'R10' };
    await expect(engineDashboard.sendEvent(operator, { name: 'bank/payment.returned', data })).rejects.toThrow('bank/payment.returned is sent only by the bank, not from here');
    await expect(engineDashboard.sendEvent(operator, { name: 'bank-simulator/return.scheduled', data })).rejects.toThrow('only by the bank simulator');
    await expect(engineDashboard.invoke(operator, 'directpay-handle-payment-return', data)).rejects.toThrow('runs on bank/payment.returned, which only the bank sends');
    await expect(engineDashboard.invoke(operator, 'directpay-simulate-bank-return', data)).rejects.toThrow('which only the bank simulator sends');
    expect((await paying.renterApi.payment.byId.query({ id: payment.id })).status).toBe('COMPLETED');
    expect((await engineDashboard.operatorActions(200)).filter((action) => action.operatorId === operator.id)).toEqual([]);
  });

  it("refuse to send the app's own autopay/… and payment/cancelled events, or to invoke autopay with data of the operator's (found by a stranger: a pullAt of now pulled an installment early, without its notice)", async () => {
    const early = { autopayId: crypto.randomUUID(), installmentId: crypto.randomUUID(), generation: 1, attempt: 1, scheduledAt: new Date().toISOString(), pullAt: new Date().toISOString() };
    await expect(engineDashboard.sendEvent(operator, { name: 'autopay/scheduled', data: early })).rejects.toThrow("autopay/scheduled is sent only by DirectPay's autopay schedule, not from here");
    await expect(engineDashboard.invoke(operator, 'directpay-autopay-installment', early)).rejects.toThrow('it is not invoked by hand (a run of it can be rerun)');
    await expect(engineDashboard.sendEvent(operator, { name: 'payment/cancelled', data: { paymentId: crypto.randomUUID() } })).rejects.toThrow('only by DirectPay, when a renter cancels a payment');
    // Events an operator may send: the settlement request (what the recovery sweep sends) among them.
    expect(reservedEvent('payment/created')).toBeNull();
    expect(reservedEvent('outbox/dispatch')).toBeNull();
    expect((await engineDashboard.operatorActions(200)).filter((action) => action.operatorId === operator.id)).toEqual([]);
  });
});

describe("an operator's event data and payloads", () => {
  const operator = { id: '00000000-0000-4000-8000-0000000000ab', email: 'ops2@example.com' };

  it('are refused with a message, changing nothing, when the engine cannot store them (found by a stranger: NUL, half a surrogate pair and 3,000 levels each answered 500)', async () => {
    let deep: unknown = 1;
    for (let level = 0; level < 3000; level++) deep = [deep];
    for (const data of [{ a: '\u0000' }, { '\u0000': 1 }, { a: '\ud800' }, { a: deep }]) {
      await expect(engineDashboard.sendEvent(operator, { name: 'test/unstorable', data })).rejects.toThrow(/^The event cannot be stored: /);
      await expect(engineDashboard.invoke(operator, 'directpay-recover-stale-payments', data)).rejects.toThrow(/^The payload cannot be stored: /);
    }
    await expect(engineDashboard.invoke(operator, 'directpay-\u0000', {})).rejects.toThrow(/^The payload cannot be stored: /);
    expect((await engineDashboard.operatorActions(200)).filter((action) => action.operatorId === operator.id)).toEqual([]);
  });
});
