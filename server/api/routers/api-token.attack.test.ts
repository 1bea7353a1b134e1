// Attack probes on today's API-token scope, expiry and sessionProcedure rules, through the real
// /api/trpc and /api/v1 route handlers against the real database.
//
// FIXED tests hold what a stranger's attack found (they failed before the fix); HELD tests
// record what was tried and did not break.
import { beforeAll, describe, expect, it } from 'vitest';
import superjson from 'superjson';
import { apiAs, codeOf, createUser, routeFetch, sessionCookie } from '@/server/testing/api';
import { payingRenter, type PayingRenter } from '@/server/testing/payments';
import { bankAccountInput } from '@/server/testing/leasing';
import * as restRoute from '@/app/api/v1/[...path]/route';
import { db } from '@/server/db';
import { endSession } from '@/server/domain/sessions';
import { actorForApiToken } from '@/server/domain/api-tokens';

const BASE = 'http://localhost:3000';
const DAY_MS = 24 * 60 * 60_000;

const withToken = (token: string) => apiAs(null, { authorization: `Bearer ${token}` });

/** A raw tRPC mutation: status, the error code (or 'OK'). */
async function mutate(path: string, input: unknown, headers: Record<string, string>) {
  const response = await routeFetch(`${BASE}/api/trpc/${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(superjson.serialize(input)) });
  const body = (await response.json()) as { error?: { json: { data: { code: string } } } };
  return { status: response.status, code: body.error?.json.data.code ?? 'OK' };
}

async function rest(method: string, path: string, headers: Record<string, string>, body?: string) {
  const handler = (restRoute as unknown as Record<string, ((request: Request) => Promise<Response>) | undefined>)[method];
  const response = handler ? await handler(new Request(`${BASE}/api/v1${path}`, { method, headers, body })) : new Response(null, { status: 405 });
  return { status: response.status, text: await response.text() };
}

async function stateOf(userId: string) {
  return {
    user: await db.user.findUniqueOrThrow({ where: { id: userId }, select: { name: true, passwordHash: true, updatedAt: true } }),
    sessions: await db.session.findMany({ where: { userId }, orderBy: { id: 'asc' }, select: { id: true, endedAt: true } }),
    apiTokens: await db.apiToken.findMany({ where: { userId }, orderBy: { id: 'asc' }, select: { id: true, scope: true, expiresAt: true, revokedAt: true } }),
    bankAccounts: await db.bankAccount.findMany({ where: { userId }, orderBy: { id: 'asc' }, select: { id: true, active: true, isPrimary: true } }),
    webhookEndpoints: await db.webhookEndpoint.findMany({ where: { userId }, orderBy: { id: 'asc' } }),
    payments: await db.payment.count({ where: { renterId: userId } }),
    notificationsRead: await db.notification.count({ where: { userId, readAt: { not: null } } }),
  };
}

describe('FIXED: a leaked WRITE token cannot send a landlord’s future rent to a new bank account', () => {
  // A payout account is what a webhook endpoint is, with money: a change that outlives the token
  // that made it. Bank accounts and a lease's payout account are managed in the portal only.
  it('bankAccount.create and lease.changePayout with a landlord’s WRITE token are FORBIDDEN; the renter’s next payment goes to the landlord’s own account', async () => {
    const setup = await payingRenter();
    const original = await db.lease.findUniqueOrThrow({ where: { id: setup.lease.id }, select: { payoutAccountId: true } });
    const leaked = await setup.landlordApi.apiToken.create.mutate({ name: 'bookkeeping sync', scope: 'WRITE', expiresInDays: 1 });
    const program = await withToken(leaked.token);
    const landlordNoticesBefore = await db.notification.count({ where: { userId: setup.landlord.id } });

    const attackerAccount = await codeOf(program.bankAccount.create.mutate(bankAccountInput({ nickname: 'Rent income 2', accountNumber: '99999999990000' })));
    // Refused: so point the lease at another of the landlord's own accounts, one made in the portal.
    const added =
      (await db.bankAccount.findFirst({ where: { userId: setup.landlord.id, nickname: 'Rent income 2' } })) ??
      (await setup.landlordApi.bankAccount.create.mutate(bankAccountInput({ nickname: 'Savings', accountNumber: '88888888880000' })));
    const redirected = await codeOf(program.lease.changePayout.mutate({ id: setup.lease.id, payoutAccountId: added.id }));

    // The owner notices and revokes the token in the portal; then the renter pays January's rent.
    await setup.landlordApi.apiToken.revoke.mutate({ id: leaked.id });
    expect(await codeOf(program.me.get.query())).toBe('UNAUTHORIZED');
    const payment = await setup.renterApi.payment.create.mutate({ installmentId: setup.lease.installments[0]!.id, fromAccountId: setup.from.id, rail: 'RTP' });
    const stored = await db.payment.findUniqueOrThrow({ where: { id: payment.id }, select: { toAccountId: true } });

    expect({
      bankAccountCreate: attackerAccount,
      changePayout: redirected,
      paymentGoesTo: stored.toAccountId === original.payoutAccountId ? 'the landlord’s original account' : 'the account the leaked token added',
      landlordWasNotified: (await db.notification.count({ where: { userId: setup.landlord.id } })) > landlordNoticesBefore,
    }).toEqual({ bankAccountCreate: 'FORBIDDEN', changePayout: 'FORBIDDEN', paymentGoesTo: 'the landlord’s original account', landlordWasNotified: expect.any(Boolean) });
  });
});

describe('FIXED (low): webhook endpoints are managed in the portal only, delete included', () => {
  it('webhook.delete with a WRITE token is FORBIDDEN like create/update/rotateSecret; the endpoint is still there', async () => {
    const landlord = await createUser('LANDLORD');
    const portal = await apiAs(landlord);
    const endpoint = await portal.webhook.create.mutate({ url: 'http://127.0.0.1:9/hooks', events: ['payment.completed'] });
    const { token } = await portal.apiToken.create.mutate({ name: 'reporting', scope: 'WRITE' });
    const program = await withToken(token);
    const code = await codeOf(program.webhook.delete.mutate({ id: endpoint.id }));
    const stillThere = (await db.webhookEndpoint.count({ where: { id: endpoint.id } })) === 1;
    expect({ code, stillThere }).toEqual({ code: 'FORBIDDEN', stillThere: true });
  });
});

describe('HELD: what a READ token can reach', () => {
  let setup: PayingRenter;
  let read: string;
  beforeAll(async () => {
    setup = await payingRenter();
    ({ token: read } = await setup.renterApi.apiToken.create.mutate({ name: 'dashboard' }));
  });

  it('no mutation through a batch, GET, HEAD, an encoded name, method override, or a live session cookie sent alongside', async () => {
    const before = await stateOf(setup.renter.id);
    const auth = { authorization: `Bearer ${read}` };
    const cookie = await sessionCookie(setup.renter);
    const name = encodeURIComponent(JSON.stringify(superjson.serialize({ name: 'Owned' })));
    const attempts: [string, Promise<Response>][] = [
      ['POST batch query+mutation', routeFetch(`${BASE}/api/trpc/me.get,me.updateName?batch=1`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ 1: superjson.serialize({ name: 'Owned' }) }) })],
      ['POST batch of mutations', routeFetch(`${BASE}/api/trpc/notification.markAllRead,me.updateName?batch=1`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ 1: superjson.serialize({ name: 'Owned' }) }) })],
      ['GET mutation', routeFetch(`${BASE}/api/trpc/me.updateName?input=${name}`, { headers: auth })],
      ['HEAD mutation', routeFetch(`${BASE}/api/trpc/me.updateName?input=${name}`, { method: 'HEAD', headers: auth })],
      ['encoded name', routeFetch(`${BASE}/api/trpc/me%2EupdateName`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: decodeURIComponent(name) })],
      ['override header', routeFetch(`${BASE}/api/trpc/me.updateName`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json', 'x-http-method-override': 'GET' }, body: decodeURIComponent(name) })],
      ['READ token + live cookie', routeFetch(`${BASE}/api/trpc/me.updateName`, { method: 'POST', headers: { ...auth, cookie, 'content-type': 'application/json' }, body: decodeURIComponent(name) })],
      ['READ token + cookie, sessionProcedure', routeFetch(`${BASE}/api/trpc/me.signOutEverywhere`, { method: 'POST', headers: { ...auth, cookie } })],
      ['lower-case scheme', routeFetch(`${BASE}/api/trpc/me.updateName`, { method: 'POST', headers: { authorization: `bearer ${read}`, 'content-type': 'application/json' }, body: decodeURIComponent(name) })],
    ];
    for (const [label, attempt] of attempts) {
      const response = await attempt;
      expect([400, 403, 405], `${label}: ${response.status}`).toContain(response.status);
    }
    const restAttempts = [
      await rest('POST', `/payments/${crypto.randomUUID()}/cancel`, { ...auth, cookie, 'content-type': 'application/json' }, '{}'),
      await rest('POST', '/payments', { ...auth, 'content-type': 'application/json', 'x-http-method-override': 'GET' }, JSON.stringify({ installmentId: setup.lease.installments[0]!.id, fromAccountId: setup.from.id, rail: 'RTP' })),
      await rest('POST', '/payments', { ...auth }, ''),
    ];
    expect(restAttempts.map((answer) => answer.status)).toEqual([403, 403, 403]);
    // The live cookie is still live, the name unchanged, no payment.
    const after = await stateOf(setup.renter.id);
    expect({ ...after, sessions: after.sessions.filter((session) => before.sessions.some((old) => old.id === session.id)) }).toEqual(before);
  });

  it('a READ token with a stolen-but-ended cookie, or an invalid bearer with a live cookie, escalates to nothing', async () => {
    const cookie = await sessionCookie(setup.renter);
    const sid = (await db.session.findFirstOrThrow({ where: { userId: setup.renter.id, endedAt: null }, orderBy: { createdAt: 'desc' } })).id;
    await endSession(db, sid);
    expect((await mutate('me.updateName', { name: 'Owned' }, { authorization: `Bearer ${read}`, cookie })).code).toBe('FORBIDDEN');
    expect((await mutate('me.updateName', { name: 'Owned' }, { cookie })).code).toBe('UNAUTHORIZED');
    const live = await sessionCookie(setup.renter);
    for (const authorization of ['Bearer dp_00000000_nope', `Bearer ${read}x`, `Bearer ${read}, Bearer ${read}`, `Bearer ${read.toUpperCase()}`]) {
      expect((await mutate('me.updateName', { name: 'Owned' }, { authorization, cookie: live })).code, authorization.slice(0, 20)).toBe('UNAUTHORIZED');
    }
    expect((await db.user.findUniqueOrThrow({ where: { id: setup.renter.id } })).name).not.toBe('Owned');
  });

  it('a token of one user reaches none of another user’s records', async () => {
    const other = await payingRenter();
    const { token } = await setup.renterApi.apiToken.create.mutate({ name: 'writer', scope: 'WRITE' });
    const program = await withToken(token);
    const otherPayment = await other.renterApi.payment.create.mutate({ installmentId: other.lease.installments[0]!.id, fromAccountId: other.from.id, rail: 'STANDARD_ACH' });
    const before = await stateOf(other.renter.id);
    for (const call of [
      () => program.lease.byId.query({ id: other.lease.id }),
      () => program.payment.byId.query({ id: otherPayment.id }),
      () => program.payment.cancel.mutate({ id: otherPayment.id }),
      () => program.bankAccount.deactivate.mutate({ id: other.from.id }),
      () => program.bankAccount.setPrimary.mutate({ id: other.from.id }),
      () => program.autopay.get.query({ leaseId: other.lease.id }),
      () => program.ledger.tenant.query({ leaseId: other.lease.id }),
      () => program.payment.create.mutate({ installmentId: other.lease.installments[1]!.id, fromAccountId: setup.from.id, rail: 'RTP' }),
    ]) {
      expect(['NOT_FOUND', 'FORBIDDEN']).toContain(await codeOf(call()));
    }
    expect((await rest('GET', `/payments/${otherPayment.id}`, { authorization: `Bearer ${token}` })).status).toBe(404);
    expect((await rest('POST', `/payments/${otherPayment.id}/cancel`, { authorization: `Bearer ${token}` }, '')).status).toBe(404);
    expect(await stateOf(other.renter.id)).toEqual(before);
  });
});

describe('HELD: expiry, revocation and the lifetime the API accepts', () => {
  it('a token stops at its expiresAt to the millisecond (domain), and through the route once the instant passes', async () => {
    const renter = await createUser('RENTER');
    const portal = await apiAs(renter);
    const created = await portal.apiToken.create.mutate({ name: 'short', scope: 'WRITE', expiresInDays: 1 });
    const expiresAt = created.expiresAt;
    expect(await actorForApiToken(db, created.token, new Date(expiresAt.getTime() - 1))).toMatchObject({ id: renter.id });
    expect(await actorForApiToken(db, created.token, expiresAt)).toBeNull();

    await db.apiToken.update({ where: { id: created.id }, data: { createdAt: new Date(Date.now() - DAY_MS), expiresAt: new Date(Date.now() + 400) } });
    const program = await withToken(created.token);
    expect(await codeOf(program.me.get.query())).toBe('OK');
    await new Promise((resolve) => setTimeout(resolve, 450));
    const before = await stateOf(renter.id);
    expect(await codeOf(program.me.get.query())).toBe('UNAUTHORIZED');
    expect(await codeOf(program.me.updateName.mutate({ name: 'Too Late' }))).toBe('UNAUTHORIZED');
    expect((await rest('GET', '/me', { authorization: `Bearer ${created.token}` })).status).toBe(401);
    expect(await stateOf(renter.id)).toEqual(before);
  });

  it('a revoked token is refused at once on both doors, and revoking it again changes nothing', async () => {
    const renter = await createUser('RENTER');
    const portal = await apiAs(renter);
    const created = await portal.apiToken.create.mutate({ name: 'gone', scope: 'WRITE' });
    await portal.apiToken.revoke.mutate({ id: created.id });
    const revokedAt = (await db.apiToken.findUniqueOrThrow({ where: { id: created.id } })).revokedAt;
    await portal.apiToken.revoke.mutate({ id: created.id });
    expect((await db.apiToken.findUniqueOrThrow({ where: { id: created.id } })).revokedAt).toEqual(revokedAt);
    expect(await codeOf((await withToken(created.token)).me.updateName.mutate({ name: 'Ghost' }))).toBe('UNAUTHORIZED');
    expect((await rest('GET', '/me', { authorization: `Bearer ${created.token}` })).status).toBe(401);
  });

  it('expiresInDays and scope outside the schema are 400 with no token made (raw JSON and superjson types)', async () => {
    const user = await createUser('LANDLORD');
    const cookie = await sessionCookie(user);
    const raw = async (json: string) => {
      const response = await routeFetch(`${BASE}/api/trpc/apiToken.create`, { method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body: json });
      return response.status;
    };
    for (const json of [
      '{"json":{"name":"x","expiresInDays":-1}}',
      '{"json":{"name":"x","expiresInDays":-0}}',
      '{"json":{"name":"x","expiresInDays":1e400}}',
      '{"json":{"name":"x","expiresInDays":365.0000000001}}',
      '{"json":{"name":"x","expiresInDays":9007199254740993}}',
      '{"json":{"name":"x","expiresInDays":"30"}}',
      '{"json":{"name":"x","expiresInDays":true}}',
      '{"json":{"name":"x","expiresInDays":[30]}}',
      '{"json":{"name":"x","expiresInDays":"Infinity"},"meta":{"values":{"expiresInDays":["number"]}}}',
      '{"json":{"name":"x","expiresInDays":"NaN"},"meta":{"values":{"expiresInDays":["number"]}}}',
      '{"json":{"name":"x","expiresInDays":"30"},"meta":{"values":{"expiresInDays":["bigint"]}}}',
      '{"json":{"name":"x","scope":"write"}}',
      '{"json":{"name":"x","scope":"WRITE "}}',
      '{"json":{"name":"x","scope":["WRITE"]}}',
      '{"json":{"name":"x","scope":"ADMIN"}}',
      '{"json":{"name":"x","expiresAt":"2099-01-01T00:00:00.000Z"}}',
      '{"json":{"name":"x","revokedAt":null}}',
    ]) {
      expect(await raw(json), json).toBe(400);
    }
    expect(await db.apiToken.count({ where: { userId: user.id } })).toBe(0);
    // 1e2 and 365.0 are plain numbers 100 and 365: fine.
    expect(await raw('{"json":{"name":"x","expiresInDays":1e2}}')).toBe(200);
    expect(await raw('{"json":{"name":"y","expiresInDays":365.0}}')).toBe(200);
    const longest = await db.apiToken.findFirstOrThrow({ where: { userId: user.id, name: 'y' } });
    expect(longest.expiresAt.getTime() - longest.createdAt.getTime()).toBe(365 * DAY_MS);
    expect(longest.scope).toBe('READ');
  });

  it('a WRITE token finds no session-only procedure on /api/v1 and is refused every one on /api/trpc (also by GET/HEAD)', async () => {
    const landlord = await createUser('LANDLORD');
    const { token } = await (await apiAs(landlord)).apiToken.create.mutate({ name: 'writer', scope: 'WRITE' });
    const auth = { authorization: `Bearer ${token}` };
    const before = await stateOf(landlord.id);
    for (const path of ['/api-tokens', '/apiToken.create', '/tokens', '/me/password', '/me/sign-out-everywhere', '/webhooks']) {
      expect((await rest('POST', path, { ...auth, 'content-type': 'application/json' }, '{"name":"x","scope":"WRITE"}')).status, path).toBe(404);
    }
    for (const path of ['apiToken.create', 'apiToken.revoke', 'me.changePassword', 'me.signOutEverywhere', 'webhook.create', 'webhook.update', 'webhook.rotateSecret']) {
      expect((await mutate(path, { name: 'x', scope: 'WRITE' }, auth)).code, path).toBe('FORBIDDEN');
      expect((await routeFetch(`${BASE}/api/trpc/${path}`, { headers: auth })).status, path).toBe(405);
    }
    expect(await stateOf(landlord.id)).toEqual(before);
  });
});
