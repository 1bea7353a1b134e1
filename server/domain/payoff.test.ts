// Early payoff at the domain level, on a real database: the discount arithmetic and its
// rounding (odd cents), the quote agreeing with the payment to the cent, late fees carried
// undiscounted, the refusals, settlement (installments PAID, the discount its own ledger
// transaction, the lease COMPLETED once final), and an ACH return reversing all of it.
import { describe, expect, it } from 'vitest';
import { db } from '@/server/db';
import { env } from '@/server/env';
import type { LedgerAccount } from '@/server/generated/prisma/enums';
import { createUser } from '@/server/testing/api';
import { bankAccountInput, offerLease } from '@/server/testing/leasing';
import { apiAs } from '@/server/testing/api';
import { accountEndingIn, payingRenter } from '@/server/testing/payments';
import type { Actor } from './actor';
import { deactivateBankAccount } from './bank-accounts';
import { renterDashboard } from './dashboard';
import { scaledInstant } from './calendar';
import { businessDay, chargeLateFeeIfLate, reconcileLease } from './ledger';
import { createPayment, type CreatePaymentInput } from './payments';
import { payOffLease, quotePayoff } from './payoff';
import { allocatePayoffDiscount, payoffDiscountCents } from './payoff-rules';
import { returnPayment } from './returns';
import { finalizePayment, settlePayment, submitPayment } from './settlement';

type Setup = Awaited<ReturnType<typeof payingRenter>>;
/** The first day of the month before today's (ET), YYYY-MM-DD. */
function firstOfLastMonth(): string {
  const [year, month] = businessDay().split('-').map(Number) as [number, number];
  return month === 1 ? `${year - 1}-12-01` : `${year}-${String(month - 1).padStart(2, '0')}-01`;
}
const actorOf = (user: { id: string; role: 'LANDLORD' | 'RENTER' }): Actor => ({ id: user.id, role: user.role });
const row = (id: string) => db.payment.findUniqueOrThrow({ where: { id } });
const played = (payment: { createdAt: Date }, instant: Date, ms = 0) => new Date(scaledInstant(payment.createdAt, instant, env.SETTLEMENT_TIME_SCALE).getTime() + ms);

const pick = (p: Awaited<ReturnType<typeof row>>) => ({
  leaseId: p.leaseId,
  renterId: p.renterId,
  landlordId: p.landlordId,
  fromAccountId: p.fromAccountId,
  toAccountId: p.toAccountId,
  rail: p.rail,
  submitAt: p.submitAt,
  expectedSettlementAt: p.expectedSettlementAt,
});

/** Three installments of $1,000.01: the odd-cent case. */
const ODD_CENTS = { monthlyRentCents: 100_001, termMonths: 3 };

async function payOff(setup: Setup, rail: 'RTP' | 'STANDARD_ACH' | 'WIRE' = 'RTP', key: string | null = null) {
  return payOffLease(db, actorOf(setup.renter), { leaseId: setup.lease.id, fromAccountId: setup.from.id, rail }, key);
}

async function settle(paymentId: string, ok = true) {
  await db.$transaction((tx) => submitPayment(tx, paymentId));
  return db.$transaction((tx) => settlePayment(tx, paymentId, ok ? { ok: true } : { ok: false, code: 'R01', reason: 'Insufficient funds' }));
}

/** Per account, and per installment for RENTER_RECEIVABLE, the lease's ledger sums in cents. */
async function ledgerSums(leaseId: string) {
  const entries = await db.ledgerEntry.findMany({ where: { transaction: { leaseId } }, select: { account: true, amountCents: true, transaction: { select: { installmentId: true } } } });
  const accounts: Partial<Record<LedgerAccount, number>> = {};
  const receivable: Record<string, number> = {};
  for (const e of entries) {
    accounts[e.account] = (accounts[e.account] ?? 0) + e.amountCents;
    if (e.account === 'RENTER_RECEIVABLE') receivable[e.transaction.installmentId!] = (receivable[e.transaction.installmentId!] ?? 0) + e.amountCents;
  }
  return { accounts, receivable };
}

