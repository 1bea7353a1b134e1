// ACH returns end to end: a renter pays from …0011 through the tRPC route, the settlement run
// on the local engine settles it, the bank simulator sends an R01 return about a banking day
// later as `bank/payment.returned`, and handle-payment-return records it. All at a demo clock
// where one calendar day plays in two seconds.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resetEnvForTests } from '@/server/env';
import { db } from '@/server/db';
import { createPayment } from '@/server/domain/payments';
import { settlePayment, submitPayment } from '@/server/domain/settlement';
import { bankAccountInput } from '@/server/testing/leasing';
import { accountEndingIn, payingRenter } from '@/server/testing/payments';
import { startInngestForTests, waitFor, type InngestTestHarness } from '@/inngest/engine/testing';
import { inngest } from '@/inngest/client';
import { functions } from '@/inngest/functions';
import { BANK_PAYMENT_RETURNED } from '@/inngest/payments';

// One calendar day in 2 s: an R01 arrives ≥ 1.5 days (3 s) before its window closes.
process.env.SETTLEMENT_TIME_SCALE = String(1 / 43_200);
resetEnvForTests();

let inngestTest: InngestTestHarness;
beforeAll(async () => {
  inngestTest = await startInngestForTests({ client: inngest, functions });
});
afterAll(() => inngestTest.stop());

const statusOf = (id: string) => db.payment.findUniqueOrThrow({ where: { id } });
const waitForStatus = (id: string, statuses: string[], timeoutMs: number) =>
  waitFor(async () => {
    const payment = await statusOf(id);
    return statuses.includes(payment.status) ? payment : null;
  }, `payment ${id} to be ${statuses.join(' or ')}`, timeoutMs, 50);

/** The handle-payment-return runs for an event id, once ended. */
async function handledRun(eventId: string) {
  const [run] = await waitFor(() => inngestTest.runsForEvent(eventId).then((runs) => (runs.length ? runs : null)), `a run for ${eventId}`);
  return inngestTest.waitForEnd(run!.id);
}

