// Payment rules at the domain level: creation, refusals, cancellation, settlement steps
// (including repeated steps), retries, lease completion and default, and history.
import { describe, expect, it } from 'vitest';
import { db } from '@/server/db';
import { asOwner } from '@/server/testing/database';
import { payingRenter, accountEndingIn } from '@/server/testing/payments';
import { bankAccountInput } from '@/server/testing/leasing';
import { cancelPayment, createPayment, getPayment, paymentHistory, retryPayment, type CreatePaymentInput } from './payments';
import { FAILURES_BEFORE_DEFAULT, settlePayment, submitPayment } from './settlement';
import { addCalendarDays, formatDay, returnDeadline } from './calendar';
import { businessDay, chargeLateFeeIfLate } from './ledger';
import { replay, verifyChain } from './events';
import type { Actor } from './actor';

const actorOf = (user: { id: string; role: 'LANDLORD' | 'RENTER' }): Actor => ({ id: user.id, role: user.role });
const eventsOf = (id: string) => db.event.findMany({ where: { aggregateId: id }, orderBy: { sequence: 'asc' } });

async function pay(setup: Awaited<ReturnType<typeof payingRenter>>, overrides: Partial<CreatePaymentInput> = {}, key: string | null = null) {
  const input = { installmentId: setup.lease.installments[0]!.id, fromAccountId: setup.from.id, rail: 'RTP' as const, ...overrides };
  return createPayment(db, actorOf(setup.renter), input, key);
}

const R01 = { ok: false as const, code: 'R01', reason: 'Insufficient funds in the sending account' };