describe('payoff arithmetic', () => {
  it('rounds the discount down to the cent: 3 × $1,000.01 at 2 % is $60.00, not $60.0006', () => {
    expect(payoffDiscountCents(300_003, 200, 300_003)).toBe(6_000); // (third: the rent not yet due; all of it here)
    expect(payoffDiscountCents(100_001, 200, 100_001)).toBe(2_000);
    expect(payoffDiscountCents(4_999, 200, 4_999)).toBe(99); // 99.98 → 99
    expect(payoffDiscountCents(50, 200, 50)).toBe(1);
    expect(payoffDiscountCents(49, 200, 49)).toBe(0);
    expect(payoffDiscountCents(300_003, 0, 300_003)).toBe(0);
    expect(payoffDiscountCents(300_003, 10_000, 300_003)).toBe(300_003);
    // 60 installments of $1,000,000 at 99.99 %: beyond 2^53 in the product, exact with BigInt.
    expect(payoffDiscountCents(6_000_000_000, 9_999, 6_000_000_000)).toBe(5_999_400_000);
    expect(() => payoffDiscountCents(100, 10_001, 100)).toThrow(RangeError);
    expect(() => payoffDiscountCents(-1, 200, 0)).toThrow(RangeError);
    expect(() => payoffDiscountCents(100, 200, 101)).toThrow(RangeError);
  });

  it('never discounts rent already due: the discount is at most the rent not yet due (found by a stranger)', () => {
    // $1,000.01 overdue and two not yet due, at 99.99 %: 300,002 at the rate, capped at 200,002.
    expect(payoffDiscountCents(300_003, 9_999, 200_002)).toBe(200_002);
    // At 2 % with 59 of 60 months overdue, 2 % of the whole (1.2 months) is more than the one month left.
    expect(payoffDiscountCents(60 * 100_000, 200, 100_000)).toBe(100_000);
    // Everything already due: no discount at all.
    expect(payoffDiscountCents(300_003, 200, 0)).toBe(0);
    // Below the cap the rate decides, as before.
    expect(payoffDiscountCents(300_003, 200, 100_001)).toBe(6_000);
  });

  it('takes the discount off the last installments first, each at most its rent, summing to the discount', () => {
    expect(allocatePayoffDiscount([100_001, 100_001, 100_001], 6_000)).toEqual([0, 0, 6_000]);
    expect(allocatePayoffDiscount([100, 100, 100], 150)).toEqual([0, 50, 100]);
    expect(allocatePayoffDiscount([100], 0)).toEqual([0]);
    expect(allocatePayoffDiscount([], 0)).toEqual([]);
    expect(() => allocatePayoffDiscount([100], 101)).toThrow(RangeError);
  });
});

