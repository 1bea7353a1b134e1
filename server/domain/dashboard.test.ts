// The dashboards: ET month buckets (the boundary instant, empty months, returned payments
// never collected), the ledger's totals, recent activity, the renter's next installment — on a
// real database — and who may call which dashboard, through the real tRPC route.
import { describe, expect, it } from 'vitest';
import { db } from '@/server/db';
import { env } from '@/server/env';
import { apiAs, codeOf, createUser } from '@/server/testing/api';
import { offerLease } from '@/server/testing/leasing';
import { payingRenter, rewritePaymentDates } from '@/server/testing/payments';
import type { Actor } from './actor';
import { dayInNewYork, newYorkTime, scaledInstant } from './calendar';
import { activityWords, fillMonths, landlordDashboard, monthWindow, renterDashboard } from './dashboard';
import { businessDay } from './ledger';
import { createPayment } from './payments';
import { returnPayment } from './returns';
import { settlePayment, submitPayment } from './settlement';

const actorOf = (user: { id: string; role: 'LANDLORD' | 'RENTER' }): Actor => ({ id: user.id, role: user.role });

/** A 6-month lease due on the 1st, starting on the 1st two months before this (ET) month: installments 1–3 are due. */
function pastTerms() {
  const [year, month] = businessDay().split('-').map(Number) as [number, number];
  const start = new Date(Date.UTC(year, month - 1 - 2, 1)).toISOString().slice(0, 10);
  return { startDate: start, termMonths: 6, dueDay: 1, monthlyRentCents: 150_000 };
}

describe('monthWindow (America/New_York months)', () => {
  it('an instant late on the last evening of a month in New York belongs to that month, though it is the 1st in UTC', () => {
    const window = monthWindow(new Date('2026-11-01T03:30:00Z')); // Oct 31, 11:30 PM EDT
    expect(window.months).toHaveLength(12);
    expect(window.months[0]).toBe('2025-11');
    expect(window.months.at(-1)).toBe('2026-10');
    expect(window.from).toEqual(new Date('2025-11-01T04:00:00Z')); // midnight EDT
    expect(window.to).toEqual(new Date('2026-11-01T04:00:00Z'));
    expect([window.firstDay, window.afterDay]).toEqual(['2025-11-01', '2026-11-01']);
  });

  it('crosses the year and follows standard time in winter', () => {
    const window = monthWindow(new Date('2027-01-15T12:00:00Z'));
    expect(window.months).toEqual(['2026-02', '2026-03', '2026-04', '2026-05', '2026-06', '2026-07', '2026-08', '2026-09', '2026-10', '2026-11', '2026-12', '2027-01']);
    expect(window.from).toEqual(new Date('2026-02-01T05:00:00Z')); // midnight EST
    expect(window.to).toEqual(new Date('2027-02-01T05:00:00Z'));
  });

  it('fillMonths gives every month of the window, zeros where nothing happened, and ignores rows outside it', () => {
    const { months } = monthWindow(new Date('2026-06-10T12:00:00Z'));
    const figures = fillMonths(months, [
      { month: '2026-06', kind: 'due', cents: 100 },
      { month: '2026-06', kind: 'collected', cents: 60 },
      { month: '2026-06', kind: 'returnable', cents: 10 },
      { month: '2025-06', kind: 'due', cents: 999 },
    ]);
    expect(figures).toHaveLength(12);
    expect(figures.at(-1)).toEqual({ month: '2026-06', dueCents: 100, collectedCents: 60, returnableCents: 10 });
    expect(figures.slice(0, 11).every((m) => m.dueCents === 0 && m.collectedCents === 0 && m.returnableCents === 0)).toBe(true);
  });
});

/** Creates, submits and settles a payment, as the settlement function would; returns its row. */
async function settled(setup: Awaited<ReturnType<typeof payingRenter>>, installmentId: string, rail: 'RTP' | 'STANDARD_ACH') {
  const { result } = await createPayment(db, actorOf(setup.renter), { installmentId, fromAccountId: setup.from.id, rail }, null);
  await db.$transaction((tx) => submitPayment(tx, result.id));
  await db.$transaction((tx) => settlePayment(tx, result.id, { ok: true }));
  return db.payment.findUniqueOrThrow({ where: { id: result.id } });
}

