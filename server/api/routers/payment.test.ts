// payment.* through the real tRPC HTTP route, with the real settlement function running on
// the local Inngest engine (in-process, on this file's database).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db } from '@/server/db';
import { apiAs, codeOf, createUser, errorOf, routeFetch, sessionCookie } from '@/server/testing/api';
import { payingRenter, paymentWithoutSettlement, type PayingRenter, rewritePaymentDates } from '@/server/testing/payments';
import { requestSettlement } from '@/inngest/payments';
import { historyMismatches } from '@/server/testing/history';
import { startInngestForTests, type InngestTestHarness } from '@/inngest/engine/testing';
import { inngest } from '@/inngest/client';
import { functions } from '@/inngest/functions';
import superjson from 'superjson';

let inngestTest: InngestTestHarness;
beforeAll(async () => {
  inngestTest = await startInngestForTests({ client: inngest, functions });
});
afterAll(async () => {
  await inngestTest.stop();
  // Every payment the settlement function moved replays from its events to its row.
  expect((await historyMismatches()).mismatches).toEqual([]);
});

const settleRuns = (paymentId: string) => inngestTest.runsForEvent(`payment-created-${paymentId}`);

async function waitForStatus(api: PayingRenter['renterApi'], id: string, statuses: string[]) {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const payment = await api.payment.byId.query({ id });
    if (statuses.includes(payment.status)) return payment;
    if (Date.now() > deadline) throw new Error(`payment ${id} still ${payment.status}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** A raw POST to payment.create, to see the HTTP status and headers a program sees. */
async function postCreate(setup: PayingRenter, input: Record<string, unknown>, headers: Record<string, string> = {}) {
  const response = await routeFetch('http://localhost:3000/api/trpc/payment.create', {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie: await sessionCookie(setup.renter), ...headers },
    body: JSON.stringify(superjson.serialize(input)),
  });
  const body = await response.json();
  return { response, body, payment: body.result ? superjson.deserialize<{ id: string; status: string }>(body.result.data) : null };
}

const createInput = (setup: PayingRenter, rail: 'RTP' | 'WIRE' | 'SAME_DAY_ACH' | 'STANDARD_ACH' = 'RTP') => ({ installmentId: setup.lease.installments[0]!.id, fromAccountId: setup.from.id, rail });

describe('payment.rails', () => {
  it('lists the four rails with fees, limits, finality and cut-offs, to anyone', async () => {
    const rails = await (await apiAs(null)).payment.rails.query();
    expect(rails.map((r) => [r.rail, r.name, r.final])).toEqual([
      ['RTP', 'Instant (RTP)', true],
      ['WIRE', 'Wire', true],
      ['SAME_DAY_ACH', 'Same-day ACH', false],
      ['STANDARD_ACH', 'Standard ACH', false],
    ]);
    expect(rails.find((r) => r.rail === 'SAME_DAY_ACH')).toMatchObject({ limitCents: 100_000_000, feeCents: 100, cutoff: expect.stringMatching(/10:30 a\.m\., 2:45 p\.m\. and 4:45 p\.m\. ET/) });
  });
});

describe('payment.quote', () => {
  it('answers the banking calendar’s times, fee and limit for a rail and an instant, to anyone', async () => {
    const anonymous = await apiAs(null);
    // Thu 2026-12-24 15:00 ET: Christmas Friday, so standard ACH settles Monday 08:30 ET.
    expect(await anonymous.payment.quote.query({ rail: 'STANDARD_ACH', at: '2026-12-24T15:00:00-05:00' })).toEqual({
      rail: 'STANDARD_ACH',
      submitAt: new Date('2026-12-24T22:00:00.000Z'),
      expectedSettlementAt: new Date('2026-12-28T13:30:00.000Z'),
      returnableUntil: new Date('2026-12-31T04:59:59.999Z'),
      feeCents: 0,
      limitCents: 100_000_000,
    });
    // Sun 2027-07-04 noon ET: July 4th is observed Monday, so same-day ACH settles Tuesday.
    expect(await anonymous.payment.quote.query({ rail: 'SAME_DAY_ACH', at: '2027-07-04T12:00:00-04:00' })).toMatchObject({
      expectedSettlementAt: new Date('2027-07-06T17:00:00.000Z'),
      feeCents: 100,
    });
    // Wed 2026-11-25 14:00 ET, the day before Thanksgiving: settles Friday, returnable through Tuesday.
    expect(await anonymous.payment.quote.query({ rail: 'STANDARD_ACH', at: '2026-11-25T19:00:00Z' })).toMatchObject({
      expectedSettlementAt: new Date('2026-11-27T13:30:00.000Z'),
      returnableUntil: new Date('2026-12-02T04:59:59.999Z'),
    });
    const rtp = await anonymous.payment.quote.query({ rail: 'RTP', at: '2026-12-25T03:00:00Z' });
    expect(rtp).toMatchObject({ returnableUntil: null, feeCents: 150, limitCents: 1_000_000_000 });
  });

  it('defaults `at` to now', async () => {
    const before = Date.now();
    const quote = await (await apiAs(null)).payment.quote.query({ rail: 'RTP' });
    expect(quote.submitAt.getTime()).toBeGreaterThanOrEqual(before);
    expect(quote.submitAt.getTime()).toBeLessThanOrEqual(Date.now());
  });

  it('refuses a rail it does not know and an instant that is not one, or outside the date range', async () => {
    const anonymous = await apiAs(null);
    for (const input of [{ rail: 'ACH' }, { rail: 'RTP', at: 'tomorrow' }, { rail: 'RTP', at: '2026-12-24T15:00:00' }, { rail: 'RTP', at: '1899-12-31T23:59:59Z' }, { rail: 'RTP', at: '3000-01-01T00:00:00Z' }]) {
      expect(await codeOf(anonymous.payment.quote.query(input as never)), JSON.stringify(input)).toBe('BAD_REQUEST');
    }
  });
});

describe('paying rent through the API and the engine', () => {
  it('an RTP payment goes PENDING → PROCESSING → COMPLETED in one settlement run; the landlord is notified', async () => {
    const setup = await payingRenter();
    const payment = await setup.renterApi.payment.create.mutate({ ...createInput(setup), rail: 'RTP' });
    expect(payment.status).toBe('PENDING');
    const done = await waitForStatus(setup.renterApi, payment.id, ['COMPLETED']);
    expect(done).toMatchObject({ installment: { status: 'PAID' }, final: true, returnable: false, returnableUntil: null });
    const history = await setup.landlordApi.payment.history.query({ id: payment.id });
    expect(history.events.map((e) => [e.type, e.actor.role])).toEqual([
      ['payment.created', 'RENTER'],
      ['payment.submitted', 'SYSTEM'],
      ['payment.completed', 'SYSTEM'],
    ]);
    const [run] = await settleRuns(payment.id);
    const trace = await inngestTest.waitForEnd(run!.id);
    expect(trace.status).toBe('completed');
    expect((await setup.landlordApi.notification.list.query()).unreadCount).toBe(1);
  });

  it('a forced R01 on standard ACH ends FAILED with the code and reason, and a retry from another account completes', async () => {
    const setup = await payingRenter({ last4: '0001' });
    const payment = await setup.renterApi.payment.create.mutate(createInput(setup, 'STANDARD_ACH'));
    const failed = await waitForStatus(setup.renterApi, payment.id, ['FAILED', 'COMPLETED']);
    expect(failed).toMatchObject({ status: 'FAILED', failureCode: 'R01', failureReason: 'Insufficient funds in the sending account', installment: { status: 'FAILED' } });
    // What next is the server's answer: this failed payment may be retried, and its installment paid.
    expect(failed).toMatchObject({ retryable: true, installmentNow: { state: expect.stringMatching(/^(UPCOMING|DUE|OVERDUE)$/), canPay: true, reason: null, newerPaymentId: null } });
    // Only the renter retries: the landlord reads the same installment answer, and no retry.
    expect(await setup.landlordApi.payment.byId.query({ id: payment.id })).toMatchObject({ retryable: false, installmentNow: { canPay: true, newerPaymentId: null } });

    const good = await setup.renterApi.bankAccount.create.mutate({ nickname: 'Savings', bankName: 'Bank', type: 'SAVINGS', routingNumber: '011000015', accountNumber: '98760000' });
    const retry = await setup.renterApi.payment.retry.mutate({ id: payment.id, fromAccountId: good.id, rail: 'RTP' });
    expect(retry).toMatchObject({ attempt: 2, status: 'PENDING', rail: 'RTP' });
    // While the retry is on its way, the failed payment is no longer retryable and points to it.
    const meanwhile = await setup.renterApi.payment.byId.query({ id: payment.id });
    expect(meanwhile).toMatchObject({ retryable: false, installmentNow: { newerPaymentId: retry.id } });
    expect(['IN_FLIGHT', 'PAID']).toContain(meanwhile.installmentNow.state);
    const completed = await waitForStatus(setup.renterApi, retry.id, ['COMPLETED', 'FAILED']);
    expect(completed).toMatchObject({ status: 'COMPLETED', retryable: false, installmentNow: { state: 'PAID', canPay: false, reasonCode: 'INSTALLMENT_PAID', newerPaymentId: null } });
    expect(await setup.renterApi.payment.byId.query({ id: payment.id })).toMatchObject({ retryable: false, installmentNow: { state: 'PAID', canPay: false, newerPaymentId: retry.id } });
    // The landlord reads the same answer.
    expect(await setup.landlordApi.payment.byId.query({ id: payment.id })).toMatchObject({ retryable: false, installmentNow: { state: 'PAID' } });
    const payments = await setup.renterApi.payment.list.query({ leaseId: setup.lease.id });
    expect(payments.items.map((p) => [p.attempt, p.status])).toEqual([
      [2, 'COMPLETED'],
      [1, 'FAILED'],
    ]);
  });

  it('cancelling a PENDING ACH payment ends its settlement run without touching the payment', async () => {
    const setup = await payingRenter();
    // Its batch window pushed out before its settlement is asked for, so the cancellation certainly
    // lands before submission (a payment's schedule is fixed for the app: the test moves it as owner).
    const payment = await paymentWithoutSettlement(setup, { rail: 'STANDARD_ACH' });
    await rewritePaymentDates(payment.id, { submitAt: new Date(Date.now() + 30 * 86_400_000) });
    await requestSettlement(payment.id);
    const cancelled = await setup.renterApi.payment.cancel.mutate({ id: payment.id });
    expect(cancelled).toMatchObject({ status: 'CANCELLED', installment: { status: 'DUE' } });
    const [run] = await settleRuns(payment.id);
    const trace = await inngestTest.waitForEnd(run!.id);
    expect(['cancelled', 'completed']).toContain(trace.status);
    expect((await setup.renterApi.payment.history.query({ id: payment.id })).events.map((e) => e.type)).toEqual(['payment.created', 'payment.cancelled']);
    expect(await codeOf(setup.renterApi.payment.cancel.mutate({ id: payment.id }))).toBe('CONFLICT');
  });
});

describe('idempotency over HTTP', () => {
  it('replays the first response for the same key, marked Idempotent-Replayed, with no new event or run', async () => {
    const setup = await payingRenter();
    const first = await postCreate(setup, createInput(setup), { 'idempotency-key': 'rent-2027-01' });
    expect(first.response.status).toBe(200);
    expect(first.response.headers.get('idempotent-replayed')).toBeNull();
    const second = await postCreate(setup, createInput(setup), { 'idempotency-key': 'rent-2027-01' });
    expect(second.response.headers.get('idempotent-replayed')).toBe('true');
    expect(second.payment!.id).toBe(first.payment!.id);
    // The replay is the stored first answer (PENDING), whatever happened since.
    expect(second.payment!.status).toBe('PENDING');
    await waitForStatus(setup.renterApi, first.payment!.id, ['COMPLETED']);
    expect(await db.event.count({ where: { aggregateId: first.payment!.id, type: 'payment.created' } })).toBe(1);
    expect(await settleRuns(first.payment!.id)).toHaveLength(1);
  });

  it('accepts the key as a field too; the same key with other parameters is CONFLICT', async () => {
    const setup = await payingRenter();
    const payment = await setup.renterApi.payment.create.mutate({ ...createInput(setup), idempotencyKey: 'field-key' } as never);
    const error = await errorOf(setup.renterApi.payment.create.mutate({ ...createInput(setup, 'WIRE'), idempotencyKey: 'field-key' } as never));
    expect(error.data?.code).toBe('CONFLICT');
    expect(error.message).toMatch(/already used with different parameters/);
    expect(await db.payment.count({ where: { renterId: setup.renter.id } })).toBe(1);
    expect(payment.status).toBe('PENDING');
  });

  it('refuses a header and a field that differ, and a key over 255 characters, storing nothing', async () => {
    const setup = await payingRenter();
    const differ = await postCreate(setup, { ...createInput(setup), idempotencyKey: 'a' }, { 'idempotency-key': 'b' });
    expect(differ.response.status).toBe(400);
    expect(differ.body.error.json.message).toMatch(/differ/);
    const long = await postCreate(setup, createInput(setup), { 'idempotency-key': 'k'.repeat(256) });
    expect(long.response.status).toBe(400);
    expect(await db.idempotencyRecord.count({ where: { userId: setup.renter.id } })).toBe(0);
    expect(await db.payment.count({ where: { renterId: setup.renter.id } })).toBe(0);
  });

  it('a request that fails validation stores nothing, so the key stays usable', async () => {
    const setup = await payingRenter();
    const bad = await postCreate(setup, { ...createInput(setup), rail: 'CARRIER_PIGEON' }, { 'idempotency-key': 'k-valid-later' });
    expect(bad.response.status).toBe(400);
    expect(await db.idempotencyRecord.count({ where: { userId: setup.renter.id } })).toBe(0);
    const good = await postCreate(setup, createInput(setup), { 'idempotency-key': 'k-valid-later' });
    expect(good.response.status).toBe(200);
  });

  it('100 concurrent HTTP calls with one key make exactly one payment, one event and one settlement run', async () => {
    const setup = await payingRenter();
    const answers = await Promise.all(Array.from({ length: 100 }, () => postCreate(setup, createInput(setup), { 'idempotency-key': 'one-key' })));
    expect(answers.map((a) => a.response.status)).toEqual(Array(100).fill(200));
    const ids = new Set(answers.map((a) => a.payment!.id));
    expect(ids.size).toBe(1);
    expect(answers.filter((a) => a.response.headers.get('idempotent-replayed') === 'true')).toHaveLength(99);
    const [id] = [...ids];
    expect(await db.payment.count({ where: { renterId: setup.renter.id } })).toBe(1);
    expect(await db.event.count({ where: { aggregateId: id, type: 'payment.created' } })).toBe(1);
    await waitForStatus(setup.renterApi, id!, ['COMPLETED']);
    expect(await settleRuns(id!)).toHaveLength(1);
  });

  it('50 concurrent HTTP calls with different keys for one installment make one payment; the rest answer CONFLICT', async () => {
    const setup = await payingRenter();
    const answers = await Promise.all(Array.from({ length: 50 }, (_, i) => postCreate(setup, createInput(setup), { 'idempotency-key': `k-${i}` })));
    const statuses = answers.map((a) => a.response.status).sort();
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(49);
    // The installment rule's refusal while the one payment is on its way, or once it has settled:
    // an RTP settlement is one call into the app (since 9c5750b) and can finish before the last
    // of the 49 is answered (a fresh-clone CI saw "February 2027 rent is paid").
    for (const a of answers.filter((x) => x.response.status === 409)) expect(a.body.error.json.message).toMatch(/is on its way|rent is paid/);
    expect(await db.payment.count({ where: { renterId: setup.renter.id } })).toBe(1);
  });

  it('a key older than 24 hours is a new request', async () => {
    const setup = await payingRenter({ terms: { termMonths: 2 } });
    const first = await postCreate(setup, createInput(setup), { 'idempotency-key': 'old-key' });
    await waitForStatus(setup.renterApi, first.payment!.id, ['COMPLETED']);
    await db.idempotencyRecord.updateMany({ where: { userId: setup.renter.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const next = await postCreate(setup, { ...createInput(setup), installmentId: setup.lease.installments[1]!.id }, { 'idempotency-key': 'old-key' });
    expect(next.response.status).toBe(200);
    expect(next.response.headers.get('idempotent-replayed')).toBeNull();
    expect(next.payment!.id).not.toBe(first.payment!.id);
  });
});

describe('who may do what', () => {
  it('answers each caller as the rules say, for every payment procedure', async () => {
    const setup = await payingRenter();
    // PENDING throughout: no settlement is asked for (cancel comes last and must find it PENDING).
    const payment = await paymentWithoutSettlement(setup, { rail: 'STANDARD_ACH' });
    const otherRenter = await apiAs(await createUser('RENTER'));
    const otherLandlord = await apiAs(await createUser('LANDLORD'));
    const anonymous = await apiAs(null);
    const callers = { anonymous, renter: setup.renterApi, landlord: setup.landlordApi, otherLandlord, otherRenter };
    const procedures: Record<string, (api: PayingRenter['renterApi']) => Promise<unknown>> = {
      byId: (api) => api.payment.byId.query({ id: payment.id }),
      history: (api) => api.payment.history.query({ id: payment.id }),
      list: (api) => api.payment.list.query({ leaseId: setup.lease.id }).then((page) => (page.items.length ? page : Promise.reject(new Error('empty')))),
      create: (api) => api.payment.create.mutate({ ...createInput(setup), installmentId: setup.lease.installments[1]!.id }),
      retry: (api) => api.payment.retry.mutate({ id: payment.id }),
    };
    const expected: Record<string, Record<keyof typeof callers, string>> = {
      byId: { anonymous: 'UNAUTHORIZED', renter: 'OK', landlord: 'OK', otherLandlord: 'NOT_FOUND', otherRenter: 'NOT_FOUND' },
      history: { anonymous: 'UNAUTHORIZED', renter: 'OK', landlord: 'OK', otherLandlord: 'NOT_FOUND', otherRenter: 'NOT_FOUND' },
      list: { anonymous: 'UNAUTHORIZED', renter: 'OK', landlord: 'OK', otherLandlord: 'EMPTY', otherRenter: 'EMPTY' },
      create: { anonymous: 'UNAUTHORIZED', renter: 'OK', landlord: 'FORBIDDEN', otherLandlord: 'FORBIDDEN', otherRenter: 'NOT_FOUND' },
      retry: { anonymous: 'UNAUTHORIZED', renter: 'CONFLICT', landlord: 'FORBIDDEN', otherLandlord: 'FORBIDDEN', otherRenter: 'NOT_FOUND' },
    };
    for (const [name, call] of Object.entries(procedures)) {
      for (const [who, api] of Object.entries(callers)) {
        const code = await codeOf(call(api)).catch((error: Error) => (error.message === 'empty' ? 'EMPTY' : 'THREW'));
        expect(`${name} as ${who}: ${code}`).toBe(`${name} as ${who}: ${expected[name]![who as keyof typeof callers]}`);
      }
    }
    // Cancel last: it changes the payment.
    expect(await codeOf(otherRenter.payment.cancel.mutate({ id: payment.id }))).toBe('NOT_FOUND');
    expect(await codeOf(setup.landlordApi.payment.cancel.mutate({ id: payment.id }))).toBe('FORBIDDEN');
    expect(await codeOf(anonymous.payment.cancel.mutate({ id: payment.id }))).toBe('UNAUTHORIZED');
    expect(await codeOf(setup.renterApi.payment.cancel.mutate({ id: payment.id }))).toBe('OK');
  });

  it('rejects malformed input with BAD_REQUEST and field errors, writing nothing', async () => {
    const setup = await payingRenter();
    const bad: Record<string, unknown>[] = [
      { ...createInput(setup), installmentId: 'not-a-uuid' },
      { ...createInput(setup), rail: 'ACH' },
      { ...createInput(setup), amountCents: 100 },
      { installmentId: setup.lease.installments[0]!.id, rail: 'RTP' },
      { ...createInput(setup), idempotencyKey: '' },
      { ...createInput(setup), idempotencyKey: 'x'.repeat(256) },
    ];
    for (const input of bad) {
      const error = await errorOf(setup.renterApi.payment.create.mutate(input as never));
      expect(error.data?.code).toBe('BAD_REQUEST');
    }
    expect(await codeOf(setup.renterApi.payment.list.query({ status: 'LOST' } as never))).toBe('BAD_REQUEST');
    expect(await codeOf(setup.renterApi.payment.list.query({ limit: 1000 }))).toBe('BAD_REQUEST');
    expect(await codeOf(setup.renterApi.payment.history.query({ id: setup.lease.id, asOf: 'yesterday' } as never))).toBe('BAD_REQUEST');
    expect(await db.payment.count({ where: { renterId: setup.renter.id } })).toBe(0);
  });
});