describe('quotePayoff and payOffLease', () => {
  it('quotes every remaining installment with the discount, and the payment is for exactly the quote (odd cents)', async () => {
    const setup = await payingRenter({ terms: ODD_CENTS });
    const quote = await quotePayoff(db, actorOf(setup.renter), { leaseId: setup.lease.id });
    expect(quote).toMatchObject({ remainingCents: 300_003, discountBasisPoints: 200, discountCents: 6_000, lateFeesCents: 0, amountCents: 294_003, payable: true, reason: null });
    expect(quote.installments.map((i) => [i.number, i.rentCents, i.discountCents, i.amountCents])).toEqual([
      [1, 100_001, 0, 100_001],
      [2, 100_001, 0, 100_001],
      [3, 100_001, 6_000, 94_001],
    ]);
    const { result: payment } = await payOff(setup);
    expect(payment).toMatchObject({ kind: 'PAYOFF', status: 'PENDING', amountCents: quote.amountCents, discountCents: 6_000, installment: { number: 1 } });
    expect(payment.payoffInstallments.map((i) => [i.number, i.rentCents, i.lateFeeCents, i.discountCents])).toEqual([
      [1, 100_001, 0, 0],
      [2, 100_001, 0, 0],
      [3, 100_001, 0, 6_000],
    ]);
    // The history says it in the renter's words: dollars and a percentage, not cents and basis points.
    expect((await db.event.findFirstOrThrow({ where: { aggregateId: payment.id, type: 'payment.created' } })).reason).toBe('early payoff of installments 1–3 (discount $60.00, 2%)');
    expect((await reconcileLease(db, setup.lease.id)).differences).toEqual([]);
  });

  it('pays off only what is left: one installment (its own 2 %), after the others were paid', async () => {
    const setup = await payingRenter({ terms: ODD_CENTS });
    for (const installment of setup.lease.installments.slice(0, 2)) {
      const { result } = await createPayment(db, actorOf(setup.renter), { installmentId: installment.id, fromAccountId: setup.from.id, rail: 'RTP' }, null);
      await settle(result.id);
    }
    const quote = await quotePayoff(db, actorOf(setup.renter), { leaseId: setup.lease.id });
    expect(quote).toMatchObject({ remainingCents: 100_001, discountCents: 2_000, amountCents: 98_001 });
    expect(quote.installments.map((i) => i.number)).toEqual([3]);
    const { result: payment } = await payOff(setup);
    expect(payment.amountCents).toBe(98_001);
  });

  it('carries an unpaid late fee in full: the discount is on rent only', async () => {
    // Installments due the 1st of last month (late), of this month, and of next month (not yet due).
    const setup = await payingRenter({ terms: { ...ODD_CENTS, startDate: firstOfLastMonth(), dueDay: 1, lateFeeFlatCents: 5_000, graceDays: 0 } });
    const late = setup.lease.installments[0]!;
    expect(await db.$transaction((tx) => chargeLateFeeIfLate(tx, late.id, businessDay()))).toBe(5_000);
    const quote = await quotePayoff(db, actorOf(setup.renter), { leaseId: setup.lease.id });
    expect(quote).toMatchObject({ remainingCents: 300_003, discountCents: 6_000, lateFeesCents: 5_000, amountCents: 299_003 });
    expect(quote.installments[0]).toMatchObject({ lateFeeCents: 5_000, amountCents: 105_001 });
    const { result: payment } = await payOff(setup);
    expect(payment.amountCents).toBe(299_003);
    await settle(payment.id);
    const sums = await ledgerSums(setup.lease.id);
    // Everything owed — rent charged, the late fee — is paid; the discount forgiven.
    const [first, second, third] = setup.lease.installments;
    expect([first, second].map((installment) => sums.receivable[installment!.id] ?? 0)).toEqual([0, 0]);
    // Next month's: paid ahead (its payment and its discount) until its charge falls due.
    expect(sums.receivable[third!.id]).toBe(-100_001);
    expect(sums.accounts.LANDLORD_PAID).toBe(299_003);
    expect((await reconcileLease(db, setup.lease.id)).differences).toEqual([]);
  });

  it('never discounts rent already due, whatever the rate: 99.99 % takes off only the rent not yet due (found by a stranger)', async () => {
    const setup = await payingRenter({ terms: { ...ODD_CENTS, startDate: firstOfLastMonth(), dueDay: 1, payoffDiscountBasisPoints: 9_999 } });
    const quote = await quotePayoff(db, actorOf(setup.renter), { leaseId: setup.lease.id });
    // 300,003 × 99.99 % = 299,973 at the rate; only next month's 100,001 is not yet due.
    expect(quote).toMatchObject({ remainingCents: 300_003, discountCents: 100_001, amountCents: 200_002, payable: true });
    expect(quote.installments.map((i) => [i.number, i.discountCents, i.amountCents])).toEqual([
      [1, 0, 100_001],
      [2, 0, 100_001],
      [3, 100_001, 0],
    ]);
    const { result: payment } = await payOff(setup);
    expect(payment).toMatchObject({ amountCents: 200_002, discountCents: 100_001 });
    expect((await reconcileLease(db, setup.lease.id)).differences).toEqual([]);
  });

  it('is idempotent per key: the same key answers the same payoff, another parameter with it is a CONFLICT', async () => {
    const setup = await payingRenter({ terms: ODD_CENTS });
    const first = await payOff(setup, 'RTP', 'payoff-key-1');
    const again = await payOff(setup, 'RTP', 'payoff-key-1');
    expect(again).toMatchObject({ replayed: true, result: { id: first.result.id } });
    await expect(payOff(setup, 'WIRE', 'payoff-key-1')).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(await db.payment.count({ where: { leaseId: setup.lease.id } })).toBe(1);
  });
});

