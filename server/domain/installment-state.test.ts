// The one installment rule: every state, the transitions between them, and what the lease page
// answers both parties through the real API (the landlord's "Failed beside Processing" bug).
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { db } from '@/server/db';
import { payingRenter, accountEndingIn } from '@/server/testing/payments';
import { bankAccountInput } from '@/server/testing/leasing';
import { createPayment, retryPayment } from './payments';
import { settlePayment, submitPayment } from './settlement';
import { returnPayment } from './returns';
import { scaledInstant } from './calendar';
import { env } from '@/server/env';
import { decideInstallment, installmentLabel, payNext, type CoveringPayment, type InstallmentFacts } from './installment-state';
import { failureText } from './failure-codes';
import { paymentSplit } from './rails';
import type { Actor } from './actor';
import { buildSchedule } from './schedule';
import { anyScheduleTerms } from '@/server/testing/arbitraries';

const actorOf = (user: { id: string; role: 'LANDLORD' | 'RENTER' }): Actor => ({ id: user.id, role: user.role });

const active = { status: 'ACTIVE' as const, graceDays: 3, dueDay: 1 };
const payment = (overrides: Partial<CoveringPayment> = {}): CoveringPayment => ({
  kind: 'INSTALLMENT',
  status: 'PROCESSING',
  rail: 'STANDARD_ACH',
  amountCents: 150_000,
  createdAt: new Date('2026-11-03T15:00:00Z'),
  failureCode: null,
  ...overrides,
});
const facts = (overrides: Partial<InstallmentFacts> = {}): InstallmentFacts => ({ status: 'DUE', dueDate: '2026-11-01', lease: active, latestPayment: null, today: '2026-11-01', ...overrides });

describe('decideInstallment', () => {
  it('is Upcoming before its due date, Due through the grace period, Overdue after it', () => {
    expect(decideInstallment(facts({ today: '2026-10-31' }))).toMatchObject({ state: 'UPCOMING', canPay: true, reason: null, overdue: false });
    expect(decideInstallment(facts({ today: '2026-11-01' }))).toMatchObject({ state: 'DUE', canPay: true, overdue: false });
    expect(decideInstallment(facts({ today: '2026-11-04' }))).toMatchObject({ state: 'DUE', canPay: true, overdue: false });
    expect(decideInstallment(facts({ today: '2026-11-05' }))).toMatchObject({ state: 'OVERDUE', canPay: true, overdue: true });
  });

  it('is In flight while a payment is PENDING or PROCESSING, and says what is on its way', () => {
    for (const status of ['PENDING', 'PROCESSING'] as const) {
      const verdict = decideInstallment(facts({ today: '2026-11-20', latestPayment: payment({ status }) }));
      expect(verdict).toMatchObject({ state: 'IN_FLIGHT', canPay: false, reasonCode: 'PAYMENT_IN_FLIGHT', overdue: false, lastFailure: null });
      expect(verdict.reason).toBe('A payment of $1,500.00 is on its way (Standard ACH, started Nov 3)');
    }
  });

  it('a FAILED installment whose retry is on its way is In flight, not failed', () => {
    const retry = payment({ status: 'PROCESSING' });
    expect(decideInstallment(facts({ status: 'FAILED', latestPayment: retry }))).toMatchObject({ state: 'IN_FLIGHT', canPay: false, lastFailure: null });
  });

  it('after a failure it is due (or overdue) again, payable, with the failure in words', () => {
    const failed = payment({ status: 'FAILED', failureCode: 'R01' });
    expect(decideInstallment(facts({ status: 'FAILED', latestPayment: failed }))).toMatchObject({ state: 'DUE', canPay: true, lastFailure: 'Insufficient funds (R01)' });
    expect(decideInstallment(facts({ status: 'FAILED', latestPayment: failed, today: '2026-12-01' }))).toMatchObject({ state: 'OVERDUE', overdue: true });
  });

  it('is Returned when its settled payment came back, and can be paid again', () => {
    const returned = payment({ status: 'RETURNED', failureCode: 'R10' });
    expect(decideInstallment(facts({ status: 'FAILED', latestPayment: returned }))).toMatchObject({
      state: 'RETURNED',
      canPay: true,
      lastFailure: 'Not authorized by the account holder (R10)',
    });
  });

  it('is Paid or Waived from the stored status, and then cannot be paid', () => {
    expect(decideInstallment(facts({ status: 'PAID', latestPayment: payment({ status: 'COMPLETED' }) }))).toMatchObject({
      state: 'PAID',
      canPay: false,
      reasonCode: 'INSTALLMENT_PAID',
      reason: 'November 2026 rent is paid',
    });
    expect(decideInstallment(facts({ status: 'WAIVED', lease: { status: 'CANCELLED', graceDays: 0, dueDay: 1 } }))).toMatchObject({
      state: 'WAIVED',
      canPay: false,
      reasonCode: 'INSTALLMENT_WAIVED',
    });
  });

  it('an early payoff on its way covers it', () => {
    const payoff = payment({ kind: 'PAYOFF', rail: 'RTP', amountCents: 900_000 });
    expect(decideInstallment(facts({ latestPayment: payoff }))).toMatchObject({
      state: 'IN_FLIGHT',
      canPay: false,
      reason: 'An early payoff of $9,000.00 is on its way (Instant (RTP), started Nov 3)',
    });
  });

  it('nothing can be paid on a lease that is not active, and it is never overdue', () => {
    expect(decideInstallment(facts({ lease: { status: 'PENDING', graceDays: 0, dueDay: 1 }, today: '2026-12-01' })).state).toBe('DUE');
    expect(decideInstallment(facts({ lease: { status: 'PENDING', graceDays: 0, dueDay: 1 }, today: '2026-12-01' }))).toMatchObject({
      canPay: false,
      reasonCode: 'LEASE_NOT_ACTIVE',
      reason: 'Rent can be paid once the lease is accepted',
      overdue: false,
    });
    expect(decideInstallment(facts({ lease: { status: 'DEFAULTED', graceDays: 0, dueDay: 1 } }))).toMatchObject({ canPay: false, reasonCode: 'LEASE_NOT_ACTIVE' });
  });

  it('Pay next is the earliest payable installment', () => {
    expect(payNext([{ number: 3, canPay: true }, { number: 1, canPay: false }, { number: 2, canPay: true }])).toEqual({ number: 2, canPay: true });
    expect(payNext([{ number: 1, canPay: false }])).toBeNull();
  });
});

