// Point in time: a lease, its schedule, a payment and the lease's ledger as they were at
// several instants — before the renter accepted, after acceptance, with a payment on its way,
// after it settled, after it was returned, after a final payment — rebuilt from events and
// ledger entries, read through the real API (`lease.history`, `payment.history`,
// `ledger.tenant` with `asOf`), and checked against what the records said at that instant.
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { db } from '@/server/db';
import { env } from '@/server/env';
import { apiAs, codeOf, createUser } from '@/server/testing/api';
import { bankAccountInput, offerLease } from '@/server/testing/leasing';
import { accountEndingIn } from '@/server/testing/payments';
import type { Actor } from './actor';
import { scaledInstant } from './calendar';
import { businessDay, ledgerBalances } from './ledger';
import { getLease } from './leases';
import { createPayment } from './payments';
import { returnPayment } from './returns';
import { settlePayment, submitPayment } from './settlement';

const actorOf = (user: { id: string; role: 'LANDLORD' | 'RENTER' }): Actor => ({ id: user.id, role: user.role });

/** Due on the 1st, started two months before this month: installments 1–3 are due today. */
function pastTerms() {
  const [year, month] = businessDay().split('-').map(Number) as [number, number];
  const start = new Date(Date.UTC(year, month - 1 - 2, 1)).toISOString().slice(0, 10);
  return { startDate: start, termMonths: 6, dueDay: 1, monthlyRentCents: 150_000, prorateFirstMonth: false };
}

/** An instant after everything so far and before anything next (timestamps have millisecond precision). */
async function instant(): Promise<Date> {
  const at = new Date();
  await sleep(3);
  return at;
}

