// ACH returns and finality at the domain level, on a real database: the return's transaction
// and its events, the windows per code on the demo clock, account deactivation (R02/R03),
// the R01 re-presentment limit, returns toward default, and a lease completing only when
// every installment is paid and final.
import { afterAll, describe, expect, it } from 'vitest';
import { db } from '@/server/db';
import { env } from '@/server/env';
import { bankAccountInput } from '@/server/testing/leasing';
import { accountEndingIn, payingRenter } from '@/server/testing/payments';
import { historyMismatches } from '@/server/testing/history';
import type { Actor } from './actor';
import { activateBankAccount } from './bank-accounts';
import { returnDeadline, scaledInstant } from './calendar';
import { createPayment, getPayment, retryPayment, R01_REPRESENTMENTS, type CreatePaymentInput } from './payments';
import { returnPayment } from './returns';
import { ACH_RETURN_REASONS } from './bank-simulator';
import { FAILURES_BEFORE_DEFAULT, finalizePayment, settlePayment, submitPayment } from './settlement';

type Setup = Awaited<ReturnType<typeof payingRenter>>;

// Every payment settled, returned, re-presented and made final here replays from its events to its row.
afterAll(async () => {
  expect((await historyMismatches()).mismatches).toEqual([]);
});
const actorOf = (user: { id: string; role: 'LANDLORD' | 'RENTER' }): Actor => ({ id: user.id, role: user.role });
const eventTypes = async (id: string) => (await db.event.findMany({ where: { aggregateId: id }, orderBy: { sequence: 'asc' } })).map((e) => e.type);
const row = (id: string) => db.payment.findUniqueOrThrow({ where: { id } });

/** Creates, submits and settles a payment (COMPLETED), as the settlement function would. */
async function settled(setup: Setup, overrides: Partial<CreatePaymentInput> = {}) {
  const input = { installmentId: setup.lease.installments[0]!.id, fromAccountId: setup.from.id, rail: 'STANDARD_ACH' as const, ...overrides };
  const { result } = await createPayment(db, actorOf(setup.renter), input, null);
  await db.$transaction((tx) => submitPayment(tx, result.id));
  await db.$transaction((tx) => settlePayment(tx, result.id, { ok: true }));
  return row(result.id);
}

/** The wall-clock instant the demo clock plays `instant` of this payment, plus `ms`. */
const played = (payment: { createdAt: Date }, instant: Date, ms = 0) => new Date(scaledInstant(payment.createdAt, instant, env.SETTLEMENT_TIME_SCALE).getTime() + ms);

/** The bank returns it as the demo clock plays its settlement (well inside every window, however slow the machine). */
const bankReturns = (payment: { id: string; createdAt: Date; settledAt: Date | null }, code: 'R01' | 'R02' | 'R03' | 'R10' | 'R29', returnedAt?: Date) =>
  db.$transaction((tx) => returnPayment(tx, payment.id, { code, returnedAt }, played(payment, payment.settledAt!)));