describe('creating a payment', () => {
  it('creates a PENDING payment for the installment’s exact amount to the lease’s payout account, with its fee, timeline and one event', async () => {
    const setup = await payingRenter();
    const { result: payment, replayed } = await pay(setup, { rail: 'STANDARD_ACH' });
    expect(replayed).toBe(false);
    expect(payment).toMatchObject({
      status: 'PENDING',
      rail: 'STANDARD_ACH',
      railName: 'Standard ACH',
      amountCents: setup.lease.installments[0]!.amountCents,
      feeCents: 0,
      attempt: 1,
      cancellable: true,
      final: false,
      installment: { id: setup.lease.installments[0]!.id, number: 1 },
      fromAccount: { id: setup.from.id, last4: '0000' },
      toAccount: { id: setup.lease.payoutAccount.id },
    });
    expect(payment.expectedSettlementAt.getTime()).toBeGreaterThanOrEqual(payment.submitAt.getTime());
    const events = await eventsOf(payment.id);
    expect(events.map((e) => e.type)).toEqual(['payment.created']);
    expect(events[0]!.actorId).toBe(setup.renter.id);
  });

  it('refuses a second payment while one is in flight, and a paid installment', async () => {
    const setup = await payingRenter();
    const { result: first } = await pay(setup);
    // The one rule's reason (installment-state.ts), in words.
    await expect(pay(setup)).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/^A payment of \$1,500\.00 is on its way \(Instant \(RTP\), started [A-Z][a-z]{2} \d{1,2}\)$/) });
    await db.$transaction((tx) => submitPayment(tx, first.id));
    await db.$transaction((tx) => settlePayment(tx, first.id, { ok: true }));
    await expect(pay(setup)).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/^[A-Z][a-z]+ \d{4} rent is paid$/) });
  });

  it('refuses a lease that is not ACTIVE, naming its state', async () => {
    const setup = await payingRenter();
    // Behind the database's rule that a lease completes only paid in full: the refusal under test is the app's.
    await asOwner([[`UPDATE "Lease" SET status = 'COMPLETED' WHERE id = $1`, [setup.lease.id]]], { without: [['Lease', 'Lease_completed_as_its_installments']] });
    await expect(pay(setup)).rejects.toMatchObject({ code: 'CONFLICT', message: 'This lease is completed; there is nothing more to pay' });
  });

  it('refuses a deactivated account, and treats someone else’s account or installment as not found', async () => {
    const setup = await payingRenter();
    const other = await payingRenter();
    const second = await setup.renterApi.bankAccount.create.mutate(bankAccountInput({ accountNumber: accountEndingIn('0000') }));
    await setup.renterApi.bankAccount.deactivate.mutate({ id: second.id });
    await expect(pay(setup, { fromAccountId: second.id })).rejects.toMatchObject({ code: 'BAD_REQUEST', fieldErrors: { fromAccountId: [expect.any(String)] } });
    await expect(pay(setup, { fromAccountId: other.from.id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(pay(setup, { installmentId: other.lease.installments[0]!.id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await db.payment.count({ where: { renterId: setup.renter.id } })).toBe(0);
  });

  it('refuses an account deactivated by a transaction that held the lease’s lock while the payment waited for it', async () => {
    const setup = await payingRenter();
    const installmentId = setup.lease.installments[0]!.id;
    let paying: Promise<unknown> | undefined;
    await db.$transaction(
      async (tx) => {
        // As a return (R02/R03) does: the lease's lock, then the sending account deactivated.
        await tx.$executeRaw`SELECT 1 FROM "Lease" WHERE id = ${setup.lease.id}::uuid FOR UPDATE`;
        await tx.bankAccount.update({ where: { id: setup.from.id }, data: { active: false, isPrimary: false } });
        paying = pay(setup).then(
          () => 'created',
          (error: { code?: string }) => error.code,
        );
        // Until the payment's locking statement waits for this transaction's lock.
        for (;;) {
          const [row] = await db.$queryRaw<{ waiting: number }[]>`SELECT count(*)::int AS waiting FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%FOR UPDATE OF l, i%'`;
          if (row && row.waiting > 0) break;
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      },
      { timeout: 30_000 },
    );
    expect(await paying).toBe('BAD_REQUEST');
    expect(await db.payment.count({ where: { installmentId } })).toBe(0);
  });

  it('refuses an amount over the rail’s limit and accepts it on a rail that allows it', async () => {
    // Above Same-day ACH's $1,000,000 limit: the highest rent, $1,000,000.00, due 10 days ago and
    // unpaid, plus its $500,000.00 late fee.
    const [year, month, day] = businessDay().split('-').map(Number) as [number, number, number];
    const due = formatDay(addCalendarDays({ year, month, day }, -10));
    const setup = await payingRenter({ terms: { monthlyRentCents: 100_000_000, lateFeeFlatCents: 50_000_000, startDate: due, dueDay: Number(due.slice(8)) } });
    expect(await db.$transaction((tx) => chargeLateFeeIfLate(tx, setup.lease.installments[0]!.id, businessDay()))).toBe(50_000_000);
    await expect(pay(setup, { rail: 'SAME_DAY_ACH' })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: '$1,500,000.00 is over the Same-day ACH limit of $1,000,000.00',
    });
    const { result } = await pay(setup, { rail: 'WIRE' });
    expect(result).toMatchObject({ amountCents: 150_000_000, feeCents: 1500, totalCents: 150_001_500 });
  });
});

describe('idempotency and concurrency at the database', () => {
  it('100 concurrent calls with one key create exactly one payment and one event', async () => {
    const setup = await payingRenter();
    const results = await Promise.all(Array.from({ length: 100 }, () => pay(setup, {}, 'same-key')));
    expect(new Set(results.map((r) => r.result.id)).size).toBe(1);
    expect(results.filter((r) => !r.replayed)).toHaveLength(1);
    expect(await db.payment.count({ where: { renterId: setup.renter.id } })).toBe(1);
    expect(await db.event.count({ where: { aggregateId: results[0]!.result.id } })).toBe(1);
  });

  it('50 concurrent calls with different keys for one installment create exactly one payment; the rest get a clear CONFLICT', async () => {
    const setup = await payingRenter();
    const settled = await Promise.allSettled(Array.from({ length: 50 }, (_, i) => pay(setup, {}, `key-${i}`)));
    const ok = settled.filter((s) => s.status === 'fulfilled');
    const refused = settled.filter((s): s is PromiseRejectedResult => s.status === 'rejected');
    expect(ok).toHaveLength(1);
    expect(refused).toHaveLength(49);
    for (const r of refused) expect(r.reason).toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/is on its way/) });
    expect(await db.payment.count({ where: { renterId: setup.renter.id } })).toBe(1);
  });
});

