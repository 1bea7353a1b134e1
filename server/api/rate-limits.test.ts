// Rate limits count well-formed calls only. Every rate-limited procedure reads its input before
// its limit counts (checked on the router itself), so malformed input answers 400 and leaves the
// RateLimit row as it was, through the real routes (/api/trpc, /api/v1, /api/export), while a
// well-formed call counts whether the domain then does it or refuses it.
import { randomUUID } from 'node:crypto';
import superjson from 'superjson';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { appRouter } from '@/server/api/root';
import { RATE_LIMIT_MIDDLEWARE } from '@/server/api/trpc';
import { db } from '@/server/db';
import { LIMITS, type Limit } from '@/server/domain/rate-limit';
import { WEBHOOK_EVENTS } from '@/server/domain/webhook-events';
import { apiAs, createUser, routeFetch, sessionCookie, type TestUser } from '@/server/testing/api';
import { leaseTerms } from '@/server/testing/leasing';
import { payingRenter } from '@/server/testing/payments';
import { POST as restPost } from '@/app/api/v1/[...path]/route';
import { GET as exportGet } from '@/app/api/export/[file]/route';

type Who = 'landlord' | 'renter';

/** Every rate-limited procedure: who may call it, its limit, and a well-formed input (most name records that do not exist: refused, yet counted). */
const LIMITED: Record<string, { as: Who; limit: (user: TestUser) => Limit; input: () => unknown }> = {
  'apiToken.create': { as: 'renter', limit: (user) => LIMITS.apiTokenMutationsPerUser(user.id), input: () => ({ name: 'a script' }) },
  'apiToken.revoke': { as: 'renter', limit: (user) => LIMITS.apiTokenMutationsPerUser(user.id), input: () => ({ id: randomUUID() }) },
  'autopay.enable': { as: 'renter', limit: (user) => LIMITS.autopayMutationsPerUser(user.id), input: () => ({ leaseId: randomUUID(), fromAccountId: randomUUID(), rail: 'STANDARD_ACH', daysBeforeDue: 2 }) },
  'autopay.disable': { as: 'renter', limit: (user) => LIMITS.autopayMutationsPerUser(user.id), input: () => ({ leaseId: randomUUID() }) },
  'autopay.skip': { as: 'renter', limit: (user) => LIMITS.autopayMutationsPerUser(user.id), input: () => ({ installmentId: randomUUID() }) },
  'payment.create': { as: 'renter', limit: (user) => LIMITS.paymentMutationsPerUser(user.id), input: () => ({ installmentId: randomUUID(), fromAccountId: randomUUID(), rail: 'RTP' }) },
  'payment.payoff': { as: 'renter', limit: (user) => LIMITS.paymentMutationsPerUser(user.id), input: () => ({ leaseId: randomUUID(), fromAccountId: randomUUID(), rail: 'RTP' }) },
  'payment.retry': { as: 'renter', limit: (user) => LIMITS.paymentMutationsPerUser(user.id), input: () => ({ id: randomUUID() }) },
  'payment.cancel': { as: 'renter', limit: (user) => LIMITS.paymentMutationsPerUser(user.id), input: () => ({ id: randomUUID() }) },
  'webhook.create': { as: 'landlord', limit: (user) => LIMITS.webhookMutationsPerUser(user.id), input: () => ({ url: 'http://127.0.0.1:9/hooks', events: [WEBHOOK_EVENTS[0]] }) },
  'webhook.update': { as: 'landlord', limit: (user) => LIMITS.webhookMutationsPerUser(user.id), input: () => ({ id: randomUUID(), enabled: true }) },
  'webhook.rotateSecret': { as: 'landlord', limit: (user) => LIMITS.webhookMutationsPerUser(user.id), input: () => ({ id: randomUUID() }) },
  'webhook.delete': { as: 'landlord', limit: (user) => LIMITS.webhookMutationsPerUser(user.id), input: () => ({ id: randomUUID() }) },
  'webhook.redeliver': { as: 'landlord', limit: (user) => LIMITS.webhookMutationsPerUser(user.id), input: () => ({ deliveryId: randomUUID() }) },
  'webhook.sendTest': { as: 'landlord', limit: (user) => LIMITS.webhookMutationsPerUser(user.id), input: () => ({ endpointId: randomUUID() }) },
  'audit.verify': { as: 'landlord', limit: (user) => LIMITS.auditReadsPerUser(user.id), input: () => ({}) },
  'lease.create': {
    as: 'landlord',
    limit: (user) => LIMITS.leaseInvitationsPerUser(user.id),
    input: () => ({ ...leaseTerms, propertyId: randomUUID(), payoutAccountId: randomUUID(), renterEmail: 'invitee@example.com' }),
  },
  'lease.decline': { as: 'renter', limit: (user) => LIMITS.recordChangesPerUser(user.id), input: () => ({ id: randomUUID(), reason: 'Found another place' }) },
  'lease.changePayout': { as: 'landlord', limit: (user) => LIMITS.recordChangesPerUser(user.id), input: () => ({ id: randomUUID(), payoutAccountId: randomUUID() }) },
  'me.updateName': { as: 'renter', limit: (user) => LIMITS.recordChangesPerUser(user.id), input: () => ({ name: 'Someone Else' }) },
};

