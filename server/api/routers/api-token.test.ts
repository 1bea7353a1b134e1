// Personal API tokens through the real routes (/api/trpc and /api/v1, real Requests, a real
// PostgreSQL): authentication, scope (READ: queries only), expiry, and what needs the portal's
// session instead of a token (the account's credentials and sessions).
import { beforeAll, describe, expect, it } from 'vitest';
import superjson from 'superjson';
import { apiAs, codeOf, createUser, errorOf, routeFetch, sessionCookie, type ApiClient } from '@/server/testing/api';
import { payingRenter, type PayingRenter } from '@/server/testing/payments';
import { bankAccountInput } from '@/server/testing/leasing';
import { GET as restGet, POST as restPost } from '@/app/api/v1/[...path]/route';
import { appRouter } from '@/server/api/root';
import { PORTAL_SESSION_MESSAGE, READ_ONLY_TOKEN_MESSAGE } from '@/server/api/trpc';
import { verifyCredentials } from '@/server/domain/users';
import { db } from '@/server/db';

const BASE = 'http://localhost:3000';
const DAY_MS = 24 * 60 * 60_000;

/** A typed tRPC client sending this bearer token (and no cookie). */
const withToken = (token: string) => apiAs(null, { authorization: `Bearer ${token}` });

/** A call to /api/v1 with a bearer token: its status and JSON body. */
async function rest(method: 'GET' | 'POST', path: string, token: string, body?: unknown): Promise<{ status: number; body: { code?: string; message?: string } & Record<string, unknown> }> {
  const headers: Record<string, string> = { authorization: `Bearer ${token}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const request = new Request(`${BASE}/api/v1${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const response = await (method === 'GET' ? restGet : restPost)(request);
  return { status: response.status, body: await response.json() };
}

/** Every mutation of the app router, by its tRPC path. */
const MUTATIONS = Object.entries((appRouter as unknown as { _def: { procedures: Record<string, { _def: { type: string } }> } })._def.procedures)
  .filter(([, procedure]) => procedure._def.type === 'mutation')
  .map(([path]) => path);

/** The procedures that need the portal's session (sessionProcedure): the account's credentials and sessions, and where money comes from and goes to. */
const SESSION_ONLY = [
  'apiToken.create',
  'apiToken.revoke',
  'me.changePassword',
  'me.signOutEverywhere',
  'webhook.create',
  'webhook.update',
  'webhook.rotateSecret',
  'webhook.delete',
  'bankAccount.create',
  'bankAccount.setPrimary',
  'bankAccount.deactivate',
  'bankAccount.activate',
  'lease.changePayout',
];

/** What a user's refused calls must leave as it was (lastUsedAt aside: reading with a token records its use). */
async function stateOf(userId: string) {
  return {
    user: await db.user.findUniqueOrThrow({ where: { id: userId }, select: { name: true, passwordHash: true, updatedAt: true, emailVerifiedAt: true } }),
    sessions: await db.session.findMany({ where: { userId }, orderBy: { id: 'asc' }, select: { id: true, endedAt: true } }),
    apiTokens: await db.apiToken.findMany({ where: { userId }, orderBy: { id: 'asc' }, select: { id: true, scope: true, expiresAt: true, revokedAt: true } }),
    bankAccounts: await db.bankAccount.findMany({ where: { userId }, orderBy: { id: 'asc' } }),
    webhookEndpoints: await db.webhookEndpoint.findMany({ where: { userId }, orderBy: { id: 'asc' } }),
    payments: await db.payment.count({ where: { renterId: userId } }),
    notificationsRead: await db.notification.count({ where: { userId, readAt: { not: null } } }),
    events: await db.event.count(),
  };
}

describe('personal API tokens', () => {
  it('authenticate a program as their owner with Authorization: Bearer, until revoked', async () => {
    const landlord = await createUser('LANDLORD');
    const portal = await apiAs(landlord);
    const created = await portal.apiToken.create.mutate({ name: 'accounting export' });
    expect(created.token).toMatch(/^dp_[0-9a-f]{8}_/);

    const stored = await db.apiToken.findUniqueOrThrow({ where: { id: created.id } });
    expect(stored.tokenHash).not.toContain(created.token);
    expect(JSON.stringify(await portal.apiToken.list.query())).not.toContain(created.token);

    const program = await withToken(created.token);
    expect(await program.me.get.query()).toMatchObject({ id: landlord.id, role: 'LANDLORD' });

    await portal.apiToken.revoke.mutate({ id: created.id });
    expect(await codeOf(program.me.get.query())).toBe('UNAUTHORIZED');
  });

  it('plain HTTP works too: GET /api/trpc/me.get with a bearer token', async () => {
    const renter = await createUser('RENTER');
    const { token } = await (await apiAs(renter)).apiToken.create.mutate({ name: 'curl' });
    const response = await routeFetch('http://localhost:3000/api/trpc/me.get', { headers: { authorization: `Bearer ${token}` } });
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body.result.data.json).toMatchObject({ id: renter.id, email: renter.email });
  });

  it("a token is nobody else's to revoke: NOT_FOUND", async () => {
    const owner = await createUser('RENTER');
    const other = await createUser('RENTER');
    const { id } = await (await apiAs(owner)).apiToken.create.mutate({ name: 'mine' });
    expect(await codeOf((await apiAs(other)).apiToken.revoke.mutate({ id }))).toBe('NOT_FOUND');
    expect(await codeOf((await apiAs(null)).apiToken.list.query())).toBe('UNAUTHORIZED');
    expect(await codeOf((await apiAs(owner)).apiToken.create.mutate({ name: '' }))).toBe('BAD_REQUEST');
  });

  it('an unknown or malformed bearer token is UNAUTHORIZED', async () => {
    for (const token of ['dp_00000000_nope', 'garbage', 'x'.repeat(500)]) {
      expect(await codeOf((await withToken(token)).me.get.query())).toBe('UNAUTHORIZED');
    }
  });
});

describe('creating a token: scope and lifetime', () => {
  it('is READ for 90 days unless asked; WRITE and 1 to 365 days when asked; the list shows scope and expiry', async () => {
    const portal = await apiAs(await createUser('LANDLORD'));
    const before = Date.now();
    const plain = await portal.apiToken.create.mutate({ name: 'dashboard' });
    expect(plain).toMatchObject({ scope: 'READ', expired: false });
    expect(plain.expiresAt.getTime() - plain.createdAt.getTime()).toBe(90 * DAY_MS);
    expect(plain.createdAt.getTime()).toBeGreaterThanOrEqual(before);

    const payer = await portal.apiToken.create.mutate({ name: 'rent payer', scope: 'WRITE', expiresInDays: 1 });
    expect(payer).toMatchObject({ scope: 'WRITE', expired: false });
    expect(payer.expiresAt.getTime() - payer.createdAt.getTime()).toBe(DAY_MS);
    const yearly = await portal.apiToken.create.mutate({ name: 'yearly report', expiresInDays: 365 });
    expect(yearly.expiresAt.getTime() - yearly.createdAt.getTime()).toBe(365 * DAY_MS);

    const listed = await portal.apiToken.list.query();
    expect(listed.map(({ name, scope, expiresAt, expired }) => ({ name, scope, expiresAt, expired }))).toEqual([
      { name: 'yearly report', scope: 'READ', expiresAt: yearly.expiresAt, expired: false },
      { name: 'rent payer', scope: 'WRITE', expiresAt: payer.expiresAt, expired: false },
      { name: 'dashboard', scope: 'READ', expiresAt: plain.expiresAt, expired: false },
    ]);
    const stored = await db.apiToken.findUniqueOrThrow({ where: { id: payer.id } });
    expect({ scope: stored.scope, expiresAt: stored.expiresAt }).toEqual({ scope: 'WRITE', expiresAt: payer.expiresAt });
  });

  it.each([
    ['expiresInDays 0', { expiresInDays: 0 }, 'expiresInDays'],
    ['expiresInDays 366', { expiresInDays: 366 }, 'expiresInDays'],
    ['expiresInDays 1.5', { expiresInDays: 1.5 }, 'expiresInDays'],
    ['expiresInDays "x"', { expiresInDays: 'x' }, 'expiresInDays'],
    ['expiresInDays "30" (text)', { expiresInDays: '30' }, 'expiresInDays'],
    ['expiresInDays null', { expiresInDays: null }, 'expiresInDays'],
    ['scope ADMIN', { scope: 'ADMIN' }, 'scope'],
    ['scope read (lower case)', { scope: 'read' }, 'scope'],
    ['scope null', { scope: null }, 'scope'],
  ])('%s: 400 BAD_REQUEST with a field error, no token made', async (_label, fields, field) => {
    const user = await createUser('RENTER');
    const error = await errorOf((await apiAs(user)).apiToken.create.mutate({ name: 'script', ...fields } as never));
    expect(error.data?.code).toBe('BAD_REQUEST');
    expect(error.data?.httpStatus).toBe(400);
    expect(Object.keys(error.data?.fieldErrors ?? {})).toEqual([field]);
    expect(error.data?.fieldErrors?.[field]).toEqual([field === 'scope' ? 'must be one of READ, WRITE' : 'must be a whole number of days from 1 to 365']);
    expect(await db.apiToken.count({ where: { userId: user.id } })).toBe(0);
  });
});

describe('scope', () => {
  let setup: PayingRenter;
  let readToken: string;
  let writeToken: string;
  let readOnly: ApiClient;
  let writer: ApiClient;

  beforeAll(async () => {
    setup = await payingRenter();
    ({ token: readToken } = await setup.renterApi.apiToken.create.mutate({ name: 'dashboard' }));
    ({ token: writeToken } = await setup.renterApi.apiToken.create.mutate({ name: 'rent payer', scope: 'WRITE' }));
    readOnly = await withToken(readToken);
    writer = await withToken(writeToken);
  });

  it('a READ token reads on both doors', async () => {
    expect(await readOnly.me.get.query()).toMatchObject({ id: setup.renter.id });
    expect(await readOnly.lease.byId.query({ id: setup.lease.id })).toMatchObject({ id: setup.lease.id });
    expect((await readOnly.apiToken.list.query()).map((token) => token.name).sort()).toEqual(['dashboard', 'rent payer']);
    expect(await rest('GET', '/me', readToken)).toMatchObject({ status: 200, body: { id: setup.renter.id } });
    expect(await rest('GET', `/leases/${setup.lease.id}`, readToken)).toMatchObject({ status: 200, body: { id: setup.lease.id } });
    expect((await rest('GET', '/bank-accounts?active=true', readToken)).status).toBe(200);
  });

  it('every mutation refuses a READ token with 403 FORBIDDEN before reading its input (the portal-only ones say to sign in)', async () => {
    expect(MUTATIONS.length).toBeGreaterThan(30);
    expect(MUTATIONS).toEqual(expect.arrayContaining(SESSION_ONLY));
    const before = await stateOf(setup.renter.id);
    for (const path of MUTATIONS) {
      const response = await routeFetch(`${BASE}/api/trpc/${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${readToken}`, 'content-type': 'application/json' },
        body: JSON.stringify(superjson.serialize({})),
      });
      const { error } = (await response.json()) as { error: { json: { message: string; data: { code: string } } } };
      expect({ path, status: response.status, code: error.json.data.code, message: error.json.message }).toEqual({
        path,
        status: 403,
        code: 'FORBIDDEN',
        message: SESSION_ONLY.includes(path) ? PORTAL_SESSION_MESSAGE : READ_ONLY_TOKEN_MESSAGE,
      });
    }
    expect(await stateOf(setup.renter.id)).toEqual(before);
  });

  it('a READ token changes nothing, on /api/trpc or /api/v1: calls a WRITE token makes answer 403 saying the token is read-only and how to get a WRITE one', async () => {
    const before = await stateOf(setup.renter.id);
    const refusals = [
      () => readOnly.payment.cancel.mutate({ id: crypto.randomUUID() }),
      () => readOnly.me.updateName.mutate({ name: 'Someone Else' }),
      () => readOnly.notification.markAllRead.mutate(),
      () => readOnly.payment.create.mutate({ installmentId: setup.lease.installments[0]!.id, fromAccountId: setup.from.id, rail: 'RTP' }),
    ];
    for (const refusal of refusals) {
      const error = await errorOf(refusal());
      expect({ code: error.data?.code, httpStatus: error.data?.httpStatus, message: error.message }).toEqual({ code: 'FORBIDDEN', httpStatus: 403, message: READ_ONLY_TOKEN_MESSAGE });
    }
    expect(READ_ONLY_TOKEN_MESSAGE).toMatch(/read-only.*create a token with scope WRITE in the portal \(Settings → API tokens\)/);

    const body = { installmentId: setup.lease.installments[0]!.id, fromAccountId: setup.from.id, rail: 'RTP' };
    for (const [path, input] of [['/payments', body], [`/payments/${crypto.randomUUID()}/cancel`, {}], [`/payments/${crypto.randomUUID()}/retry`, {}]] as const) {
      const answer = await rest('POST', path, readToken, input);
      expect({ path, status: answer.status, code: answer.body.code, message: answer.body.message }).toEqual({ path, status: 403, code: 'FORBIDDEN', message: READ_ONLY_TOKEN_MESSAGE });
    }
    expect(await stateOf(setup.renter.id)).toEqual(before);
  });

  it('a WRITE token makes changes', async () => {
    expect(await writer.notification.markAllRead.mutate()).toMatchObject({ count: expect.any(Number) });
    expect(await writer.me.updateName.mutate({ name: 'Remy Renamed' })).toMatchObject({ name: 'Remy Renamed' });
    expect(await db.user.findUniqueOrThrow({ where: { id: setup.renter.id }, select: { name: true } })).toEqual({ name: 'Remy Renamed' });
    // Past the scope check on /api/v1 too: the procedure itself answers (no such payment).
    const answer = await rest('POST', `/payments/${crypto.randomUUID()}/cancel`, writeToken, {});
    expect({ status: answer.status, code: answer.body.code }).toEqual({ status: 404, code: 'NOT_FOUND' });
  });
});