describe('cancelling', () => {
  it('cancels a PENDING payment once; the installment stays due and can be paid again', async () => {
    const setup = await payingRenter();
    const { result } = await pay(setup, { rail: 'STANDARD_ACH' });
    const cancelled = await db.$transaction((tx) => cancelPayment(tx, actorOf(setup.renter), { id: result.id }));
    expect(cancelled).toMatchObject({ status: 'CANCELLED', cancellable: false, installment: { status: 'DUE' } });
    await expect(db.$transaction((tx) => cancelPayment(tx, actorOf(setup.renter), { id: result.id }))).rejects.toMatchObject({
      code: 'CONFLICT',
      message: 'This payment is CANCELLED; only a PENDING payment can be cancelled',
    });
    // The settlement run, arriving late, finds nothing to submit.
    expect(await db.$transaction((tx) => submitPayment(tx, result.id))).toMatchObject({ proceed: false, status: 'CANCELLED' });
    expect((await eventsOf(result.id)).map((e) => e.type)).toEqual(['payment.created', 'payment.cancelled']);
    expect((await pay(setup)).result.status).toBe('PENDING');
  });

  it('answers CONFLICT once the payment is PROCESSING, and NOT_FOUND to anyone but its renter', async () => {
    const setup = await payingRenter();
    const other = await payingRenter();
    const { result } = await pay(setup);
    await expect(db.$transaction((tx) => cancelPayment(tx, actorOf(other.renter), { id: result.id }))).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await db.$transaction((tx) => submitPayment(tx, result.id));
    await expect(db.$transaction((tx) => cancelPayment(tx, actorOf(setup.renter), { id: result.id }))).rejects.toMatchObject({
      code: 'CONFLICT',
      message: 'This payment is PROCESSING: it has been submitted to its rail and can no longer be cancelled',
    });
  });
});