describe('payoff refusals', () => {
  it('refuses while another payment of the lease is in flight, and refuses a payment while a payoff is in flight', async () => {
    const setup = await payingRenter({ terms: ODD_CENTS });
    const renter = actorOf(setup.renter);
    const pay = (index: number) => createPayment(db, renter, { installmentId: setup.lease.installments[index]!.id, fromAccountId: setup.from.id, rail: 'RTP' } satisfies CreatePaymentInput, null);
    const { result: single } = await pay(0);
    await expect(payOff(setup)).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/payment of this lease is in progress \(PENDING\)/) });
    expect((await quotePayoff(db, renter, { leaseId: setup.lease.id })).inFlightPaymentId).toBe(single.id);
    await settle(single.id, false);

    const { result: payoff } = await payOff(setup);
    await expect(pay(1)).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/^An early payoff of \$[\d,.]+ is on its way/) });
    await expect(payOff(setup)).rejects.toMatchObject({ code: 'CONFLICT' });
    // The renter's dashboard links its next installment to the payoff on its way.
    const next = (await renterDashboard(db, renter)).leases.find((lease) => lease.id === setup.lease.id)!.nextInstallment!;
    expect(next).toMatchObject({ state: 'IN_FLIGHT', canPay: false, paymentInFlight: { id: payoff.id, status: 'PENDING' } });
    await db.$transaction((tx) => submitPayment(tx, payoff.id));
    await expect(pay(2)).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/^An early payoff of \$[\d,.]+ is on its way \(Instant \(RTP\), started /) });
    expect(await db.payment.count({ where: { leaseId: setup.lease.id } })).toBe(2);
  });

  it('refuses a lease that is not ACTIVE or not theirs, an account not theirs or deactivated, and nothing left to pay', async () => {
    const setup = await payingRenter({ terms: ODD_CENTS });
    const renter = actorOf(setup.renter);
    const stranger = await createUser('RENTER');
    await expect(quotePayoff(db, actorOf(stranger), { leaseId: setup.lease.id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(payOffLease(db, actorOf(stranger), { leaseId: setup.lease.id, fromAccountId: setup.from.id, rail: 'RTP' }, null)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(payOffLease(db, actorOf(setup.landlord), { leaseId: setup.lease.id, fromAccountId: setup.from.id, rail: 'RTP' }, null)).rejects.toMatchObject({ code: 'NOT_FOUND' });

    // A pending lease (not accepted yet) does not name the renter: not theirs to pay off.
    const { lease: pending } = await offerLease(setup.landlordApi, setup.renter.email);
    await expect(quotePayoff(db, renter, { leaseId: pending.id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(payOffLease(db, renter, { leaseId: pending.id, fromAccountId: setup.from.id, rail: 'RTP' }, null)).rejects.toMatchObject({ code: 'NOT_FOUND' });

    // Someone else's account; a deactivated one of theirs.
    const strangerAccount = await (await apiAs(stranger)).bankAccount.create.mutate(bankAccountInput());
    await expect(payOffLease(db, renter, { leaseId: setup.lease.id, fromAccountId: strangerAccount.id, rail: 'RTP' }, null)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const spare = await setup.renterApi.bankAccount.create.mutate(bankAccountInput({ nickname: 'Spare', accountNumber: accountEndingIn('0000') }));
    await db.$transaction((tx) => deactivateBankAccount(tx, renter, { id: spare.id }));
    await expect(payOffLease(db, renter, { leaseId: setup.lease.id, fromAccountId: spare.id, rail: 'RTP' }, null)).rejects.toMatchObject({ code: 'BAD_REQUEST' });

    // An ACH payoff settled but not final: everything is PAID, the lease still ACTIVE — nothing left to pay.
    const { result } = await payOff(setup, 'STANDARD_ACH');
    await settle(result.id);
    const quote = await quotePayoff(db, renter, { leaseId: setup.lease.id });
    expect(quote).toMatchObject({ payable: false, installments: [], amountCents: 0, reason: expect.stringMatching(/nothing left to pay/) });
    await expect(payOff(setup)).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/nothing left to pay/) });
    expect(await db.payment.count({ where: { leaseId: setup.lease.id } })).toBe(1);
  });
});

describe('payoff settlement, finality and return', () => {
  it('RTP: settled is final — every remaining installment PAID, the discount its own ledger transaction, the lease COMPLETED', async () => {
    const setup = await payingRenter({ terms: ODD_CENTS });
    const { result } = await payOff(setup, 'RTP');
    expect(await settle(result.id)).toMatchObject({ settled: true, status: 'COMPLETED', leaseStatus: 'COMPLETED' });
    const installments = await db.installment.findMany({ where: { leaseId: setup.lease.id }, orderBy: { number: 'asc' } });
    expect(installments.map((i) => i.status)).toEqual(['PAID', 'PAID', 'PAID']);
    for (const installment of installments) {
      const types = (await db.event.findMany({ where: { aggregateId: installment.id }, orderBy: { sequence: 'asc' } })).map((e) => e.type);
      expect(types).toEqual(['installment.scheduled', 'installment.paid']);
    }
    const discount = await db.ledgerTransaction.findMany({ where: { paymentId: result.id, kind: 'PAYOFF_DISCOUNT' }, include: { entries: true } });
    expect(discount).toHaveLength(1);
    expect(discount[0]!.entries.map((e) => [e.account, e.amountCents]).sort()).toEqual([
      ['LANDLORD_PAYABLE', 6_000],
      ['RENTER_RECEIVABLE', -6_000],
    ]);
    const lease = await db.lease.findUniqueOrThrow({ where: { id: setup.lease.id } });
    expect(lease.status).toBe('COMPLETED');
    expect((await db.event.findFirstOrThrow({ where: { aggregateId: lease.id }, orderBy: { sequence: 'desc' } })).type).toBe('lease.completed');
    const sums = await ledgerSums(setup.lease.id);
    expect(sums.accounts).toMatchObject({ LANDLORD_PAID: 294_003, CASH_IN_TRANSIT: 0 });
    // Not yet due: paid ahead (negative) until each charge falls due on its date.
    expect(Object.values(sums.receivable).reduce((a, b) => a + b, 0)).toBe(-300_003);
    expect((await reconcileLease(db, setup.lease.id)).differences).toEqual([]);
    // The one-completed-payment rule holds for covered installments too (the database refuses a second).
    const covered = installments[2]!;
    const paid = await row(result.id);
    const direct = await db.payment.create({
      data: { ...pick(paid), installmentId: covered.id, status: 'PENDING', kind: 'INSTALLMENT', discountCents: 0, amountCents: covered.amountCents },
    });
    await db.payment.update({ where: { id: direct.id }, data: { status: 'PROCESSING' } });
    await expect(db.payment.update({ where: { id: direct.id }, data: { status: 'COMPLETED' } })).rejects.toThrow(/Payment_one_completed_per_covered_installment/);
  });

  it('a failed payoff changes no installment and reverses its submission', async () => {
    const setup = await payingRenter({ terms: ODD_CENTS });
    const { result } = await payOff(setup, 'RTP');
    expect(await settle(result.id, false)).toMatchObject({ status: 'FAILED', leaseStatus: 'ACTIVE' });
    expect((await db.installment.findMany({ where: { leaseId: setup.lease.id } })).map((i) => i.status)).toEqual(['DUE', 'DUE', 'DUE']);
    expect((await ledgerSums(setup.lease.id)).accounts.CASH_IN_TRANSIT ?? 0).toBe(0);
    expect((await reconcileLease(db, setup.lease.id)).differences).toEqual([]);
    expect((await quotePayoff(db, actorOf(setup.renter), { leaseId: setup.lease.id })).payable).toBe(true);
  });

  it('ACH: PAID at settlement, COMPLETED at finality; a later R10 return reverses all of it and reopens the lease', async () => {
    const setup = await payingRenter({ terms: ODD_CENTS });
    const before = await ledgerSums(setup.lease.id);
    const { result } = await payOff(setup, 'STANDARD_ACH');
    expect(await settle(result.id)).toMatchObject({ status: 'COMPLETED', leaseStatus: 'ACTIVE' });
    expect((await db.installment.findMany({ where: { leaseId: setup.lease.id } })).map((i) => i.status)).toEqual(['PAID', 'PAID', 'PAID']);
    let payment = await row(result.id);
    expect(payment.finalAt).toBeNull();
    const afterWindow = played(payment, payment.returnableUntil!, 1);
    expect(await db.$transaction((tx) => finalizePayment(tx, payment.id, afterWindow))).toEqual({ finalized: true, status: 'COMPLETED', leaseStatus: 'COMPLETED' });

    const returned = await db.$transaction((tx) => returnPayment(tx, result.id, { code: 'R10' }, afterWindow));
    expect(returned).toMatchObject({ returned: true, status: 'RETURNED', leaseStatus: 'ACTIVE' });
    payment = await row(result.id);
    expect(payment.status).toBe('RETURNED');
    const lease = await db.lease.findUniqueOrThrow({ where: { id: setup.lease.id } });
    expect(lease.status).toBe('ACTIVE');
    const leaseEvents = (await db.event.findMany({ where: { aggregateId: lease.id }, orderBy: { sequence: 'asc' } })).map((e) => e.type);
    expect(leaseEvents.slice(-2)).toEqual(['lease.completed', 'lease.reopened']);
    // Not yet due (the schedule starts in 2027): unpaid again, DUE.
    expect((await db.installment.findMany({ where: { leaseId: setup.lease.id } })).map((i) => i.status)).toEqual(['DUE', 'DUE', 'DUE']);
    const after = await ledgerSums(setup.lease.id);
    expect(after.receivable).toEqual(Object.fromEntries(setup.lease.installments.map((i) => [i.id, before.receivable[i.id] ?? 0])));
    for (const account of ['LANDLORD_PAID', 'CASH_IN_TRANSIT', 'DIRECTPAY_CASH', 'FEE_INCOME', 'LANDLORD_PAYABLE'] as const) expect(after.accounts[account] ?? 0).toBe(before.accounts[account] ?? 0);
    expect(await db.ledgerTransaction.count({ where: { paymentId: result.id, kind: 'PAYOFF_DISCOUNT_REVERSED' } })).toBe(1);
    expect((await reconcileLease(db, setup.lease.id)).differences).toEqual([]);
    // Payable again, by installment or by a new payoff.
    expect((await quotePayoff(db, actorOf(setup.renter), { leaseId: setup.lease.id })).amountCents).toBe(294_003);
  });

  it('settles and returns a payoff whose discount covers a whole installment (a zero part; found by a stranger: it could never settle)', async () => {
    // 20 % off five months not yet due is one month's rent, taken off the last installment first: its part is 0.
    const setup = await payingRenter({ terms: { monthlyRentCents: 100_000, termMonths: 5, payoffDiscountBasisPoints: 2_000 } });
    const { result } = await payOff(setup, 'STANDARD_ACH');
    expect(result.amountCents).toBe(400_000);
    const parts = await db.payoffInstallment.findMany({ where: { paymentId: result.id }, include: { installment: { select: { number: true } } }, orderBy: { installment: { number: 'asc' } } });
    expect(parts.map((part) => part.rentCents - part.discountCents)).toEqual([100_000, 100_000, 100_000, 100_000, 0]);
    expect(await settle(result.id)).toMatchObject({ settled: true, status: 'COMPLETED' });
    expect((await db.installment.findMany({ where: { leaseId: setup.lease.id } })).map((i) => i.status)).toEqual(['PAID', 'PAID', 'PAID', 'PAID', 'PAID']);
    expect(await db.ledgerTransaction.count({ where: { paymentId: result.id, kind: 'PAYOFF_DISCOUNT' } })).toBe(1);
    expect((await reconcileLease(db, setup.lease.id)).differences).toEqual([]);
    const payment = await row(result.id);
    const returned = await db.$transaction((tx) => returnPayment(tx, result.id, { code: 'R01' }, played(payment, payment.settledAt!)));
    expect(returned).toMatchObject({ returned: true, status: 'RETURNED' });
    expect(await db.ledgerTransaction.count({ where: { paymentId: result.id, kind: 'PAYOFF_DISCOUNT_REVERSED' } })).toBe(1);
    expect((await reconcileLease(db, setup.lease.id)).differences).toEqual([]);
  });

  it('a returned payoff leaves installments already due FAILED (overdue) and charges their late fee as ordinary returns do', async () => {
    const setup = await payingRenter({ terms: { ...ODD_CENTS, startDate: '2026-08-01', dueDay: 1, lateFeeFlatCents: 5_000 } });
    const { result } = await payOff(setup, 'STANDARD_ACH');
    await settle(result.id);
    const payment = await row(result.id);
    await db.$transaction((tx) => returnPayment(tx, result.id, { code: 'R01' }, played(payment, payment.settledAt!)));
    const statuses = await db.installment.findMany({ where: { leaseId: setup.lease.id }, orderBy: { number: 'asc' }, select: { dueDate: true, status: true } });
    const today = businessDay();
    for (const i of statuses) expect(i.status).toBe(i.dueDate.toISOString().slice(0, 10) <= today ? 'FAILED' : 'DUE');
    expect(statuses[0]!.status).toBe('FAILED');
    expect((await reconcileLease(db, setup.lease.id)).differences).toEqual([]);
  });
});