describe('expiry', () => {
  it('an expired token authenticates nobody: 401 UNAUTHORIZED on both doors, as if revoked; the list says it expired', async () => {
    const renter = await createUser('RENTER');
    const portal = await apiAs(renter);
    const created = await portal.apiToken.create.mutate({ name: 'old script', scope: 'WRITE', expiresInDays: 1 });
    const program = await withToken(created.token);
    expect(await program.me.get.query()).toMatchObject({ id: renter.id });

    // Made two days ago for one day (the database refuses an expiry before creation).
    await db.apiToken.update({ where: { id: created.id }, data: { createdAt: new Date(Date.now() - 2 * DAY_MS), expiresAt: new Date(Date.now() - 1000) } });
    const before = await stateOf(renter.id);
    expect(await codeOf(program.me.get.query())).toBe('UNAUTHORIZED');
    expect(await codeOf(program.bankAccount.create.mutate(bankAccountInput()))).toBe('UNAUTHORIZED');
    const viaRest = await rest('GET', '/me', created.token);
    expect({ status: viaRest.status, code: viaRest.body.code }).toEqual({ status: 401, code: 'UNAUTHORIZED' });
    const response = await routeFetch(`${BASE}/api/trpc/me.get`, { headers: { authorization: `Bearer ${created.token}` } });
    expect(response.status).toBe(401);
    expect(await stateOf(renter.id)).toEqual(before);

    expect(await portal.apiToken.list.query()).toEqual([expect.objectContaining({ id: created.id, expired: true, revokedAt: null })]);
  });
});