describe('settlement steps', () => {
  it('PENDING → PROCESSING → COMPLETED pays the installment, notifies the landlord, and repeated steps change nothing', async () => {
    const setup = await payingRenter();
    const { result } = await pay(setup, { rail: 'SAME_DAY_ACH' });
    const submitted = await db.$transaction((tx) => submitPayment(tx, result.id));
    expect(submitted).toMatchObject({ proceed: true, status: 'PROCESSING' });
    // A repeated submit (the engine died before storing the step) changes nothing, writes
    // nothing, and still lets the run go on to settle.
    expect(await db.$transaction((tx) => submitPayment(tx, result.id))).toEqual(submitted);
    expect(await db.$transaction((tx) => settlePayment(tx, result.id, { ok: true }))).toMatchObject({ settled: true, status: 'COMPLETED' });
    expect(await db.$transaction((tx) => settlePayment(tx, result.id, R01))).toMatchObject({ settled: false, status: 'COMPLETED' });

    const payment = await getPayment(db, actorOf(setup.landlord), { id: result.id });
    expect(payment).toMatchObject({ status: 'COMPLETED', installment: { status: 'PAID' }, failureCode: null, final: false });
    // Settled at the rail's (real-calendar) settlement time, returnable through the end of the
    // 2nd banking day after it, and not final until then.
    expect(payment.settledAt).toEqual(payment.expectedSettlementAt);
    expect(payment.returnableUntil).toEqual(returnDeadline('SAME_DAY_ACH', payment.settledAt!));
    expect(payment).toMatchObject({ returnable: true, finalAt: null });
    expect((await eventsOf(result.id)).map((e) => e.type)).toEqual(['payment.created', 'payment.submitted', 'payment.completed']);
    expect((await eventsOf(setup.lease.installments[0]!.id)).map((e) => e.type)).toEqual(['installment.scheduled', 'installment.paid']);
    const notes = await db.notification.findMany({ where: { userId: setup.landlord.id } });
    expect(notes).toEqual([expect.objectContaining({ type: 'payment.completed', link: `/payments/${result.id}` })]);
  });

  it('a failure records the bank’s code, fails the installment, notifies both parties, and a retry is counted', async () => {
    const setup = await payingRenter({ last4: '0001' });
    const { result } = await pay(setup);
    await db.$transaction((tx) => submitPayment(tx, result.id));
    await db.$transaction((tx) => settlePayment(tx, result.id, R01));
    const failed = await getPayment(db, actorOf(setup.renter), { id: result.id });
    expect(failed).toMatchObject({ status: 'FAILED', failureCode: 'R01', failureReason: 'Insufficient funds in the sending account', installment: { status: 'FAILED' } });
    expect(await db.notification.count({ where: { userId: { in: [setup.landlord.id, setup.renter.id] }, type: 'payment.failed' } })).toBe(2);

    const retried = await retryPayment(db, actorOf(setup.renter), { id: result.id, rail: 'WIRE' }, null);
    expect(retried.result).toMatchObject({ status: 'PENDING', attempt: 2, rail: 'WIRE', fromAccount: { id: setup.from.id } });
    await expect(retryPayment(db, actorOf(setup.renter), { id: result.id }, null)).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(retryPayment(db, actorOf(setup.renter), { id: retried.result.id }, null)).rejects.toMatchObject({
      code: 'CONFLICT',
      message: 'This payment is PENDING; only a FAILED or RETURNED payment can be retried',
    });
  });

  it(`defaults the lease after ${FAILURES_BEFORE_DEFAULT} failed payments in a row`, async () => {
    const setup = await payingRenter({ last4: '0001' });
    let id = (await pay(setup)).result.id;
    for (let attempt = 1; attempt <= FAILURES_BEFORE_DEFAULT; attempt++) {
      await db.$transaction((tx) => submitPayment(tx, id));
      const settled = await db.$transaction((tx) => settlePayment(tx, id, R01));
      expect(settled.leaseStatus).toBe(attempt < FAILURES_BEFORE_DEFAULT ? 'ACTIVE' : 'DEFAULTED');
      if (attempt < FAILURES_BEFORE_DEFAULT) id = (await retryPayment(db, actorOf(setup.renter), { id }, null)).result.id;
    }
    const lease = await setup.renterApi.lease.byId.query({ id: setup.lease.id });
    expect(lease.status).toBe('DEFAULTED');
    await expect(retryPayment(db, actorOf(setup.renter), { id }, null)).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/This lease defaulted/) });
  });

  it('completes the lease when its last installment is paid over a final rail (RTP)', async () => {
    const setup = await payingRenter({ terms: { termMonths: 2 } });
    for (const installment of setup.lease.installments) {
      const { result } = await pay(setup, { installmentId: installment.id });
      await db.$transaction((tx) => submitPayment(tx, result.id));
      await db.$transaction((tx) => settlePayment(tx, result.id, { ok: true }));
    }
    expect((await setup.landlordApi.lease.byId.query({ id: setup.lease.id })).status).toBe('COMPLETED');
    expect(await db.notification.count({ where: { userId: setup.landlord.id, type: 'lease.completed' } })).toBe(1);
  });
});

describe('history', () => {
  it('replays a payment to any point in time, and its chain verifies', async () => {
    const setup = await payingRenter();
    const { result } = await pay(setup);
    await db.$transaction((tx) => submitPayment(tx, result.id));
    await db.$transaction((tx) => settlePayment(tx, result.id, { ok: true }));
    const events = await eventsOf(result.id);
    const history = await db.$transaction((tx) => paymentHistory(tx, actorOf(setup.renter), { id: result.id, asOf: events[1]!.createdAt }));
    expect(history.events.map((e) => e.type)).toEqual(['payment.created', 'payment.submitted', 'payment.completed']);
    expect(history.asOf!.payment!.status).toBe('PROCESSING');
    const now = await replay(db, 'Payment', result.id);
    const row = await db.payment.findUniqueOrThrow({ where: { id: result.id } });
    expect(now!.state).toMatchObject({ status: row.status, settledAt: row.settledAt!.toISOString(), returnableUntil: null, attempt: 1 });
    expect(await verifyChain(db, 'Payment', result.id)).toEqual({ ok: true, count: 3 });
  });
});