describe('point in time', () => {
  it('rebuilds the lease, its schedule, a payment and the ledger balance as they were at each instant', async () => {
    const landlord = await createUser('LANDLORD');
    const renter = await createUser('RENTER');
    const landlordApi = await apiAs(landlord);
    const renterApi = await apiAs(renter);
    const beforeLease = await instant();
    const { lease } = await offerLease(landlordApi, renter.email, pastTerms());
    const offered = await instant();
    await renterApi.lease.accept.mutate({ id: lease.id });
    const accepted = await instant();
    const from = await renterApi.bankAccount.create.mutate(bankAccountInput({ accountNumber: accountEndingIn('0000') }));
    const [first, second] = lease.installments;
    const due = lease.installments.filter((i) => i.dueDate <= businessDay());
    const overdueNow = due.filter((i) => i.dueDate < businessDay());
    expect(due.map((i) => i.number)).toEqual([1, 2, 3]);

    const { result: ach } = await createPayment(db, actorOf(renter), { installmentId: first!.id, fromAccountId: from.id, rail: 'STANDARD_ACH' }, null);
    const sent = await instant();
    await db.$transaction((tx) => submitPayment(tx, ach.id));
    await db.$transaction((tx) => settlePayment(tx, ach.id, { ok: true }));
    const settled = await instant();
    const stored = await db.payment.findUniqueOrThrow({ where: { id: ach.id } });
    await db.$transaction((tx) => returnPayment(tx, ach.id, { code: 'R01' }, scaledInstant(stored.createdAt, stored.settledAt!, env.SETTLEMENT_TIME_SCALE)));
    const returned = await instant();
    const { result: rtp } = await createPayment(db, actorOf(renter), { installmentId: second!.id, fromAccountId: from.id, rail: 'RTP' }, null);
    await db.$transaction((tx) => submitPayment(tx, rtp.id));
    await db.$transaction((tx) => settlePayment(tx, rtp.id, { ok: true }));
    const paidFinal = await instant();

    const leaseAt = async (asOf: Date) => (await landlordApi.lease.history.query({ id: lease.id, asOf })).asOf!;
    const statuses = (installments: { number: number; status: string; overdue: boolean }[]) => installments.slice(0, 3).map((i) => [i.number, i.status, i.overdue]);
    const ledgerAt = (asOf: Date) => renterApi.ledger.tenant.query({ leaseId: lease.id, asOf });
    const paymentAt = async (id: string, asOf: Date) => (await renterApi.payment.history.query({ id, asOf })).asOf!.payment?.status ?? null;
    const wasOverdue = (n: number) => overdueNow.some((i) => i.number === n);

    // Before the lease existed: nothing.
    expect(await leaseAt(beforeLease)).toMatchObject({ lease: null, sequence: null, installments: [] });

    // Offered, not yet accepted: PENDING, the whole schedule due but nothing overdue, nothing charged.
    let then = await leaseAt(offered);
    expect(then.lease?.status).toBe('PENDING');
    expect(then.installments).toHaveLength(6);
    expect(statuses(then.installments)).toEqual([[1, 'DUE', false], [2, 'DUE', false], [3, 'DUE', false]]);
    let ledger = await ledgerAt(offered);
    expect(ledger.lines).toEqual([]);
    expect(ledger.balances).toMatchObject({ dueCents: 0, inFlightCents: 0, returnableCents: 0, collectedCents: 0 });
    expect(await paymentAt(ach.id, offered)).toBeNull();

    // Accepted: ACTIVE, three installments charged, the past ones overdue.
    then = await leaseAt(accepted);
    expect(then.lease?.status).toBe('ACTIVE');
    expect(statuses(then.installments)).toEqual([1, 2, 3].map((n) => [n, 'DUE', wasOverdue(n)]));
    ledger = await ledgerAt(accepted);
    expect(ledger.lines.map((l) => l.kind)).toEqual(['CHARGE', 'CHARGE', 'CHARGE']);
    expect(ledger.balances).toMatchObject({ dueCents: 450_000, overdueCents: overdueNow.length * 150_000, inFlightCents: 0 });

    // The first payment on its way: PENDING, installment 1 no longer overdue, the money in transit.
    then = await leaseAt(sent);
    expect(statuses(then.installments)[0]).toEqual([1, 'DUE', false]);
    expect(then.installments[0]!.latestPayment).toMatchObject({ id: ach.id, status: 'PENDING', rail: 'STANDARD_ACH' });
    expect(await paymentAt(ach.id, sent)).toBe('PENDING');
    ledger = await ledgerAt(sent);
    expect(ledger.balances).toMatchObject({ dueCents: 300_000, inFlightCents: 150_000, returnableCents: 0 });
    expect(ledger.lines.at(-1)).toMatchObject({ kind: 'PAYMENT_SUBMITTED', balanceCents: 300_000 });

    // Settled: COMPLETED and still returnable (ACH), installment 1 PAID.
    then = await leaseAt(settled);
    expect(statuses(then.installments)[0]).toEqual([1, 'PAID', false]);
    expect(then.installments[0]!.latestPayment?.status).toBe('COMPLETED');
    expect(await paymentAt(ach.id, settled)).toBe('COMPLETED');
    ledger = await ledgerAt(settled);
    expect(ledger.balances).toMatchObject({ dueCents: 300_000, inFlightCents: 0, returnableCents: 150_000, collectedCents: 0 });

    // Returned: RETURNED, installment 1 FAILED and owed again.
    then = await leaseAt(returned);
    expect(statuses(then.installments)[0]).toEqual([1, 'FAILED', wasOverdue(1)]);
    expect(await paymentAt(ach.id, returned)).toBe('RETURNED');
    ledger = await ledgerAt(returned);
    expect(ledger.balances).toMatchObject({ dueCents: 450_000, inFlightCents: 0, returnableCents: 0, collectedCents: 0 });
    // Standard ACH is free: no fee to refund.
    expect(ledger.lines.map((l) => l.kind).slice(-2)).toEqual(['PAYMENT_SETTLED', 'PAYMENT_RETURNED']);
    expect(await paymentAt(rtp.id, returned)).toBeNull();

    // An instant (RTP) payment of installment 2: final at once, so collected.
    ledger = await ledgerAt(paidFinal);
    expect(ledger.balances).toMatchObject({ dueCents: 300_000, returnableCents: 0, collectedCents: 150_000 });
    then = await leaseAt(paidFinal);
    expect(statuses(then.installments)[1]).toEqual([2, 'PAID', false]);

    // As of now, the replayed schedule and ledger are what the live reads answer.
    const now = new Date();
    const live = await getLease(db, actorOf(landlord), { id: lease.id });
    expect((await leaseAt(now)).installments.map(({ latestPayment: _, ...i }) => i)).toEqual(live.installments);
    expect((await ledgerAt(now)).balances).toEqual(await ledgerBalances(db, actorOf(renter), { leaseId: lease.id }));
  });

  it('answers a point in time only to the lease’s parties, and only within the date range', async () => {
    const landlord = await createUser('LANDLORD');
    const renter = await createUser('RENTER');
    const { lease } = await offerLease(await apiAs(landlord), renter.email);
    const stranger = await apiAs(await createUser('RENTER'));
    expect(await codeOf(stranger.ledger.tenant.query({ leaseId: lease.id, asOf: new Date() }))).toBe('NOT_FOUND');
    expect(await codeOf(stranger.lease.history.query({ id: lease.id, asOf: new Date() }))).toBe('NOT_FOUND');
    const landlordApi = await apiAs(landlord);
    expect(await codeOf(landlordApi.ledger.tenant.query({ leaseId: lease.id, asOf: new Date('1800-01-01T00:00:00Z') }))).toBe('BAD_REQUEST');
  });
});