describe('an ACH payment returned after it settled', () => {
  // Settlement and the return can be a week apart on the calendar (a weekend and a holiday): 15 s here, more on a busy machine.
  it('a …0011 payment completes, then is returned R01 by the bank simulator: installment payable again, both told; a duplicate return changes nothing; paying again works', { timeout: 120_000 }, async () => {
    const setup = await payingRenter({ last4: '0011' });
    const installmentId = setup.lease.installments[0]!.id;
    const payment = await setup.renterApi.payment.create.mutate({ installmentId, fromAccountId: setup.from.id, rail: 'STANDARD_ACH' });

    const completed = await waitForStatus(payment.id, ['COMPLETED', 'FAILED', 'RETURNED'], 60_000);
    expect(completed.status).toBe('COMPLETED');
    expect(completed).toMatchObject({ finalAt: null, settledAt: completed.expectedSettlementAt });

    const returned = await waitForStatus(payment.id, ['RETURNED'], 60_000);
    expect(returned).toMatchObject({ failureCode: 'R01', failureReason: 'Insufficient funds in the sending account', finalAt: null });
    // Returned at noon ET one banking day after settling, inside the window.
    expect(returned.returnedAt!.getTime()).toBeGreaterThan(returned.settledAt!.getTime());
    expect(returned.returnedAt!.getTime()).toBeLessThanOrEqual(returned.returnableUntil!.getTime());
    const view = await setup.renterApi.payment.byId.query({ id: payment.id });
    expect(view).toMatchObject({ status: 'RETURNED', installment: { status: 'FAILED' }, final: false, returnable: false });
    const returnRun = await handledRun(`bank-return-${payment.id}-R01`);
    expect(returnRun.status).toBe('completed');
    for (const api of [setup.renterApi, setup.landlordApi]) {
      const notes = (await api.notification.list.query()).items.filter((n) => n.type === 'payment.returned');
      expect(notes).toHaveLength(1);
      expect(notes[0]!.body).toContain('(R01)');
    }
    const history = (await setup.landlordApi.payment.history.query({ id: payment.id })).events.map((e) => e.type);
    expect(history).toEqual(['payment.created', 'payment.submitted', 'payment.completed', 'payment.returned']);

    // The bank sends the same return file again: nothing changes.
    await inngest.send({ id: `duplicate-return-${payment.id}`, name: BANK_PAYMENT_RETURNED, data: { paymentId: payment.id, code: 'R01' } });
    const duplicateRun = await handledRun(`duplicate-return-${payment.id}`);
    expect(duplicateRun.status).toBe('completed');
    expect((await setup.landlordApi.payment.history.query({ id: payment.id })).events).toHaveLength(4);
    expect(await db.notification.count({ where: { type: 'payment.returned' } })).toBe(2);

    // The settlement run wakes after the window and leaves the returned payment alone.
    await waitFor(async () => {
      const [run] = await inngestTest.runsForEvent(`payment-created-${payment.id}`);
      return run && (await inngestTest.trace(run.id)).status === 'completed';
    }, 'the settlement run to end after the return window', 60_000, 100);
    expect(await statusOf(payment.id)).toMatchObject({ status: 'RETURNED', finalAt: null });

    // Payable again: from an account that settles, over RTP, it completes and is final.
    const good = await setup.renterApi.bankAccount.create.mutate(bankAccountInput({ nickname: 'Everyday', accountNumber: accountEndingIn('0000') }));
    const again = await setup.renterApi.payment.create.mutate({ installmentId, fromAccountId: good.id, rail: 'RTP' });
    expect(again.attempt).toBe(2);
    const paid = await waitForStatus(again.id, ['COMPLETED', 'FAILED'], 30_000);
    expect(paid.status).toBe('COMPLETED');
    expect(paid.finalAt).toEqual(paid.settledAt);
    expect((await setup.renterApi.payment.byId.query({ id: again.id })).installment.status).toBe('PAID');
  });

  it('an R02 return file deactivates the sending account with its reason; the renter re-activates it', { timeout: 60_000 }, async () => {
    const setup = await payingRenter();
    const { result } = await createPayment(db, { id: setup.renter.id, role: 'RENTER' }, { installmentId: setup.lease.installments[0]!.id, fromAccountId: setup.from.id, rail: 'SAME_DAY_ACH' }, null);
    await db.$transaction((tx) => submitPayment(tx, result.id));
    await db.$transaction((tx) => settlePayment(tx, result.id, { ok: true }));
    await inngest.send({ id: `return-${result.id}`, name: BANK_PAYMENT_RETURNED, data: { paymentId: result.id, code: 'R02' } });
    expect((await handledRun(`return-${result.id}`)).status).toBe('completed');
    expect(await statusOf(result.id)).toMatchObject({ status: 'RETURNED', failureCode: 'R02' });
    const [account] = (await setup.renterApi.bankAccount.list.query({})).items;
    expect(account).toMatchObject({ active: false, deactivatedReason: expect.stringMatching(/R02: The sending account is closed/) });
    expect(await setup.renterApi.bankAccount.activate.mutate({ id: setup.from.id })).toMatchObject({ active: true, deactivatedReason: null });
  });

  it('a return for an RTP payment is refused and answered, not retried', { timeout: 60_000 }, async () => {
    const setup = await payingRenter();
    const { result } = await createPayment(db, { id: setup.renter.id, role: 'RENTER' }, { installmentId: setup.lease.installments[0]!.id, fromAccountId: setup.from.id, rail: 'RTP' }, null);
    await db.$transaction((tx) => submitPayment(tx, result.id));
    await db.$transaction((tx) => settlePayment(tx, result.id, { ok: true }));
    await inngest.send({ id: `return-${result.id}`, name: BANK_PAYMENT_RETURNED, data: { paymentId: result.id, code: 'R01' } });
    const run = await handledRun(`return-${result.id}`);
    expect(run.status).toBe('completed');
    expect(run.output).toMatchObject({ returned: false, refused: expect.stringMatching(/final once settled/) });
    expect((await statusOf(result.id)).status).toBe('COMPLETED');
  });
});