describe('returnPayment', () => {
  it('moves a settled ACH payment to RETURNED with its events: installment payable again, both parties told the code and reason; a duplicate changes nothing', async () => {
    const setup = await payingRenter();
    const payment = await settled(setup);
    // The bank's date for it: a few hours after the payment settled (settledAt is the rail's, from today).
    const returnedAt = new Date(payment.settledAt!.getTime() + 3 * 3_600_000);
    const result = await bankReturns(payment, 'R01', returnedAt);
    expect(result).toEqual({ returned: true, status: 'RETURNED', leaseStatus: 'ACTIVE' });
    expect(await row(payment.id)).toMatchObject({ status: 'RETURNED', failureCode: 'R01', failureReason: 'Insufficient funds in the sending account', returnedAt, finalAt: null });
    const installment = await db.installment.findUniqueOrThrow({ where: { id: payment.installmentId } });
    expect(installment.status).toBe('FAILED');
    expect(await eventTypes(payment.id)).toEqual(['payment.created', 'payment.submitted', 'payment.completed', 'payment.returned']);
    expect(await eventTypes(installment.id)).toEqual(['installment.scheduled', 'installment.paid', 'installment.failed']);
    const notes = await db.notification.findMany({ where: { type: 'payment.returned' }, orderBy: { userId: 'asc' } });
    expect(notes.map((n) => n.userId).sort()).toEqual([setup.landlord.id, setup.renter.id].sort());
    for (const note of notes) expect(note.body).toMatch(/Insufficient funds \(R01\)/);

    expect(await bankReturns(payment, 'R01')).toEqual({ returned: false, status: 'RETURNED' });
    expect(await eventTypes(payment.id)).toHaveLength(4);
    expect(await db.notification.count({ where: { type: 'payment.returned' } })).toBe(2);

    // Payable again: a new payment for the installment is accepted.
    const again = await createPayment(db, actorOf(setup.renter), { installmentId: installment.id, fromAccountId: setup.from.id, rail: 'RTP' }, null);
    expect(again.result).toMatchObject({ status: 'PENDING', attempt: 2 });
  });

  it('refuses RTP and wire (final), payments not settled, and a return after its code’s window; R10 runs 60 calendar days', async () => {
    const rtpSetup = await payingRenter();
    const rtp = await settled(rtpSetup, { rail: 'RTP' });
    expect(rtp.finalAt).toEqual(rtp.settledAt);
    await expect(db.$transaction((tx) => returnPayment(tx, rtp.id, { code: 'R01' }))).rejects.toMatchObject({ code: 'CONFLICT', message: /final once settled/ });

    const setup = await payingRenter();
    const { result: pending } = await createPayment(db, actorOf(setup.renter), { installmentId: setup.lease.installments[1]!.id, fromAccountId: setup.from.id, rail: 'SAME_DAY_ACH' }, null);
    await expect(db.$transaction((tx) => returnPayment(tx, pending.id, { code: 'R01' }))).rejects.toMatchObject({ code: 'CONFLICT', message: /PENDING/ });

    const ach = await settled(setup);
    const windowEnd = ach.returnableUntil!;
    expect(windowEnd).toEqual(returnDeadline('STANDARD_ACH', ach.settledAt!));
    const afterWindow = played(ach, windowEnd, 1);
    await expect(db.$transaction((tx) => returnPayment(tx, ach.id, { code: 'R01' }, afterWindow))).rejects.toMatchObject({ code: 'CONFLICT', message: /R01 return window/ });
    const r10End = returnDeadline('STANDARD_ACH', ach.settledAt!, 'R10')!;
    await expect(db.$transaction((tx) => returnPayment(tx, ach.id, { code: 'R10' }, played(ach, r10End, 1)))).rejects.toMatchObject({ code: 'CONFLICT' });
    const r10 = await db.$transaction((tx) => returnPayment(tx, ach.id, { code: 'R10' }, afterWindow));
    expect(r10).toMatchObject({ returned: true, status: 'RETURNED' });
    expect((await row(ach.id)).failureReason).toBe('The account holder says this debit was not authorized');
  });

  it('R02 and R03 deactivate the sending account with the reason; the renter can activate it again', async () => {
    for (const code of ['R02', 'R03'] as const) {
      const setup = await payingRenter();
      const payment = await settled(setup);
      await bankReturns(payment, code);
      const [account] = (await setup.renterApi.bankAccount.list.query({})).items;
      expect(account).toMatchObject({ id: setup.from.id, active: false, isPrimary: false, deactivatedReason: expect.stringContaining(code) });
      expect(await eventTypes(setup.from.id)).toContain('bankAccount.deactivated');
      await expect(createPayment(db, actorOf(setup.renter), { installmentId: payment.installmentId, fromAccountId: setup.from.id, rail: 'RTP' }, null)).rejects.toMatchObject({
        code: 'BAD_REQUEST',
      });
      const activated = await db.$transaction((tx) => activateBankAccount(tx, actorOf(setup.renter), { id: setup.from.id }));
      expect(activated).toMatchObject({ active: true, isPrimary: true, deactivatedReason: null });
    }
  });

  it('an R01 return does not deactivate the account, and is re-presented from it at most twice', async () => {
    const setup = await payingRenter();
    const first = setup.lease.installments[0]!.id;
    let payment = await settled(setup);
    for (let presentment = 1; presentment <= 1 + R01_REPRESENTMENTS; presentment++) {
      await bankReturns(payment, 'R01');
      expect((await db.bankAccount.findUniqueOrThrow({ where: { id: setup.from.id } })).active).toBe(true);
      // Another installment paid in between keeps the lease out of default (three in a row).
      await settled(setup, { installmentId: setup.lease.installments[presentment]!.id, rail: 'RTP' });
      if (presentment <= R01_REPRESENTMENTS) {
        const retried = await retryPayment(db, actorOf(setup.renter), { id: payment.id }, null);
        await db.$transaction((tx) => submitPayment(tx, retried.result.id));
        await db.$transaction((tx) => settlePayment(tx, retried.result.id, { ok: true }));
        payment = await row(retried.result.id);
      }
    }
    await expect(retryPayment(db, actorOf(setup.renter), { id: payment.id }, null)).rejects.toMatchObject({ code: 'CONFLICT', message: /returned for insufficient funds 3 times/ });
    await expect(createPayment(db, actorOf(setup.renter), { installmentId: first, fromAccountId: setup.from.id, rail: 'RTP' }, null)).rejects.toMatchObject({ code: 'CONFLICT' });
    // From another account it can be paid.
    const other = await setup.renterApi.bankAccount.create.mutate(bankAccountInput({ nickname: 'Savings', accountNumber: accountEndingIn('0000') }));
    expect((await createPayment(db, actorOf(setup.renter), { installmentId: first, fromAccountId: other.id, rail: 'RTP' }, null)).result.status).toBe('PENDING');
  });

  it('refuses to re-present returns other than R01', async () => {
    const setup = await payingRenter();
    const payment = await settled(setup);
    await bankReturns(payment, 'R29');
    await expect(retryPayment(db, actorOf(setup.renter), { id: payment.id }, null)).rejects.toMatchObject({ code: 'CONFLICT', message: /returned \(R29\)/ });
  });

  it(`counts returns toward the ${FAILURES_BEFORE_DEFAULT} failures in a row that default a lease`, async () => {
    const setup = await payingRenter();
    let result;
    for (let i = 0; i < FAILURES_BEFORE_DEFAULT; i++) {
      const payment = await settled(setup, { installmentId: setup.lease.installments[i]!.id });
      result = await bankReturns(payment, 'R01');
    }
    expect(result).toMatchObject({ returned: true, leaseStatus: 'DEFAULTED' });
    expect((await db.lease.findUniqueOrThrow({ where: { id: setup.lease.id } })).status).toBe('DEFAULTED');
    expect(await db.notification.count({ where: { type: 'lease.defaulted' } })).toBe(2);
  });
});

