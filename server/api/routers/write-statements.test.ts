// The write paths' statement budget (issue 13): how many statements, each one round trip to
// PostgreSQL, the business transaction of payment.create and of a 12-installment lease.create
// sends, counted at node-postgres for one real call through the tRPC route. The request
// pipeline's own statements (session, rate limit) run before the transaction and are not
// counted here. A change that adds a statement to these transactions fails this test: fold it
// into one that is already there, or raise the budget with the reason (BENCHMARKS.md lists them).
import { randomUUID } from 'node:crypto';
import superjson from 'superjson';
import { beforeAll, describe, expect, it } from 'vitest';
import { db } from '@/server/db';
import { createPayment } from '@/server/domain/payments';
import { settlePayment, submitPayment } from '@/server/domain/settlement';
import { routeFetch, sessionCookie } from '@/server/testing/api';
import { payingRenter, type PayingRenter } from '@/server/testing/payments';
import { recordStatements } from '@/server/testing/statements';

/** BEGIN … COMMIT inclusive: the statements of payment.create's transaction (BENCHMARKS.md "Statements per request"). */
const PAYMENT_CREATE_BUDGET = 11;
/** The same for lease.create with 12 installments. */
const LEASE_CREATE_BUDGET = 11;
/** The settlement's transaction (record-settlement: RTP, COMPLETED, a landlord without webhooks), BEGIN … COMMIT inclusive. */
const SETTLEMENT_BUDGET = 16;

/** The statements from the first BEGIN to its COMMIT while `call` runs (the call must answer 200). */
async function transactionOf(call: () => Promise<Response>): Promise<string[]> {
  const { result: response, statements } = await recordStatements(call);
  expect(response.status, await response.clone().text()).toBe(200);
  const begin = statements.indexOf('BEGIN');
  const commit = statements.indexOf('COMMIT', begin);
  expect(begin).toBeGreaterThanOrEqual(0);
  expect(commit).toBeGreaterThan(begin);
  return statements.slice(begin, commit + 1);
}

const post = (procedure: string, cookie: string, input: unknown, headers: Record<string, string> = {}) =>
  routeFetch(`http://localhost:3000/api/trpc/${procedure}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie, ...headers },
    body: JSON.stringify(superjson.serialize(input)),
  });

describe('statements per write', () => {
  let setup: PayingRenter;
  beforeAll(async () => {
    setup = await payingRenter();
  });

  it(`payment.create (STANDARD_ACH, a fresh key) runs its transaction in at most ${PAYMENT_CREATE_BUDGET} statements`, async () => {
    const cookie = await sessionCookie(setup.renter);
    // The second installment too: a renter's later payment costs the same.
    for (const installment of setup.lease.installments.slice(0, 2)) {
      const transaction = await transactionOf(() =>
        post('payment.create', cookie, { installmentId: installment.id, fromAccountId: setup.from.id, rail: 'STANDARD_ACH' }, { 'idempotency-key': randomUUID() }),
      );
      expect(transaction.length, transaction.join('\n')).toBeLessThanOrEqual(PAYMENT_CREATE_BUDGET);
      // The payment, its event and its ledger posting were written by it.
      expect(await db.payment.count({ where: { installmentId: installment.id } })).toBe(1);
    }
  });

  it(`lease.create (12 installments) runs its transaction in at most ${LEASE_CREATE_BUDGET} statements`, async () => {
    const cookie = await sessionCookie(setup.landlord);
    const transaction = await transactionOf(() =>
      post('lease.create', cookie, {
        propertyId: setup.lease.property.id,
        payoutAccountId: setup.lease.payoutAccount.id,
        renterEmail: `invitee-${randomUUID()}@example.com`,
        monthlyRentCents: 120_000,
        startDate: '2027-03-01',
        termMonths: 12,
        dueDay: 1,
        confirmOverlap: true,
      }),
    );
    expect(transaction.length, transaction.join('\n')).toBeLessThanOrEqual(LEASE_CREATE_BUDGET);
  });

  it(`settling an RTP payment (COMPLETED, the lease's last installment not yet) takes at most ${SETTLEMENT_BUDGET} statements`, async () => {
    const paying = await payingRenter();
    const { result } = await createPayment(db, { id: paying.renter.id, role: 'RENTER' }, { installmentId: paying.lease.installments[0]!.id, fromAccountId: paying.from.id, rail: 'RTP' }, null);
    await db.$transaction((tx) => submitPayment(tx, result.id));
    const { result: settled, statements } = await recordStatements(() => db.$transaction((tx) => settlePayment(tx, result.id, { ok: true })));
    expect(settled).toMatchObject({ settled: true, status: 'COMPLETED' });
    expect(statements.length, statements.join('\n')).toBeLessThanOrEqual(SETTLEMENT_BUDGET);
  });
});
