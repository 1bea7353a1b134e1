// Sessions that end on the server. A cookie is minted the way next-auth mints it at sign-in
// (its jwt callback, which starts the server-side session) and ended the way next-auth ends
// it at sign-out (its signOut event); then the old cookie is replayed through the real tRPC
// route. The browser flow (sign-out, then /renter) is in e2e/auth.spec.ts.
import type { JWT } from 'next-auth/jwt';
import { encode } from 'next-auth/jwt';
import { afterAll, describe, expect, it } from 'vitest';
import { authOptions, sessionUserFromHeaders } from '@/server/auth';
import { db } from '@/server/db';
import { env, resetEnvForTests } from '@/server/env';
import { verifyCredentials } from '@/server/domain/users';
import { DEMO_OPERATOR_EMAIL } from '@/server/domain/demo';
import { apiAs, codeOf, createUser, errorOf, routeFetch, type TestUser } from '@/server/testing/api';
import { historyMismatches } from '@/server/testing/history';
import { createTRPCRouter, createTRPCContext, operatorProcedure } from '@/server/api/trpc';

interface Browser {
  cookie: string;
  token: JWT;
}

/** Signs in as next-auth does after the credentials check: the jwt callback, then the cookie. */
async function signIn(user: TestUser): Promise<Browser> {
  const jwt = authOptions().callbacks!.jwt!;
  const token = await jwt({ token: {}, user: { id: user.id, email: user.email, name: user.name, role: user.role } as never, account: null } as never);
  return { token, cookie: `next-auth.session-token=${await encode({ token, secret: env.NEXTAUTH_SECRET })}` };
}

/** Signs out as next-auth does: its signOut event with the decoded cookie (next-auth then clears the cookie in that browser only). */
async function signOut(browser: Browser): Promise<void> {
  await authOptions().events!.signOut!({ token: browser.token, session: undefined as never });
}

/** A typed client whose every request carries this cookie, through the real route. */
async function withCookie(cookie: string) {
  return apiAs(null, { cookie });
}

async function meStatus(cookie: string): Promise<number> {
  return (await routeFetch('http://localhost:3000/api/trpc/me.get', { headers: { cookie } })).status;
}

async function canMintToken(cookie: string): Promise<string> {
  return codeOf((await withCookie(cookie)).apiToken.create.mutate({ name: 'replayed' }));
}

/** next-auth's own read of the cookie (GET /api/auth/session) runs the jwt callback; it throws for an ended session, and next-auth then clears the cookie. */
async function nextAuthAccepts(browser: Browser): Promise<boolean> {
  const jwt = authOptions().callbacks!.jwt!;
  return Promise.resolve(jwt({ token: browser.token } as never)).then(
    () => true,
    () => false,
  );
}

const userEvents = (userId: string) => db.event.findMany({ where: { aggregateType: 'User', aggregateId: userId }, orderBy: { sequence: 'asc' }, select: { type: true, reason: true } });

afterAll(async () => {
  expect((await historyMismatches()).mismatches).toEqual([]);
});