describe('returnPayment on overdue installments', () => {
  it('the return that defaults the lease also charges its late fee, as the two before it did (found by a stranger: the third return was refused at commit, retried until its window closed, and never recorded)', async () => {
    // Installments 1–3 due in the past (months −4 to −2), no grace, a flat fee of 5,000.
    const today = new Date();
    const start = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth() - 4, 1)).toISOString().slice(0, 10);
    const setup = await payingRenter({ terms: { startDate: start, termMonths: 12, dueDay: 1, graceDays: 0, lateFeeFlatCents: 5_000 } });
    let result;
    for (let i = 0; i < FAILURES_BEFORE_DEFAULT; i++) {
      const payment = await settled(setup, { installmentId: setup.lease.installments[i]!.id });
      result = await bankReturns(payment, 'R01');
      expect(result, `return ${i + 1}`).toMatchObject({ returned: true });
    }
    expect(result).toMatchObject({ leaseStatus: 'DEFAULTED' });
    expect(await db.payment.count({ where: { leaseId: setup.lease.id, status: 'RETURNED' } })).toBe(FAILURES_BEFORE_DEFAULT);
    expect(await db.ledgerTransaction.count({ where: { leaseId: setup.lease.id, kind: 'LATE_FEE' } })).toBe(FAILURES_BEFORE_DEFAULT);
  });
});