/** The router's procedures by dotted name (flat at run time, whatever the type says), with tRPC's middleware chain. */
const procedures = appRouter._def.procedures as unknown as Record<string, { _def: { type: 'query' | 'mutation'; middlewares: { _type?: string }[] } }>;

let users: Record<Who, TestUser>;
beforeAll(async () => {
  users = { landlord: await createUser('LANDLORD'), renter: await createUser('RENTER') };
});

/** A tRPC call as raw HTTP through the route: `body` is sent as it is (already superjson's `{ json }` or anything else). */
async function trpc(path: string, body: string, as: TestUser, headers: Record<string, string> = {}) {
  const cookie = await sessionCookie(as);
  const url = `http://localhost:3000/api/trpc/${path}`;
  const response =
    procedures[path]!._def.type === 'query'
      ? await routeFetch(`${url}?input=${encodeURIComponent(body)}`, { headers: { cookie, ...headers } })
      : await routeFetch(url, { method: 'POST', headers: { cookie, 'content-type': 'application/json', ...headers }, body });
  return { status: response.status, retryAfter: response.headers.get('retry-after'), body: await response.text() };
}

const serialized = (input: unknown) => JSON.stringify(superjson.serialize(input));

/** Input that no procedure's schema accepts, as JSON bodies: not an object, an unknown field, an unsafe key. */
const malformed = (wellFormed: unknown) => [serialized(42), serialized('x'), serialized({ ...(wellFormed as object), notAField: true }), '{"json":{"constructor":{"prototype":1}}}'];

/** The limit's row, set `count` calls into a window that ends in 45 s. */
async function counted(limit: Limit, count: number) {
  const resetAt = new Date(Date.now() + 45_000);
  await db.rateLimit.upsert({ where: { key: limit.key }, create: { key: limit.key, count, resetAt }, update: { count, resetAt } });
}

const rowOf = (limit: Limit) => db.rateLimit.findUnique({ where: { key: limit.key } });