describe('sign-out', () => {
  it('ends that session on the server: the replayed cookie answers UNAUTHORIZED and cannot mint an API token; other browsers stay signed in', async () => {
    const renter = await createUser('RENTER');
    const [laptop, phone] = [await signIn(renter), await signIn(renter)];
    expect(await (await withCookie(laptop.cookie)).me.get.query()).toEqual({ id: renter.id, email: renter.email, name: renter.name, role: 'RENTER', emailVerified: expect.any(Boolean) });
    expect(await nextAuthAccepts(laptop)).toBe(true);

    await signOut(laptop);

    expect(await codeOf((await withCookie(laptop.cookie)).me.get.query())).toBe('UNAUTHORIZED');
    expect(await meStatus(laptop.cookie)).toBe(401);
    expect(await canMintToken(laptop.cookie)).toBe('UNAUTHORIZED');
    expect(await db.apiToken.count({ where: { userId: renter.id } })).toBe(0);
    // Pages ask the same function; null is what sends them to /sign-in.
    expect(await sessionUserFromHeaders(new Headers({ cookie: laptop.cookie }))).toBeNull();
    expect(await nextAuthAccepts(laptop)).toBe(false);

    expect(await codeOf((await withCookie(phone.cookie)).me.get.query())).toBe('OK');
    // Signing out twice, or with a cookie that names no session, changes nothing.
    await signOut(laptop);
    await authOptions().events!.signOut!({ token: { sub: renter.id }, session: undefined as never });
    expect(await codeOf((await withCookie(phone.cookie)).me.get.query())).toBe('OK');
  });

  it('a session cookie whose value does not percent-decode is nobody, not an error, and a good cookie beside it still counts (found by a stranger)', async () => {
    for (const cookie of ['next-auth.session-token=%', 'next-auth.session-token=%E0%A4', 'next-auth.session-token=abc%', '__Secure-next-auth.session-token=%ZZ']) {
      expect(await meStatus(cookie), cookie).toBe(401);
      // A public procedure answers as for anyone.
      expect((await routeFetch('http://localhost:3000/api/trpc/payment.rails', { headers: { cookie } })).status, cookie).toBe(200);
    }
    const renter = await signIn(await createUser('RENTER'));
    expect(await meStatus(`__Secure-next-auth.session-token=%; ${renter.cookie}`)).toBe(200);
    expect(await meStatus(`next-auth.session-token=%E0%A4; ${renter.cookie}`)).toBe(200);
  });

  it('a validly signed cookie without a live session is nobody: no session id, an unknown one, another user\'s, an expired one', async () => {
    const [renter, landlord] = await Promise.all([createUser('RENTER'), createUser('LANDLORD')]);
    const landlordBrowser = await signIn(landlord);
    const forged = async (claims: JWT) => `next-auth.session-token=${await encode({ token: claims, secret: env.NEXTAUTH_SECRET })}`;
    const claims = { sub: renter.id, email: renter.email, name: renter.name, role: renter.role };
    const cookies = [
      await forged(claims), // minted before sessions existed
      await forged({ ...claims, sid: '00000000-0000-4000-8000-000000000000' }),
      await forged({ ...claims, sid: 'not a uuid' }),
      await forged({ ...claims, sid: landlordBrowser.token.sid }), // a live session, but not the renter's
    ];
    for (const cookie of cookies) expect(await meStatus(cookie)).toBe(401);

    const expiring = await signIn(renter);
    expect(await meStatus(expiring.cookie)).toBe(200);
    await db.session.update({ where: { id: expiring.token.sid! }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect(await meStatus(expiring.cookie)).toBe(401);
  });

  it('leaves API tokens working: they are separate credentials', async () => {
    const landlord = await createUser('LANDLORD');
    const browser = await signIn(landlord);
    const { token } = await (await withCookie(browser.cookie)).apiToken.create.mutate({ name: 'books' });
    await signOut(browser);
    expect(await (await apiAs(null, { authorization: `Bearer ${token}` })).me.get.query()).toMatchObject({ id: landlord.id });
  });
});

describe('me.changePassword', () => {
  it('needs the current password, ends every other session, keeps this one, and records user.passwordChanged', async () => {
    const renter = await createUser('RENTER');
    const [here, elsewhere, third] = [await signIn(renter), await signIn(renter), await signIn(renter)];
    const result = await (await withCookie(here.cookie)).me.changePassword.mutate({ currentPassword: renter.password, newPassword: 'a brand new passphrase' });
    expect(result).toEqual({ sessionsEnded: 2 });

    expect(await meStatus(here.cookie)).toBe(200);
    for (const other of [elsewhere, third]) {
      expect(await codeOf((await withCookie(other.cookie)).me.get.query())).toBe('UNAUTHORIZED');
      expect(await canMintToken(other.cookie)).toBe('UNAUTHORIZED');
    }
    expect(await verifyCredentials(db, renter.email, renter.password)).toBeNull();
    expect(await verifyCredentials(db, renter.email, 'a brand new passphrase')).toMatchObject({ id: renter.id });
    expect(await userEvents(renter.id)).toEqual([
      { type: 'user.signedUp', reason: null },
      { type: 'user.passwordChanged', reason: 'ended 2 other sessions' },
    ]);
  });

  it('refuses a wrong current password with BAD_REQUEST on currentPassword, and changes nothing', async () => {
    const landlord = await createUser('LANDLORD');
    const [here, elsewhere] = [await signIn(landlord), await signIn(landlord)];
    const error = await errorOf((await withCookie(here.cookie)).me.changePassword.mutate({ currentPassword: 'not my password at all', newPassword: 'a brand new passphrase' }));
    expect(error.data?.code).toBe('BAD_REQUEST');
    expect(error.data?.fieldErrors).toEqual({ currentPassword: ['is not your current password'] });

    expect(await verifyCredentials(db, landlord.email, landlord.password)).toMatchObject({ id: landlord.id });
    expect(await verifyCredentials(db, landlord.email, 'a brand new passphrase')).toBeNull();
    expect(await meStatus(here.cookie)).toBe(200);
    expect(await meStatus(elsewhere.cookie)).toBe(200);
    expect((await userEvents(landlord.id)).map((event) => event.type)).toEqual(['user.signedUp']);
  });

  it('holds the new password to the sign-up policy', async () => {
    const renter = await createUser('RENTER');
    const api = await withCookie((await signIn(renter)).cookie);
    const cases: [string, string, string][] = [
      ['too short', 'short', 'newPassword'],
      ['a published demo password', 'renter-demo-2026', 'newPassword'],
      ['the email', renter.email, 'newPassword'],
      ['the same password', renter.password, 'newPassword'],
    ];
    for (const [label, newPassword, field] of cases) {
      const error = await errorOf(api.me.changePassword.mutate({ currentPassword: renter.password, newPassword }));
      expect({ label, code: error.data?.code, field: Object.keys(error.data?.fieldErrors ?? {}) }).toEqual({ label, code: 'BAD_REQUEST', field: [field] });
    }
    expect(await codeOf(api.me.changePassword.mutate({ currentPassword: '', newPassword: 'a brand new passphrase' }))).toBe('BAD_REQUEST');
    expect(await verifyCredentials(db, renter.email, renter.password)).toMatchObject({ id: renter.id });
  });

  it('counts wrong current passwords against a per-user limit, so a stolen cookie cannot guess the password', async () => {
    const renter = await createUser('RENTER');
    const api = await withCookie((await signIn(renter)).cookie);
    for (let i = 0; i < 10; i++) expect(await codeOf(api.me.changePassword.mutate({ currentPassword: `guess number ${i}`, newPassword: 'a brand new passphrase' }))).toBe('BAD_REQUEST');
    expect(await codeOf(api.me.changePassword.mutate({ currentPassword: renter.password, newPassword: 'a brand new passphrase' }))).toBe('TOO_MANY_REQUESTS');
    expect(await verifyCredentials(db, renter.email, renter.password)).toMatchObject({ id: renter.id });
  });

  it('does not count a right current password: refusals of the new one never lock the owner out', async () => {
    const renter = await createUser('RENTER');
    const api = await withCookie((await signIn(renter)).cookie);
    // The same password again: past the input's checks, refused by the policy after the current one is checked.
    for (let i = 0; i < 12; i++) expect(await codeOf(api.me.changePassword.mutate({ currentPassword: renter.password, newPassword: renter.password }))).toBe('BAD_REQUEST');
    expect(await codeOf(api.me.changePassword.mutate({ currentPassword: renter.password, newPassword: 'a brand new passphrase' }))).toBe('OK');
    expect(await verifyCredentials(db, renter.email, 'a brand new passphrase')).toMatchObject({ id: renter.id });
  });

  it('is UNAUTHORIZED without a session', async () => {
    expect(await codeOf((await apiAs(null)).me.changePassword.mutate({ currentPassword: 'whatever it is', newPassword: 'a brand new passphrase' }))).toBe('UNAUTHORIZED');
  });
});

describe('me.signOutEverywhere', () => {
  it('ends every session, this one included, and records user.signedOutEverywhere; API tokens keep working', async () => {
    const landlord = await createUser('LANDLORD');
    const [here, elsewhere] = [await signIn(landlord), await signIn(landlord)];
    const { token } = await (await withCookie(here.cookie)).apiToken.create.mutate({ name: 'books' });
    expect(await (await withCookie(here.cookie)).me.signOutEverywhere.mutate()).toEqual({ sessionsEnded: 2 });

    for (const browser of [here, elsewhere]) {
      expect(await codeOf((await withCookie(browser.cookie)).me.get.query())).toBe('UNAUTHORIZED');
      expect(await canMintToken(browser.cookie)).toBe('UNAUTHORIZED');
      expect(await nextAuthAccepts(browser)).toBe(false);
    }
    expect(await (await apiAs(null, { authorization: `Bearer ${token}` })).me.get.query()).toMatchObject({ id: landlord.id });
    expect((await userEvents(landlord.id)).at(-1)).toEqual({ type: 'user.signedOutEverywhere', reason: 'ended 2 sessions' });

    // A new sign-in works as before.
    expect(await meStatus((await signIn(landlord)).cookie)).toBe(200);
  });

  it('is UNAUTHORIZED without a session', async () => {
    expect(await codeOf((await apiAs(null)).me.signOutEverywhere.mutate())).toBe('UNAUTHORIZED');
  });
});

describe('operators', () => {
  const probe = createTRPCRouter({ ping: operatorProcedure.query(({ ctx }) => ctx.user.email) });
  const callerAs = async (cookie: string | null) => probe.createCaller(await createTRPCContext({ headers: new Headers(cookie ? { cookie } : {}) }));

  it('are the accounts OPERATOR_EMAILS names, whatever their role; operatorProcedure refuses everyone else', async () => {
    const [operator, renter, landlord] = await Promise.all([createUser('RENTER'), createUser('RENTER'), createUser('LANDLORD')]);
    process.env.OPERATOR_EMAILS = ` ${operator.email.toUpperCase()} , someone@example.com`;
    resetEnvForTests();
    try {
      const operatorCookie = (await signIn(operator)).cookie;
      expect((await sessionUserFromHeaders(new Headers({ cookie: operatorCookie })))?.operator).toBe(true);
      expect(await (await callerAs(operatorCookie)).ping()).toBe(operator.email);
      for (const user of [renter, landlord]) {
        const cookie = (await signIn(user)).cookie;
        expect((await sessionUserFromHeaders(new Headers({ cookie })))?.operator).toBe(false);
        await expect((await callerAs(cookie)).ping()).rejects.toMatchObject({ code: 'FORBIDDEN' });
      }
      await expect((await callerAs(null)).ping()).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    } finally {
      delete process.env.OPERATOR_EMAILS;
      resetEnvForTests();
    }
    expect((await sessionUserFromHeaders(new Headers({ cookie: (await signIn(operator)).cookie })))?.operator).toBe(false);
  });

  it('include the demo operator in development only', async () => {
    const demo = await createUser('RENTER', { email: DEMO_OPERATOR_EMAIL });
    const cookie = (await signIn(demo)).cookie;
    expect((await sessionUserFromHeaders(new Headers({ cookie })))?.operator).toBe(false);
    const nodeEnv = process.env.NODE_ENV;
    Object.assign(process.env, { NODE_ENV: 'development' });
    resetEnvForTests();
    try {
      expect((await sessionUserFromHeaders(new Headers({ cookie })))?.operator).toBe(true);
    } finally {
      Object.assign(process.env, { NODE_ENV: nodeEnv });
      resetEnvForTests();
    }
  });
});
