// Attack probes on today's rate-limit change (limits count only after the input validates, the
// Idempotency-Key header is read before the limit), through the real route handlers. All HELD:
// each test records an attempt to get around a limit, or to burn someone else's, that failed.
import { randomUUID } from 'node:crypto';
import superjson from 'superjson';
import { beforeAll, describe, expect, it } from 'vitest';
import { db } from '@/server/db';
import { LIMITS, type Limit } from '@/server/domain/rate-limit';
import { apiAs, createUser, routeFetch, type TestUser } from '@/server/testing/api';
import { payingRenter, type PayingRenter } from '@/server/testing/payments';
import { POST as restPost } from '@/app/api/v1/[...path]/route';

const BASE = 'http://localhost:3000';
const serialized = (input: unknown) => JSON.stringify(superjson.serialize(input));
const rowOf = (limit: Limit) => db.rateLimit.findUnique({ where: { key: limit.key }, select: { count: true, resetAt: true } });

async function counted(limit: Limit, count: number) {
  const resetAt = new Date(Date.now() + 45_000);
  await db.rateLimit.upsert({ where: { key: limit.key }, create: { key: limit.key, count, resetAt }, update: { count, resetAt } });
}

async function trpcPost(path: string, body: string, headers: Record<string, string>) {
  const response = await routeFetch(`${BASE}/api/trpc/${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  return { status: response.status, body: await response.text() };
}

let setup: PayingRenter;
let readToken: string;
let writeToken: string;
let expiredToken: string;
let victim: TestUser;
beforeAll(async () => {
  setup = await payingRenter();
  ({ token: readToken } = await setup.renterApi.apiToken.create.mutate({ name: 'reader' }));
  ({ token: writeToken } = await setup.renterApi.apiToken.create.mutate({ name: 'writer', scope: 'WRITE' }));
  const expired = await setup.renterApi.apiToken.create.mutate({ name: 'old', scope: 'WRITE', expiresInDays: 1 });
  expiredToken = expired.token;
  await db.apiToken.update({ where: { id: expired.id }, data: { createdAt: new Date(Date.now() - 2 * 86_400_000), expiresAt: new Date(Date.now() - 1) } });
  victim = await createUser('RENTER');
});

describe('HELD: refused callers count nothing', () => {
  it('a READ token, an expired token and a WRITE token on a session-only procedure use none of the allowance, on either door', async () => {
    const payments = LIMITS.paymentMutationsPerUser(setup.renter.id);
    const tokens = LIMITS.apiTokenMutationsPerUser(setup.renter.id);
    const records = LIMITS.recordChangesPerUser(setup.renter.id);
    await db.rateLimit.deleteMany({ where: { key: { in: [payments.key, tokens.key, records.key] } } });
    const pay = { installmentId: setup.lease.installments[0]!.id, fromAccountId: setup.from.id, rail: 'RTP' };
    for (let i = 0; i < 5; i++) {
      expect((await trpcPost('payment.create', serialized(pay), { authorization: `Bearer ${readToken}`, 'idempotency-key': `k-${i}` })).status).toBe(403);
      expect((await trpcPost('me.updateName', serialized({ name: 'Someone' }), { authorization: `Bearer ${readToken}` })).status).toBe(403);
      expect((await trpcPost('payment.create', serialized(pay), { authorization: `Bearer ${expiredToken}` })).status).toBe(401);
      expect((await trpcPost('apiToken.create', serialized({ name: 'x' }), { authorization: `Bearer ${writeToken}` })).status).toBe(403);
      const viaRest = await restPost(new Request(`${BASE}/api/v1/payments`, { method: 'POST', headers: { authorization: `Bearer ${readToken}`, 'content-type': 'application/json' }, body: JSON.stringify(pay) }));
      expect(viaRest.status).toBe(403);
    }
    expect(await rowOf(payments)).toBeNull();
    expect(await rowOf(tokens)).toBeNull();
    expect(await rowOf(records)).toBeNull();
    expect(await db.payment.count({ where: { renterId: setup.renter.id } })).toBe(0);
  });
});

describe('HELD: no way past a limit', () => {
  it('alternating malformed and well-formed calls: only the well-formed count, and the limit still stops them at max', async () => {
    const limit = LIMITS.paymentMutationsPerUser(setup.renter.id);
    await counted(limit, limit.max - 3);
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      expect((await trpcPost('payment.cancel', serialized({ id: 'not-a-uuid' }), { authorization: `Bearer ${writeToken}` })).status).toBe(400);
      statuses.push((await trpcPost('payment.cancel', serialized({ id: randomUUID() }), { authorization: `Bearer ${writeToken}` })).status);
    }
    expect(statuses).toEqual([404, 404, 404, 429, 429, 429]);
    await db.rateLimit.delete({ where: { key: limit.key } });
  });

  it('an idempotent replay is counted like any call: a replayed key does not slip past a used-up limit', async () => {
    const limit = LIMITS.paymentMutationsPerUser(setup.renter.id);
    await db.rateLimit.deleteMany({ where: { key: limit.key } });
    const pay = { installmentId: setup.lease.installments[1]!.id, fromAccountId: setup.from.id, rail: 'STANDARD_ACH' };
    const first = await trpcPost('payment.create', serialized(pay), { authorization: `Bearer ${writeToken}`, 'idempotency-key': 'attack-replay-1' });
    expect(first.status, first.body).toBe(200);
    await counted(limit, limit.max);
    const replay = await trpcPost('payment.create', serialized(pay), { authorization: `Bearer ${writeToken}`, 'idempotency-key': 'attack-replay-1' });
    expect(replay.status).toBe(429);
    // A differently-cased or padded key is another (refused or counted) key, never a free replay.
    expect((await trpcPost('payment.create', serialized(pay), { authorization: `Bearer ${writeToken}`, 'idempotency-key': ' attack-replay-1' })).status).toBe(429);
    expect(await db.payment.count({ where: { renterId: setup.renter.id } })).toBe(1);
    await db.rateLimit.delete({ where: { key: limit.key } });
  });

  it('a burst of concurrent well-formed calls at max-1 lets exactly one through', async () => {
    const limit = LIMITS.recordChangesPerUser(setup.renter.id);
    await counted(limit, limit.max - 1);
    const answers = await Promise.all(
      Array.from({ length: 8 }, (_, i) => trpcPost('me.updateName', serialized({ name: `Burst ${i}` }), { authorization: `Bearer ${writeToken}` })),
    );
    expect(answers.filter((answer) => answer.status === 200)).toHaveLength(1);
    expect(answers.filter((answer) => answer.status === 429)).toHaveLength(7);
    await db.rateLimit.delete({ where: { key: limit.key } });
  });

  it('one batch of ten calls counts ten, not one', async () => {
    const limit = LIMITS.recordChangesPerUser(setup.renter.id);
    await counted(limit, limit.max - 2);
    const paths = Array.from({ length: 10 }, () => 'me.updateName').join(',');
    const inputs = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [i, superjson.serialize({ name: `Batch ${i}` })]));
    const answer = await trpcPost(`${paths}?batch=1`, JSON.stringify(inputs), { authorization: `Bearer ${writeToken}` });
    const results = JSON.parse(answer.body) as { error?: { json: { data: { code: string } } } }[];
    expect(results.filter((result) => !result.error)).toHaveLength(2);
    expect(results.filter((result) => result.error?.json.data.code === 'TOO_MANY_REQUESTS')).toHaveLength(8);
    await db.rateLimit.delete({ where: { key: limit.key } });
  });
});

describe('HELD: nobody burns another user’s allowance', () => {
  it('calls naming another user’s records count against the caller only', async () => {
    const victimPayments = LIMITS.paymentMutationsPerUser(victim.id);
    const victimRecords = LIMITS.recordChangesPerUser(victim.id);
    await db.rateLimit.deleteMany({ where: { key: { in: [victimPayments.key, victimRecords.key] } } });
    const victimApi = await apiAs(victim);
    const victimAccount = await victimApi.bankAccount.create.mutate({ nickname: 'Mine', bankName: 'Bank', type: 'CHECKING', routingNumber: '021000021', accountNumber: '123456789012' });
    for (let i = 0; i < 5; i++) {
      await trpcPost('payment.create', serialized({ installmentId: setup.lease.installments[2]!.id, fromAccountId: victimAccount.id, rail: 'RTP' }), { authorization: `Bearer ${writeToken}` });
      await trpcPost('payment.cancel', serialized({ id: randomUUID() }), { authorization: `Bearer ${writeToken}`, 'x-user-id': victim.id });
    }
    expect(await rowOf(victimPayments)).toBeNull();
    expect(await rowOf(victimRecords)).toBeNull();
    await db.rateLimit.deleteMany({ where: { key: LIMITS.paymentMutationsPerUser(setup.renter.id).key } });
  });
});
