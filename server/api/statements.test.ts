// Statements per request for the portal's reads (issue 13): every statement the app sends to
// PostgreSQL while one call runs through the real tRPC route, counted by wrapping pg's
// Client#query. Each is a round trip; a change that adds one to a read shows here.
import { beforeAll, describe, expect, it } from 'vitest';
import { statementNames } from '@/server/db';
import { payingRenter, type PayingRenter } from '@/server/testing/payments';
import { recordStatements } from '@/server/testing/statements';

async function statementsOf(call: () => Promise<unknown>): Promise<string[]> {
  await call(); // warm: the first call may load modules or open connections
  return (await recordStatements(call)).statements;
}

describe('statements per read request', () => {
  let paying: PayingRenter;
  let paymentId: string;
  beforeAll(async () => {
    paying = await payingRenter();
    const installment = paying.lease.installments.find((one) => one.canPay)!;
    const payment = await paying.renterApi.payment.create.mutate({ installmentId: installment.id, fromAccountId: paying.from.id, rail: 'STANDARD_ACH' });
    paymentId = payment.id;
  });

  it('the session check is the only read of the user: me.get 1, payment.byId 2, lease.byId 2, payment.list 2, payment.history 3', async () => {
    const api = paying.renterApi;
    const session = /FROM "Session" s JOIN "User" u/;
    const me = await statementsOf(() => api.me.get.query());
    expect(me).toHaveLength(1);
    expect(me[0]).toMatch(session);
    const counts = {
      'payment.byId': (await statementsOf(() => api.payment.byId.query({ id: paymentId }))).length,
      'lease.byId': (await statementsOf(() => api.lease.byId.query({ id: paying.lease.id }))).length,
      'payment.list': (await statementsOf(() => api.payment.list.query({}))).length,
    };
    // Session, then one statement each: the payment (with its installment's latest payment for
    // the rule), the lease with installments, their payments and late fees, the page of payments.
    expect(counts).toEqual({ 'payment.byId': 2, 'lease.byId': 2, 'payment.list': 2 });
    // Session, the payment's id in the caller's scope, its events: no BEGIN/COMMIT around reads.
    const history = await statementsOf(() => api.payment.history.query({ id: paymentId }));
    expect(history.map((text) => text.trim().split(/\s+/)[0])).toEqual(['SELECT', 'SELECT', 'SELECT']);
  });

  it('every statement of a read is a prepared statement, the same name for the same text on every call', async () => {
    const api = paying.renterApi;
    const read = () => api.payment.byId.query({ id: paymentId });
    await read();
    const first = await recordStatements(read);
    const second = await recordStatements(read);
    expect(first.names.every((name) => /^dp\d+$/.test(name))).toBe(true);
    expect(second.names).toEqual(first.names);
    expect(second.statements).toEqual(first.statements);
  });
});

describe('statementNames', () => {
  it('gives one name per text and, past its bound, leaves new texts unnamed', () => {
    const name = statementNames(2);
    expect(name({ sql: 'SELECT 1' })).toBe('dp1');
    expect(name({ sql: 'SELECT 2' })).toBe('dp2');
    expect(name({ sql: 'SELECT 1' })).toBe('dp1');
    expect(name({ sql: 'SELECT 3' })).toBe('');
    expect(name({ sql: 'SELECT 2' })).toBe('dp2');
  });
});