/**
 * Places a settlement at a chosen instant. The rails' calendar decides settledAt from the real
 * clock (next banking day 8:30 ET for standard ACH), which may fall in next month; the test
 * needs instants on either side of a month boundary, so it moves the one column it buckets by.
 */
const settleAt = (paymentId: string, at: Date) => rewritePaymentDates(paymentId, { settledAt: at });

describe('the landlord dashboard', () => {
  it('buckets collected rent by the ET month it settled in, never counts a returned payment, and totals overdue, in flight and returnable', async () => {
    const setup = await payingRenter({ terms: pastTerms() });
    const [first, second, third, fourth] = setup.lease.installments;
    // Another lease of the landlord, still PENDING: none of its rent is due.
    await offerLease(setup.landlordApi, 'someone-else@example.com', pastTerms());

    const now = new Date();
    const window = monthWindow(now);
    const thisMonth = window.months.at(-1)!;
    const lastMonth = window.months.at(-2)!;
    const today = dayInNewYork(now);
    const monthStart = newYorkTime({ year: today.year, month: today.month, day: 1 }, 0);

    // 1: RTP, final at once; settled at the very first instant of this month (00:00 ET).
    const rtp = await settled(setup, first!.id, 'RTP');
    await settleAt(rtp.id, monthStart);
    // 2: standard ACH, settled 1 ms before this month began (11:59:59.999 PM ET), still returnable.
    const ach = await settled(setup, second!.id, 'STANDARD_ACH');
    await settleAt(ach.id, new Date(monthStart.getTime() - 1));
    // 3: standard ACH that the bank returned: collected in no month.
    const returned = await settled(setup, third!.id, 'STANDARD_ACH');
    await db.$transaction((tx) => returnPayment(tx, returned.id, { code: 'R01' }, scaledInstant(returned.createdAt, returned.settledAt!, env.SETTLEMENT_TIME_SCALE)));
    await settleAt(returned.id, monthStart);
    // 4: paid ahead over RTP, still on its way.
    const inFlight = (await createPayment(db, actorOf(setup.renter), { installmentId: fourth!.id, fromAccountId: setup.from.id, rail: 'RTP' }, null)).result;

    const dashboard = await landlordDashboard(db, actorOf(setup.landlord), { now });
    expect(dashboard.timeZone).toBe('America/New_York');
    expect(dashboard.months.map((m) => m.month)).toEqual(window.months);
    const byMonth = new Map(dashboard.months.map((m) => [m.month, m]));
    expect(byMonth.get(thisMonth)).toEqual({ month: thisMonth, dueCents: 150_000, collectedCents: 150_000, returnableCents: 0 });
    expect(byMonth.get(lastMonth)).toEqual({ month: lastMonth, dueCents: 150_000, collectedCents: 150_000, returnableCents: 150_000 });
    expect(byMonth.get(window.months.at(-3)!)).toMatchObject({ dueCents: 150_000, collectedCents: 0 });
    // The nine months before the lease began are there, empty.
    expect(dashboard.months.slice(0, 9).every((m) => m.dueCents === 0 && m.collectedCents === 0)).toBe(true);
    expect(dashboard.months.reduce((sum, m) => sum + m.collectedCents, 0)).toBe(300_000);

    // Installment 3 (due the 1st of this month) is owed again after its return.
    const overdue = businessDay(now) > third!.dueDate ? 150_000 : 0;
    expect(dashboard.totals).toMatchObject({ dueCents: 150_000, overdueCents: overdue, inFlightCents: 150_000, returnableCents: 150_000, collectedCents: 150_000 });

    expect(dashboard.recentActivity.length).toBeGreaterThan(3);
    expect(dashboard.recentActivity[0]).toMatchObject({
      type: 'payment.created',
      aggregateType: 'Payment',
      aggregateId: inFlight.id,
      leaseId: setup.lease.id,
      propertyName: setup.lease.property.name,
      installmentNumber: 4,
      amountCents: 150_000,
      status: 'PENDING',
    });
    expect(dashboard.recentActivity.map((a) => a.type)).toContain('payment.returned');
    expect(dashboard.recentActivity.map((a) => a.type)).not.toContain('installment.scheduled');
    // No raw id in the words; an installment's event that names a payment links it instead.
    for (const item of dashboard.recentActivity) expect(item.reason ?? '', item.type).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-/);
    const namingPayment = dashboard.recentActivity.filter((a) => a.aggregateType === 'Installment' && a.paymentId);
    expect(namingPayment.length).toBeGreaterThan(0);
    const paymentsOfLease = new Set((await db.payment.findMany({ where: { leaseId: setup.lease.id }, select: { id: true } })).map((p) => p.id));
    for (const item of namingPayment) expect(paymentsOfLease.has(item.paymentId!), `${item.type}: ${item.reason}`).toBe(true);
    expect(dashboard.recentActivity.filter((a) => a.aggregateType === 'Payment').every((a) => a.paymentId === a.aggregateId)).toBe(true);
    const ids = dashboard.recentActivity.map((a) => BigInt(a.id));
    expect(ids).toEqual([...ids].sort((a, b) => (a > b ? -1 : 1)));

    expect(dashboard.leases).toEqual([{ id: setup.lease.id, propertyName: setup.lease.property.name, status: 'ACTIVE', monthlyRentCents: 150_000, counterparty: setup.renter.name }]);
    expect(dashboard.isNew).toBe(false);
  });

  it('a new landlord gets twelve empty months, zero totals and no activity', async () => {
    const landlord = await createUser('LANDLORD');
    const dashboard = await landlordDashboard(db, actorOf(landlord));
    expect(dashboard.months).toHaveLength(12);
    expect(dashboard.months.every((m) => m.dueCents === 0 && m.collectedCents === 0)).toBe(true);
    expect(dashboard.totals).toEqual({ dueCents: 0, overdueCents: 0, inFlightCents: 0, returnableCents: 0, collectedCents: 0, lateFeesCents: 0 });
    expect(dashboard).toMatchObject({ recentActivity: [], leases: [], isNew: true });
  });
});