describe('finality', () => {
  it('a lease completes only when every installment is paid and final: its last ACH payment becomes final after the window', async () => {
    const setup = await payingRenter({ terms: { termMonths: 1, prorateFirstMonth: false } });
    expect(setup.lease.installments).toHaveLength(1);
    const payment = await settled(setup);
    expect(payment).toMatchObject({ status: 'COMPLETED', finalAt: null });
    expect((await db.lease.findUniqueOrThrow({ where: { id: setup.lease.id } })).status).toBe('ACTIVE');

    // Before the window ends on the demo clock, nothing happens.
    expect(await db.$transaction((tx) => finalizePayment(tx, payment.id, played(payment, payment.returnableUntil!)))).toMatchObject({ finalized: false, notYetDue: true });
    const after = played(payment, payment.returnableUntil!, 1);
    expect(await db.$transaction((tx) => finalizePayment(tx, payment.id, after))).toEqual({ finalized: true, status: 'COMPLETED', leaseStatus: 'COMPLETED' });
    expect((await row(payment.id)).finalAt).toEqual(payment.returnableUntil);
    expect(await eventTypes(payment.id)).toEqual(['payment.created', 'payment.submitted', 'payment.completed', 'payment.final']);
    expect((await db.lease.findUniqueOrThrow({ where: { id: setup.lease.id } })).status).toBe('COMPLETED');
    expect(await db.notification.count({ where: { userId: setup.landlord.id, type: 'lease.completed' } })).toBe(1);
    // Repeated: nothing more.
    expect(await db.$transaction((tx) => finalizePayment(tx, payment.id, after))).toEqual({ finalized: false, status: 'COMPLETED' });
    expect(await eventTypes(payment.id)).toHaveLength(4);
  });

  it('an R10 after finality (within its 60 days) leaves the payment RETURNED and no longer final, its finalAt kept (found by a stranger: RETURNED and final together)', async () => {
    const setup = await payingRenter();
    const payment = await settled(setup);
    await db.$transaction((tx) => finalizePayment(tx, payment.id, played(payment, payment.returnableUntil!, 1)));
    expect(await db.$transaction((tx) => getPayment(tx, actorOf(setup.renter), { id: payment.id }))).toMatchObject({ status: 'COMPLETED', final: true });
    await db.$transaction((tx) => returnPayment(tx, payment.id, { code: 'R10' }, played(payment, payment.returnableUntil!, 2)));
    const view = await db.$transaction((tx) => getPayment(tx, actorOf(setup.renter), { id: payment.id }));
    expect(view).toMatchObject({ status: 'RETURNED', failureCode: 'R10', final: false, returnable: false, finalAt: payment.returnableUntil });
  });

  it("keeps the bank's reason only as acceptable text, and refuses a return dated before the settlement (found by a stranger: 1900-01-01 and a bidi override were stored)", async () => {
    const setup = await payingRenter();
    const payment = await settled(setup);
    await expect(bankReturns(payment, 'R10', new Date('1900-01-01T00:00:00Z'))).rejects.toMatchObject({ code: 'BAD_REQUEST', message: expect.stringContaining('on or after the payment settled') });
    expect((await row(payment.id)).status).toBe('COMPLETED');
    await db.$transaction((tx) => returnPayment(tx, payment.id, { code: 'R10', reason: 'Unauthorized \u202eredro ruoy kcehc\u202c call 555-0100' }, played(payment, payment.settledAt!)));
    expect(await row(payment.id)).toMatchObject({ status: 'RETURNED', failureReason: ACH_RETURN_REASONS.R10 });
  });

  it('a payment returned before its window ended is never made final', async () => {
    const setup = await payingRenter();
    const payment = await settled(setup);
    await bankReturns(payment, 'R01');
    expect(await db.$transaction((tx) => finalizePayment(tx, payment.id, played(payment, payment.returnableUntil!, 1)))).toEqual({ finalized: false, status: 'RETURNED' });
  });
});
