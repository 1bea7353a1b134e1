// Early payoff through the real tRPC HTTP route (lease.payoffQuote, payment.payoff), settled by
// the real settlement function on the local Inngest engine: the quote and the payment agree to
// the cent, the key makes it idempotent, only the lease's renter may ask or pay, and bad input
// is a 400 that writes nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db } from '@/server/db';
import { apiAs, codeOf, createUser, errorOf } from '@/server/testing/api';
import { offerLease } from '@/server/testing/leasing';
import { payingRenter, type PayingRenter } from '@/server/testing/payments';
import { startInngestForTests, type InngestTestHarness } from '@/inngest/engine/testing';
import { inngest } from '@/inngest/client';
import { functions } from '@/inngest/functions';

let inngestTest: InngestTestHarness;
beforeAll(async () => {
  inngestTest = await startInngestForTests({ client: inngest, functions });
});
afterAll(() => inngestTest.stop());

/** Three installments of $1,000.01: 2 % of $3,000.03 rounds down to $60.00. */
const ODD_CENTS = { monthlyRentCents: 100_001, termMonths: 3 };

async function waitForLease(api: PayingRenter['renterApi'], id: string, status: string) {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const lease = await api.lease.byId.query({ id });
    if (lease.status === status) return lease;
    if (Date.now() > deadline) throw new Error(`lease ${id} still ${lease.status}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('early payoff over HTTP', () => {
  it('names each installment of the quote as the lease and the payment do, the prorated one apart (found by a tester: the quote had no label)', async () => {
    const setup = await payingRenter({ terms: { startDate: '2027-01-15', dueDay: 1, termMonths: 2, prorateFirstMonth: true } });
    const quote = await setup.renterApi.lease.payoffQuote.query({ leaseId: setup.lease.id });
    expect(quote.installments.map((i) => [i.dueDate, i.label])).toEqual([
      ['2027-01-15', 'January 2027 rent (prorated)'],
      ['2027-02-01', 'February 2027 rent'],
      ['2027-03-01', 'March 2027 rent'],
    ]);
    expect(quote.installments.map((i) => i.label)).toEqual(setup.lease.installments.map((i) => i.label));
  });

  it('quotes, pays exactly the quote over RTP (idempotently), and the lease is COMPLETED once it settles', async () => {
    const setup = await payingRenter({ terms: ODD_CENTS });
    const quote = await setup.renterApi.lease.payoffQuote.query({ leaseId: setup.lease.id });
    expect(quote).toMatchObject({ remainingCents: 300_003, discountCents: 6_000, lateFeesCents: 0, amountCents: 294_003, payable: true });

    const keyed = await apiAs(setup.renter, { 'Idempotency-Key': 'payoff-http-1' });
    const input = { leaseId: setup.lease.id, fromAccountId: setup.from.id, rail: 'RTP' as const };
    const payment = await keyed.payment.payoff.mutate(input);
    expect(payment).toMatchObject({ kind: 'PAYOFF', amountCents: quote.amountCents, discountCents: quote.discountCents });
    expect(payment.totalCents).toBe(quote.amountCents + payment.feeCents);
    const again = await keyed.payment.payoff.mutate(input);
    expect(again.id).toBe(payment.id);

    const lease = await waitForLease(setup.renterApi, setup.lease.id, 'COMPLETED');
    expect(lease.installments.map((i) => i.status)).toEqual(['PAID', 'PAID', 'PAID']);
    expect(await db.payment.count({ where: { leaseId: setup.lease.id } })).toBe(1);
    // The landlord sees the payoff among the lease's payments, like any other.
    const landlordView = await setup.landlordApi.payment.list.query({ leaseId: setup.lease.id });
    expect(landlordView.items.map((p) => [p.id, p.kind, p.status])).toEqual([[payment.id, 'PAYOFF', 'COMPLETED']]);
    const ledger = await setup.renterApi.ledger.tenant.query({ leaseId: setup.lease.id });
    expect(ledger.lines.filter((line) => line.kind === 'PAYOFF_DISCOUNT').reduce((sum, line) => sum + line.amountCents, 0)).toBe(-6_000);
    // Completed: nothing to quote any more.
    expect(await codeOf(setup.renterApi.lease.payoffQuote.query({ leaseId: setup.lease.id }))).toBe('CONFLICT');
  });

  it('answers only the lease renter: the landlord is FORBIDDEN (renters only), another renter NOT_FOUND, anonymous UNAUTHORIZED', async () => {
    const setup = await payingRenter({ terms: ODD_CENTS });
    const callers = {
      anonymous: await apiAs(null),
      landlord: setup.landlordApi,
      otherLandlord: await apiAs(await createUser('LANDLORD')),
      otherRenter: await apiAs(await createUser('RENTER')),
    };
    const expected = { anonymous: 'UNAUTHORIZED', landlord: 'FORBIDDEN', otherLandlord: 'FORBIDDEN', otherRenter: 'NOT_FOUND' };
    for (const [who, api] of Object.entries(callers)) {
      const want = expected[who as keyof typeof expected];
      expect(`quote as ${who}: ${await codeOf(api.lease.payoffQuote.query({ leaseId: setup.lease.id }))}`).toBe(`quote as ${who}: ${want}`);
      expect(`payoff as ${who}: ${await codeOf(api.payment.payoff.mutate({ leaseId: setup.lease.id, fromAccountId: setup.from.id, rail: 'RTP' }))}`).toBe(`payoff as ${who}: ${want}`);
    }
    expect(await db.payment.count({ where: { leaseId: setup.lease.id } })).toBe(0);
  });

  it('refuses malformed input with BAD_REQUEST and field errors, writing nothing; a refused rule is a clear 409', async () => {
    const setup = await payingRenter({ terms: ODD_CENTS });
    const good = { leaseId: setup.lease.id, fromAccountId: setup.from.id, rail: 'RTP' as const };
    const bad: [Record<string, unknown>, string][] = [
      [{ ...good, leaseId: 'not-a-uuid' }, 'leaseId'],
      [{ ...good, rail: 'ACH' }, 'rail'],
      [{ ...good, fromAccountId: undefined }, 'fromAccountId'],
      [{ ...good, idempotencyKey: 'has space' }, 'idempotencyKey'],
    ];
    for (const [input, field] of bad) {
      const error = await errorOf(setup.renterApi.payment.payoff.mutate(input as never));
      expect(error.data?.code).toBe('BAD_REQUEST');
      expect(Object.keys((error.data as { fieldErrors?: Record<string, unknown> }).fieldErrors ?? {})).toContain(field);
    }
    expect((await errorOf(setup.renterApi.payment.payoff.mutate({ ...good, amountCents: 1 } as never))).data?.code).toBe('BAD_REQUEST');
    expect((await errorOf(setup.renterApi.lease.payoffQuote.query({ leaseId: 'nope' }))).data?.code).toBe('BAD_REQUEST');
    expect(await db.payment.count({ where: { leaseId: setup.lease.id } })).toBe(0);
    expect(await db.idempotencyRecord.count({ where: { userId: setup.renter.id } })).toBe(0);

    // An installment payment in flight: the payoff is refused with its reason.
    await setup.renterApi.payment.create.mutate({ installmentId: setup.lease.installments[0]!.id, fromAccountId: setup.from.id, rail: 'STANDARD_ACH' });
    const refused = await errorOf(setup.renterApi.payment.payoff.mutate(good));
    expect(refused.data?.code).toBe('CONFLICT');
    expect(refused.data?.httpStatus).toBe(409);
    expect(refused.message).toMatch(/in progress/);
  });

  it('a payoff larger than any one payment can carry is quoted not payable and refused with a 409 on every rail (a WIRE payoff answered 500)', async () => {
    // $1,000,000 a month for 60 months: $58,800,000 after the 2 % discount.
    const setup = await payingRenter({ terms: { monthlyRentCents: 100_000_000, termMonths: 60 } });
    const quote = await setup.renterApi.lease.payoffQuote.query({ leaseId: setup.lease.id });
    expect(quote).toMatchObject({ amountCents: 5_880_000_000, payable: false, reason: expect.stringMatching(/^\$58,800,000\.00 is over every rail's limit \(at most \$20,000,000\.00 in one payment\)/) });
    for (const rail of ['WIRE', 'RTP', 'STANDARD_ACH'] as const) {
      const refused = await errorOf(setup.renterApi.payment.payoff.mutate({ leaseId: setup.lease.id, fromAccountId: setup.from.id, rail }));
      expect(refused.data?.httpStatus, rail).toBe(409);
      expect(refused.message).toBe(quote.reason);
    }
    expect(await db.payment.count({ where: { leaseId: setup.lease.id } })).toBe(0);
    // The largest rail limit fits the column with the largest fee on top.
    const rails = await setup.renterApi.payment.rails.query();
    for (const rail of rails) expect(rail.limitCents + rail.feeCents).toBeLessThanOrEqual(2 ** 31 - 1);
  });

  it('takes the payoff discount as a lease term: 2 % by default, 0–10,000 bp, anything else a 400 on that field', async () => {
    const landlordApi = await apiAs(await createUser('LANDLORD'));
    const renter = await createUser('RENTER');
    const { lease: standard } = await offerLease(landlordApi, renter.email);
    expect(standard.payoffDiscountBasisPoints).toBe(200);
    const { lease: none } = await offerLease(landlordApi, renter.email, { payoffDiscountBasisPoints: 0 });
    expect(none.payoffDiscountBasisPoints).toBe(0);
    for (const bad of [10_001, -1, 2.5, '200']) {
      const error = await errorOf(offerLease(landlordApi, renter.email, { payoffDiscountBasisPoints: bad as never }));
      expect(error.data?.code).toBe('BAD_REQUEST');
      expect(Object.keys((error.data as { fieldErrors?: Record<string, unknown> }).fieldErrors ?? {})).toEqual(['payoffDiscountBasisPoints']);
    }
    const history = await landlordApi.lease.history.query({ id: none.id });
    expect(history.events[0]!.data).toMatchObject({ payoffDiscountBasisPoints: 0 });
  });
});