describe('the renter dashboard', () => {
  it("shows what the renter owes, each lease's balance and its next installment, payable or with its payment on the way", async () => {
    const setup = await payingRenter({ terms: pastTerms() });
    const [first, second] = setup.lease.installments;
    await settled(setup, first!.id, 'RTP');
    let dashboard = await renterDashboard(db, actorOf(setup.renter));
    // Installments 2 and 3 are charged and unpaid.
    expect(dashboard.balances).toMatchObject({ dueCents: 300_000, inFlightCents: 0 });
    expect(dashboard.leases).toHaveLength(1);
    expect(dashboard.leases[0]).toMatchObject({
      id: setup.lease.id,
      propertyName: setup.lease.property.name,
      landlordName: setup.landlord.name,
      status: 'ACTIVE',
      balanceCents: 300_000,
      nextInstallment: { id: second!.id, number: 2, dueDate: second!.dueDate, amountCents: 150_000, status: 'DUE', state: 'OVERDUE', overdue: true, paymentInFlight: null, canPay: true, reason: null },
    });

    const payment = (await createPayment(db, actorOf(setup.renter), { installmentId: second!.id, fromAccountId: setup.from.id, rail: 'STANDARD_ACH' }, null)).result;
    dashboard = await renterDashboard(db, actorOf(setup.renter));
    expect(dashboard.balances).toMatchObject({ dueCents: 150_000, inFlightCents: 150_000 });
    expect(dashboard.leases[0]).toMatchObject({
      balanceCents: 150_000,
      nextInstallment: { number: 2, state: 'IN_FLIGHT', overdue: false, paymentInFlight: { id: payment.id, status: 'PENDING' }, canPay: false, reasonCode: 'PAYMENT_IN_FLIGHT' },
    });
  });

  it('a renter without leases gets zero balances and no leases', async () => {
    const renter = await createUser('RENTER');
    const dashboard = await renterDashboard(db, actorOf(renter));
    expect(dashboard).toMatchObject({ leases: [], balances: { dueCents: 0, overdueCents: 0, inFlightCents: 0 } });
  });
});