describe('words and money', () => {
  it('names an installment by the month of its due date', () => {
    expect(installmentLabel({ dueDate: '2026-11-01' }, { dueDay: 1 })).toBe('November 2026 rent');
    expect(installmentLabel({ dueDate: new Date(Date.UTC(2026, 10, 1)) }, { dueDay: 1 })).toBe('November 2026 rent');
    // Due day 31 clamps to the month's end: still a full installment.
    expect(installmentLabel({ dueDate: '2027-02-28' }, { dueDay: 31 })).toBe('February 2027 rent');
    expect(installmentLabel({ dueDate: '2028-02-29' }, { dueDay: 30 })).toBe('February 2028 rent');
  });

  it('names the prorated first installment apart from the full one of the same month', () => {
    // Moving in Nov 15 with rent due on the 20th: Nov 15–19 prorated, then the full month from Nov 20.
    const schedule = buildSchedule({ monthlyRentCents: 150_000, startDate: '2026-11-15', termMonths: 3, dueDay: 20, prorateFirstMonth: true });
    expect(schedule.map((row) => installmentLabel(row, { dueDay: 20 }))).toEqual(['November 2026 rent (prorated)', 'November 2026 rent', 'December 2026 rent', 'January 2027 rent']);
    // Rent due on the 31st, moving in Nov 5: the first full installment falls on Nov 30.
    const end = buildSchedule({ monthlyRentCents: 150_000, startDate: '2026-11-05', termMonths: 2, dueDay: 31, prorateFirstMonth: true });
    expect(end.map((row) => installmentLabel(row, { dueDay: 31 }))).toEqual(['November 2026 rent (prorated)', 'November 2026 rent', 'December 2026 rent']);
  });

  it('never gives two installments of one lease the same name', () => {
    fc.assert(
      fc.property(anyScheduleTerms(60), (terms) => {
        const schedule = buildSchedule(terms);
        const labels = schedule.map((row) => installmentLabel(row, terms));
        expect(new Set(labels).size).toBe(labels.length);
        expect(labels.filter((label) => label.endsWith('(prorated)'))).toHaveLength(schedule.filter((row) => row.prorated).length);
      }),
      { seed: 20261130, numRuns: 500 },
    );
  });

  it('reads failure codes as plain words with the code as a detail', () => {
    expect(failureText('R01')).toBe('Insufficient funds (R01)');
    expect(failureText('AM04')).toBe('Insufficient funds (AM04)');
    expect(failureText('X99', 'Something odd')).toBe('Something odd (X99)');
    expect(failureText(null)).toBe('The bank refused the payment');
  });

  it('splits a payment: the renter pays rent, late fee and rail fee; the landlord receives rent and late fee', () => {
    expect(paymentSplit(165_000, 0, 150)).toEqual({ rentCents: 165_000, lateFeeCents: 0, feeCents: 150, totalCents: 165_150, landlordReceivesCents: 165_000 });
    expect(paymentSplit(150_000, 7_500, 100)).toMatchObject({ totalCents: 157_600, landlordReceivesCents: 157_500 });
  });
});