describe('every rate-limited procedure counts after its input is read', () => {
  it('on the router: an input check before the limit, nothing after it but output validation, and each one is in this file’s table', () => {
    const limited = Object.entries(procedures).filter(([, procedure]) => procedure._def.middlewares.some((middleware) => middleware._type === RATE_LIMIT_MIDDLEWARE));
    expect(limited.map(([path]) => path).sort()).toEqual(Object.keys(LIMITED).sort());
    for (const [path, procedure] of limited) {
      const types = procedure._def.middlewares.map((middleware) => middleware._type);
      const at = types.indexOf(RATE_LIMIT_MIDDLEWARE);
      expect(types.slice(0, at), path).toContain('input');
      // What follows: output validation, then the resolver (untagged, last).
      expect(types.slice(at + 1, -1).every((type) => type === 'output'), `${path}: ${types.join(', ')}`).toBe(true);
    }
  });

  it.each(Object.entries(LIMITED))('%s: malformed calls answer 400 and leave the row as it was; a well-formed one counts', async (path, { as, limit: limitFor, input }) => {
    const user = users[as];
    const limit = limitFor(user);
    await counted(limit, limit.max - 1);
    const before = await rowOf(limit);
    for (const body of malformed(input())) {
      const answer = await trpc(path, body, user);
      expect(answer.status, `${path} ${body}: ${answer.body}`).toBe(400);
      expect(answer.body).not.toMatch(/prisma|node_modules|\.ts:\d+/i);
    }
    expect(await rowOf(limit)).toEqual(before);

    // Well-formed: done or refused by the domain (404 for a record that does not exist), it counts.
    const allowed = await trpc(path, serialized(input()), user);
    expect(allowed.status, allowed.body).not.toBe(429);
    expect((await rowOf(limit))?.count).toBe(limit.max);
    const refused = await trpc(path, serialized(input()), user);
    expect(refused.status).toBe(429);
    expect(Number(refused.retryAfter)).toBeGreaterThan(0);
    // Malformed input over the limit is still a 400: the limit is not even consulted.
    expect((await trpc(path, malformed(input())[0]!, user)).status).toBe(400);
    await db.rateLimit.delete({ where: { key: limit.key } });
  });

  it('a malformed Idempotency-Key header, or one that contradicts the field, is bad input: 400, not counted', async () => {
    const limit = LIMITS.paymentMutationsPerUser(users.renter.id);
    await counted(limit, limit.max - 1);
    const before = await rowOf(limit);
    const input = LIMITED['payment.create']!.input() as Record<string, unknown>;
    for (const [headers, body] of [
      [{ 'idempotency-key': 'has a space' }, input],
      [{ 'idempotency-key': 'x'.repeat(256) }, input],
      [{ 'idempotency-key': 'rent-1' }, { ...input, idempotencyKey: 'rent-2' }],
    ] as const) {
      const answer = await trpc('payment.create', serialized(body), users.renter, headers);
      expect(answer.status, answer.body).toBe(400);
      expect(answer.body).toContain('idempotencyKey');
    }
    expect(await rowOf(limit)).toEqual(before);
    expect((await trpc('payment.create', serialized(input), users.renter, { 'idempotency-key': 'rent-1' })).status).toBe(404);
    expect((await rowOf(limit))?.count).toBe(limit.max);
    await db.rateLimit.delete({ where: { key: limit.key } });
  });

  it('/api/v1: the same, as plain JSON with an API token', async () => {
    const { token } = await (await apiAs(users.renter)).apiToken.create.mutate({ name: 'rate limit test', scope: 'WRITE' });
    const limit = LIMITS.paymentMutationsPerUser(users.renter.id);
    await counted(limit, limit.max - 1);
    const before = await rowOf(limit);
    const post = (path: string, body: unknown) =>
      restPost(new Request(`http://localhost:3000/api/v1${path}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) }));
    const wellFormed = LIMITED['payment.create']!.input() as Record<string, unknown>;
    for (const [path, body] of [
      ['/payments', { ...wellFormed, rail: 'CARRIER_PIGEON' }],
      ['/payments', { ...wellFormed, extra: 1 }],
      ['/payments/not-a-uuid/cancel', {}],
      [`/payments/${randomUUID()}/retry`, { rail: 'CARRIER_PIGEON' }],
    ] as const) {
      const answer = await post(path, body);
      expect(answer.status, path).toBe(400);
      expect(await answer.json()).toMatchObject({ code: 'BAD_REQUEST' });
    }
    expect(await rowOf(limit)).toEqual(before);
    expect((await post(`/payments/${randomUUID()}/cancel`, {})).status).toBe(404);
    expect((await rowOf(limit))?.count).toBe(limit.max);
    expect((await post('/payments', wellFormed)).status).toBe(429);
    await db.rateLimit.delete({ where: { key: limit.key } });
  });

  it('/api/export: a malformed query string answers 400 without counting, nor does HEAD (which reads no row and answers GET\'s 429); a well-formed GET counts', async () => {
    const user = users.landlord;
    const limit = LIMITS.auditReadsPerUser(user.id);
    await counted(limit, limit.max - 1);
    const before = await rowOf(limit);
    const cookie = await sessionCookie(user);
    const get = (file: string, query: string) => exportGet(new Request(`http://localhost:3000/api/export/${file}?${query}`, { headers: { cookie } }), { params: Promise.resolve({ file }) });
    for (const [file, query] of [['events.csv', 'from=yesterday'], ['events.jsonl', 'aggregateType=Nothing'], ['ledger.csv', 'leaseId=not-a-uuid'], ['events.csv', 'unknown=1']] as const) {
      const answer = await get(file, query);
      expect(answer.status, `${file}?${query}`).toBe(400);
    }
    expect(await rowOf(limit)).toEqual(before);
    // HEAD: GET's status and headers, no rows read, nothing counted.
    for (const file of ['events.csv', 'payments.csv', 'events.jsonl'] as const) {
      const head = await exportGet(new Request(`http://localhost:3000/api/export/${file}`, { method: 'HEAD', headers: { cookie } }), { params: Promise.resolve({ file }) });
      expect(head.status, file).toBe(200);
      expect(head.headers.get('content-disposition'), file).toMatch(new RegExp(`^attachment; filename="${file.split('.')[0]}-\\d{4}-\\d{2}-\\d{2}\\.`));
      expect(head.body, file).toBeNull();
    }
    const unsigned = await exportGet(new Request('http://localhost:3000/api/export/events.csv', { method: 'HEAD' }), { params: Promise.resolve({ file: 'events.csv' }) });
    expect(unsigned.status).toBe(401);
    // Another landlord's lease: its owner's HEAD answers 200, this landlord's 404 (as GET's), and
    // a lease that does not exist the same 404.
    const other = await payingRenter();
    const headLedger = async (leaseId: string, headers: Record<string, string>) =>
      (await exportGet(new Request(`http://localhost:3000/api/export/ledger.csv?leaseId=${leaseId}`, { method: 'HEAD', headers }), { params: Promise.resolve({ file: 'ledger.csv' }) })).status;
    // The owner's HEAD of the ledger and the statement: 200, and not a ledger row read.
    const ledgerReads = vi.spyOn(db.ledgerTransaction, 'findMany');
    const ownerCookie = await sessionCookie(other.landlord);
    expect(await headLedger(other.lease.id, { cookie: ownerCookie })).toBe(200);
    const statement = await exportGet(new Request(`http://localhost:3000/api/export/statement.csv?leaseId=${other.lease.id}`, { method: 'HEAD', headers: { cookie: ownerCookie } }), { params: Promise.resolve({ file: 'statement.csv' }) });
    expect(statement.status).toBe(200);
    expect(statement.headers.get('content-disposition')).toMatch(new RegExp(`^attachment; filename="statement-${other.lease.id}-`));
    expect(ledgerReads).not.toHaveBeenCalled();
    // (The spy sees the reads: the owner's GET makes them.)
    const ownerGet = await exportGet(new Request(`http://localhost:3000/api/export/ledger.csv?leaseId=${other.lease.id}`, { headers: { cookie: ownerCookie } }), { params: Promise.resolve({ file: 'ledger.csv' }) });
    expect(await ownerGet.text()).toMatch(/^createdAt,transactionId,/);
    expect(ledgerReads).toHaveBeenCalled();
    ledgerReads.mockRestore();
    expect(await headLedger(other.lease.id, { cookie })).toBe(404);
    expect(await headLedger(randomUUID(), { cookie })).toBe(404);
    expect(await rowOf(limit)).toEqual(before);
    const allowed = await get('events.csv', '');
    expect(allowed.status).toBe(200);
    await allowed.body?.cancel();
    expect((await rowOf(limit))?.count).toBe(limit.max);
    expect((await get('events.csv', '')).status).toBe(429);
    // HEAD answers GET's 429 once the allowance is used up, and spends nothing itself.
    const spent = await rowOf(limit);
    const refusedHead = await exportGet(new Request('http://localhost:3000/api/export/events.csv', { method: 'HEAD', headers: { cookie } }), { params: Promise.resolve({ file: 'events.csv' }) });
    expect(refusedHead.status).toBe(429);
    expect(Number(refusedHead.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await rowOf(limit)).toEqual(spent);
    await db.rateLimit.delete({ where: { key: limit.key } });
  });

  it('auth.signUp: malformed sign-ups answer 400 and do not count against the address', async () => {
    const address = '192.0.2.91';
    const limit = LIMITS.signUpPerAddress(address)!;
    const send = (input: unknown) =>
      routeFetch('http://localhost:3000/api/trpc/auth.signUp', { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': address }, body: serialized(input) });
    const valid = { name: 'Ada', email: `ada-${randomUUID()}@example.com`, password: 'a long passphrase', role: 'RENTER' };
    for (const input of [{ ...valid, password: 'short' }, { ...valid, email: 'not-an-email' }, { ...valid, role: 'OPERATOR' }, 42]) {
      expect((await send(input)).status).toBe(400);
    }
    expect(await rowOf(limit)).toBeNull();
    expect((await send(valid)).status).toBe(200);
    expect((await rowOf(limit))?.count).toBe(1);
  });
});