describe('who may call the dashboards (through the tRPC route)', () => {
  it('each dashboard is for its own role; anonymous callers must sign in; a landlord sees only their own figures', async () => {
    const setup = await payingRenter({ terms: pastTerms() });
    const otherLandlord = await createUser('LANDLORD');
    const otherRenter = await createUser('RENTER');
    const anonymous = await apiAs(null);
    const other = await apiAs(otherLandlord);
    const otherRenterApi = await apiAs(otherRenter);

    expect(await codeOf(anonymous.dashboard.landlord.query())).toBe('UNAUTHORIZED');
    expect(await codeOf(anonymous.dashboard.renter.query())).toBe('UNAUTHORIZED');
    expect(await codeOf(setup.renterApi.dashboard.landlord.query())).toBe('FORBIDDEN');
    expect(await codeOf(setup.landlordApi.dashboard.renter.query())).toBe('FORBIDDEN');

    const own = await setup.landlordApi.dashboard.landlord.query();
    expect(own.months.reduce((sum, m) => sum + m.dueCents, 0)).toBe(450_000);
    expect(own.leases.map((l) => l.id)).toEqual([setup.lease.id]);
    const theirs = await other.dashboard.landlord.query();
    expect(theirs.months.every((m) => m.dueCents === 0 && m.collectedCents === 0)).toBe(true);
    expect(theirs).toMatchObject({ recentActivity: [], leases: [], totals: { dueCents: 0 } });

    expect((await setup.renterApi.dashboard.renter.query()).leases.map((l) => l.id)).toEqual([setup.lease.id]);
    expect(await otherRenterApi.dashboard.renter.query()).toMatchObject({ leases: [], balances: { dueCents: 0 } });
  });
});

describe('activityWords', () => {
  const id = '2a3c4d5e-1111-4222-8333-444455556666';
  it('takes the payment an installment event names out of its words, and links it', () => {
    expect(activityWords({ aggregateType: 'Installment', aggregateId: 'i', actorRole: 'SYSTEM', reason: `paid by payment ${id}` })).toEqual({ reason: 'paid by payment', paymentId: id });
    expect(activityWords({ aggregateType: 'Installment', aggregateId: 'i', actorRole: 'SYSTEM', reason: `paid by early payoff ${id}` })).toEqual({ reason: 'paid by early payoff', paymentId: id });
    expect(activityWords({ aggregateType: 'Installment', aggregateId: 'i', actorRole: 'SYSTEM', reason: `payment ${id} failed (R01)` })).toEqual({ reason: 'payment failed (R01)', paymentId: id });
    expect(activityWords({ aggregateType: 'Installment', aggregateId: 'i', actorRole: 'SYSTEM', reason: `payment ${id} was returned (R01); payable again` })).toEqual({ reason: 'payment was returned (R01); payable again', paymentId: id });
  });
  it('keeps other words as written; a payment event is about its own payment', () => {
    expect(activityWords({ aggregateType: 'Lease', aggregateId: 'l', actorRole: 'LANDLORD', reason: 'moving out early' })).toEqual({ reason: 'moving out early', paymentId: null });
    expect(activityWords({ aggregateType: 'Installment', aggregateId: 'i', actorRole: 'SYSTEM', reason: null })).toEqual({ reason: null, paymentId: null });
    expect(activityWords({ aggregateType: 'Payment', aggregateId: id, actorRole: 'SYSTEM', reason: 'settled over RTP' })).toEqual({ reason: 'settled over RTP', paymentId: id });
    expect(activityWords({ aggregateType: 'Lease', aggregateId: 'l', actorRole: 'SYSTEM', reason: `payment ${id} was returned (R10)` })).toEqual({ reason: 'payment was returned (R10)', paymentId: id });
  });
  it('reads no payment out of words a person wrote: a renter\'s decline or a landlord\'s waiver naming any payment links nothing and is shown as written', () => {
    const declined = `Already paid, see payment ${id} for details`;
    expect(activityWords({ aggregateType: 'Lease', aggregateId: 'l', actorRole: 'RENTER', reason: declined })).toEqual({ reason: declined, paymentId: null });
    expect(activityWords({ aggregateType: 'Lease', aggregateId: 'l', actorRole: 'LANDLORD', reason: `early payoff ${id}` })).toEqual({ reason: `early payoff ${id}`, paymentId: null });
    expect(activityWords({ aggregateType: 'Installment', aggregateId: 'i', actorRole: 'LANDLORD', reason: `paid by payment ${id}` })).toEqual({ reason: `paid by payment ${id}`, paymentId: null });
  });
});