describe('the lease page answers the rule to both parties', () => {
  it('Standard ACH fails R01, its retry is on its way: the landlord sees In flight (not Failed), then Paid', async () => {
    const setup = await payingRenter({ last4: '0001' });
    const renter = actorOf(setup.renter);
    const first = setup.lease.installments[0]!;
    const { result: failing } = await createPayment(db, renter, { installmentId: first.id, fromAccountId: setup.from.id, rail: 'STANDARD_ACH' }, null);
    await db.$transaction((tx) => submitPayment(tx, failing.id));
    await db.$transaction((tx) => settlePayment(tx, failing.id, { ok: false, code: 'R01', reason: 'Insufficient funds in the sending account' }));

    let lease = await setup.landlordApi.lease.byId.query({ id: setup.lease.id });
    expect(lease.installments[0]).toMatchObject({ status: 'FAILED', canPay: true, lastFailure: 'Insufficient funds (R01)', label: installmentLabel(first, setup.lease) });
    expect(['UPCOMING', 'DUE', 'OVERDUE']).toContain(lease.installments[0]!.state);
    expect(lease.payNextInstallmentId).toBe(first.id);
    const failed = await setup.renterApi.payment.byId.query({ id: failing.id });
    expect(failed.failureText).toBe('Insufficient funds (R01)');

    // The retry, from another account, goes out: the installment is In flight for both parties.
    const other = await setup.renterApi.bankAccount.create.mutate(bankAccountInput({ nickname: 'Savings', accountNumber: accountEndingIn('0000') }));
    const { result: retry } = await retryPayment(db, renter, { id: failing.id, fromAccountId: other.id }, null);
    await db.$transaction((tx) => submitPayment(tx, retry.id));
    for (const api of [setup.landlordApi, setup.renterApi]) {
      lease = await api.lease.byId.query({ id: setup.lease.id });
      expect(lease.installments[0]).toMatchObject({ status: 'FAILED', state: 'IN_FLIGHT', canPay: false, reasonCode: 'PAYMENT_IN_FLIGHT', lastFailure: null });
      expect(lease.installments[0]!.reason).toMatch(/^A payment of \$1,500\.00 is on its way \(Standard ACH, started /);
      expect(lease.payNextInstallmentId).toBe(lease.installments[1]!.id);
    }
    await expect(createPayment(db, renter, { installmentId: first.id, fromAccountId: other.id, rail: 'RTP' }, null)).rejects.toMatchObject({ code: 'CONFLICT', message: lease.installments[0]!.reason });

    await db.$transaction((tx) => settlePayment(tx, retry.id, { ok: true }));
    lease = await setup.landlordApi.lease.byId.query({ id: setup.lease.id });
    expect(lease.installments[0]).toMatchObject({ status: 'PAID', state: 'PAID', canPay: false, reasonCode: 'INSTALLMENT_PAID' });
  });

  it('a returned payment leaves the installment Returned and payable again', async () => {
    const setup = await payingRenter({ last4: '0011' });
    const first = setup.lease.installments[0]!;
    const { result: paid } = await createPayment(db, actorOf(setup.renter), { installmentId: first.id, fromAccountId: setup.from.id, rail: 'STANDARD_ACH' }, null);
    await db.$transaction((tx) => submitPayment(tx, paid.id));
    await db.$transaction((tx) => settlePayment(tx, paid.id, { ok: true }));
    const settled = await db.payment.findUniqueOrThrow({ where: { id: paid.id } });
    // Returned as the demo clock plays its settlement: well inside the window.
    const at = scaledInstant(settled.createdAt, settled.settledAt!, env.SETTLEMENT_TIME_SCALE);
    await db.$transaction((tx) => returnPayment(tx, paid.id, { code: 'R01' }, at));
    const lease = await setup.renterApi.lease.byId.query({ id: setup.lease.id });
    expect(lease.installments[0]).toMatchObject({ state: 'RETURNED', canPay: true, lastFailure: 'Insufficient funds (R01)' });
    const view = await setup.renterApi.payment.byId.query({ id: paid.id });
    expect(view.split).toEqual({ rentCents: 150_000, lateFeeCents: 0, feeCents: 0, totalCents: 150_000, landlordReceivesCents: 150_000 });
  });
});