describe('account management needs the portal session, not a token', () => {
  it('a WRITE token cannot create or revoke tokens, change the password, sign out everywhere, manage webhook endpoints, bank accounts or a lease’s payout account: 403, nothing changed', async () => {
    const landlord = await createUser('LANDLORD');
    const cookie = await sessionCookie(landlord);
    const portal = await apiAs(null, { cookie });
    const sibling = await portal.apiToken.create.mutate({ name: 'sibling', scope: 'WRITE' });
    const leaked = await portal.apiToken.create.mutate({ name: 'leaked', scope: 'WRITE' });
    const endpoint = await portal.webhook.create.mutate({ url: 'http://127.0.0.1:9/hooks', events: ['payment.completed'] });
    const program = await withToken(leaked.token);
    const before = await stateOf(landlord.id);

    const refusals = [
      () => program.apiToken.create.mutate({ name: 'persistence', scope: 'WRITE', expiresInDays: 365 }),
      () => program.apiToken.revoke.mutate({ id: sibling.id }),
      () => program.apiToken.revoke.mutate({ id: leaked.id }),
      () => program.me.changePassword.mutate({ currentPassword: landlord.password, newPassword: 'the attacker’s new passphrase' }),
      () => program.me.signOutEverywhere.mutate(),
      () => program.webhook.create.mutate({ url: 'http://127.0.0.1:9/attacker', events: ['payment.completed'] }),
      () => program.webhook.update.mutate({ id: endpoint.id, url: 'http://127.0.0.1:9/attacker' }),
      () => program.webhook.rotateSecret.mutate({ id: endpoint.id }),
      () => program.webhook.delete.mutate({ id: endpoint.id }),
      () => program.bankAccount.create.mutate(bankAccountInput({ nickname: 'Rent income 2' })),
      () => program.bankAccount.deactivate.mutate({ id: crypto.randomUUID() }),
      () => program.lease.changePayout.mutate({ id: crypto.randomUUID(), payoutAccountId: crypto.randomUUID() }),
    ];
    for (const refusal of refusals) {
      const error = await errorOf(refusal());
      expect({ code: error.data?.code, httpStatus: error.data?.httpStatus, message: error.message }).toEqual({ code: 'FORBIDDEN', httpStatus: 403, message: PORTAL_SESSION_MESSAGE });
    }
    expect(PORTAL_SESSION_MESSAGE).toContain('sign in to the portal to');

    expect(await stateOf(landlord.id)).toEqual(before);
    expect(await verifyCredentials(db, landlord.email, landlord.password)).toMatchObject({ id: landlord.id });
    expect(await db.session.count({ where: { userId: landlord.id, endedAt: null } })).toBe(1);
    expect(await db.webhookEndpoint.findUniqueOrThrow({ where: { id: endpoint.id }, select: { url: true } })).toEqual({ url: 'http://127.0.0.1:9/hooks' });
    expect(await codeOf(portal.me.get.query())).toBe('OK');
    expect(await codeOf((await withToken(sibling.token)).me.get.query())).toBe('OK');
    // The leak ends with the token: revoked in the portal, it left nothing behind that still works.
    await portal.apiToken.revoke.mutate({ id: leaked.id });
    expect(await codeOf(program.me.get.query())).toBe('UNAUTHORIZED');
    expect(await db.apiToken.count({ where: { userId: landlord.id, revokedAt: null } })).toBe(1);
  });

  it('the cookie session can do each of them', async () => {
    const landlord = await createUser('LANDLORD');
    const portal = await apiAs(null, { cookie: await sessionCookie(landlord) });
    const created = await portal.apiToken.create.mutate({ name: 'script', scope: 'WRITE' });
    expect(await portal.apiToken.revoke.mutate({ id: created.id })).toMatchObject({ id: created.id, revokedAt: expect.any(Date) });
    const endpoint = await portal.webhook.create.mutate({ url: 'http://127.0.0.1:9/hooks', events: ['payment.completed'] });
    expect(await portal.webhook.update.mutate({ id: endpoint.id, url: 'http://127.0.0.1:9/moved' })).toMatchObject({ url: 'http://127.0.0.1:9/moved' });
    expect((await portal.webhook.rotateSecret.mutate({ id: endpoint.id })).secret).not.toBe(endpoint.secret);
    expect(await portal.me.changePassword.mutate({ currentPassword: landlord.password, newPassword: 'a brand new passphrase' })).toEqual({ sessionsEnded: 0 });
    expect(await verifyCredentials(db, landlord.email, 'a brand new passphrase')).toMatchObject({ id: landlord.id });
    expect(await portal.me.signOutEverywhere.mutate()).toEqual({ sessionsEnded: 1 });
    expect(await db.session.count({ where: { userId: landlord.id, endedAt: null } })).toBe(0);
  });
});
