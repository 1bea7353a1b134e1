// The credentials check next-auth runs on sign-in (the full browser flow is in e2e/auth.spec.ts:
// next-auth's route handler needs the Next server around it).
import { describe, expect, it } from 'vitest';
import type { CredentialsConfig } from 'next-auth/providers/credentials';
import { db } from '@/server/db';
import { apiAs, codeOf, createUser } from '@/server/testing/api';
import { handleApiRequest } from '@/server/request-context';
import { LIMITS } from '@/server/domain/rate-limit';
import { decode, encode } from 'next-auth/jwt';
import { env } from '@/server/env';
import { withEnv } from '@/server/testing/env';
import { DEMO_USERS } from '@/server/domain/demo';
import { changePassword, demoUsersOnPublicPasswords, lockPublicDemoAccounts, signUp } from '@/server/domain/users';
import { liveSessionOwner, startSession } from '@/server/domain/sessions';
import { actorForApiToken, createApiToken } from '@/server/domain/api-tokens';
import { authOptions, decodeSessionToken, nextAuthLogger, safeRedirect, SIGN_IN_RATE_LIMITED } from './auth';
import { captureLogs } from '@/server/logger';

/** `forwardedFor` is the X-Forwarded-For header as the app receives it: its rightmost entry is the socket peer. */
function authorize(email: string, password: string, forwardedFor = '192.0.2.10') {
  const provider = authOptions().providers[0] as unknown as { options: CredentialsConfig };
  return provider.options.authorize({ email, password }, { headers: { 'x-forwarded-for': forwardedFor } } as never);
}

describe('demo accounts left by an earlier start', () => {
  it('are named while they keep their public passwords, and refused sign-in with them unless the demo accounts are on', async () => {
    const [landlord, renter] = DEMO_USERS;
    for (const demo of [landlord, renter]) await signUp(db, demo, { demo: true });
    const renterId = (await db.user.findUniqueOrThrow({ where: { email: renter.email } })).id;
    await changePassword(db, { id: renterId, role: 'RENTER' }, { currentPassword: renter.password, newPassword: 'a private renter password' }, null);

    expect((await demoUsersOnPublicPasswords(db)).map((user) => user.email)).toEqual([landlord.email]);

    // `npm start` (production) with DIRECTPAY_DEMO_SEED unset or false: the public password no longer opens the account.
    for (const setting of [undefined, 'false', '0']) {
      await withEnv({ NODE_ENV: 'production', SMTP_URL: 'smtp://127.0.0.1:2525', DIRECTPAY_DEMO_SEED: setting }, async () => {
        expect(await authorize(landlord.email, landlord.password, '192.0.2.40')).toBeNull();
        expect(await authorize(renter.email, 'a private renter password', '192.0.2.40')).toMatchObject({ id: renterId });
      });
    }
    // Asked for (the e2e suite), and in development by default, it does.
    await withEnv({ NODE_ENV: 'production', SMTP_URL: 'smtp://127.0.0.1:2525', DIRECTPAY_DEMO_SEED: 'true' }, async () => {
      expect(await authorize(landlord.email, landlord.password, '192.0.2.41')).toMatchObject({ email: landlord.email });
    });
    await withEnv({ NODE_ENV: 'development', DIRECTPAY_DEMO_SEED: undefined }, async () => {
      expect(await authorize(landlord.email, landlord.password, '192.0.2.42')).toMatchObject({ email: landlord.email });
    });
    // Turned off in development, too.
    await withEnv({ NODE_ENV: 'development', DIRECTPAY_DEMO_SEED: 'false' }, async () => {
      expect(await authorize(landlord.email, landlord.password, '192.0.2.43')).toBeNull();
    });
  });

  it('cannot have their password changed with the public one while the demo users are off (found by a stranger: a session from before took the account over)', async () => {
    const [landlord] = DEMO_USERS;
    const existing = await db.user.findUnique({ where: { email: landlord.email } });
    const { id } = existing ?? (await signUp(db, landlord, { demo: true }));
    const change = () => changePassword(db, { id, role: 'LANDLORD' }, { currentPassword: landlord.password, newPassword: 'a takeover passphrase 77' }, null);
    await withEnv({ NODE_ENV: 'production', SMTP_URL: 'smtp://127.0.0.1:2525', DIRECTPAY_DEMO_SEED: 'false' }, async () => {
      await expect(change()).rejects.toThrow('Your current password is not right');
    });
    expect((await demoUsersOnPublicPasswords(db)).map((user) => user.email)).toContain(landlord.email);
  });

  it('lose their sessions and API tokens at a start with the demo users off, while on the public password; a changed password keeps its own', async () => {
    const [, , operator] = DEMO_USERS;
    const accounts = [];
    for (const demo of [operator]) accounts.push(await signUp(db, demo, { demo: true }));
    const owned = await createUser('RENTER');
    const opened = async (userId: string) => ({
      session: await startSession(db, userId),
      token: (await createApiToken(db, { id: userId, role: 'RENTER' }, { name: 'script', scope: 'READ', expiresInDays: 30 })).token,
    });
    const operatorId = accounts[0]!.id;
    const operatorOpen = [await opened(operatorId), await opened(operatorId)];
    const ownOpen = await opened(owned.id);

    const locked = await lockPublicDemoAccounts(db);
    expect(locked.filter((entry) => entry.email === operator.email)).toEqual([{ email: operator.email, sessionsEnded: 2, tokensRevoked: 2 }]);
    expect(locked.map((entry) => entry.email)).not.toContain(owned.email);
    for (const { session, token } of operatorOpen) {
      expect(await liveSessionOwner(db, session, operatorId)).toBeNull();
      expect(await actorForApiToken(db, token)).toBeNull();
    }
    expect(await liveSessionOwner(db, ownOpen.session, owned.id)).not.toBeNull();
    expect(await actorForApiToken(db, ownOpen.token)).toMatchObject({ id: owned.id });
    // Again: nothing left to end.
    expect((await lockPublicDemoAccounts(db)).filter((entry) => entry.email === operator.email)).toEqual([{ email: operator.email, sessionsEnded: 0, tokensRevoked: 0 }]);
  });
});

describe('sign-in credentials', () => {
  it('answer the user for the right password, and nothing for a wrong password or unknown email', async () => {
    const user = await createUser('LANDLORD');
    expect(await authorize(user.email.toUpperCase(), user.password)).toEqual({ id: user.id, email: user.email, name: user.name, role: 'LANDLORD' });
    expect(await authorize(user.email, 'not the password')).toBeNull();
    expect(await authorize('nobody@example.com', 'whatever it is')).toBeNull();
    expect(await authorize('not an email', 'x')).toBeNull();
  });

  it('stop password guessing per email and client: the guesser is locked out, the owner elsewhere is not', async () => {
    const user = await createUser('RENTER');
    for (let i = 0; i < 10; i++) expect(await authorize(user.email, `guess number ${i}`, '198.51.100.7')).toBeNull();
    // Even the right password is refused from the guesser's address for a while…
    await expect(authorize(user.email, user.password, '198.51.100.7')).rejects.toThrow(SIGN_IN_RATE_LIMITED);
    // …and the owner, from anywhere else, signs in.
    expect(await authorize(user.email, user.password, '203.0.113.20')).toMatchObject({ id: user.id });
  });

  it('count wrong passwords only: the owner signing in often from one client is never locked out, and guesses still are (found by a tester: ten good sign-ins locked an operator out)', async () => {
    const user = await createUser('RENTER');
    const lock = LIMITS.signInPerEmailAndClient(user.email, '198.51.100.30');
    for (let i = 0; i < 12; i++) expect(await authorize(user.email, user.password, '198.51.100.30')).toMatchObject({ id: user.id });
    const count = async () => (await db.rateLimit.findUnique({ where: { key: lock.key } }))?.count;
    expect(await count()).toBe(0);
    for (let i = 0; i < 10; i++) expect(await authorize(user.email, `guess number ${i}`, '198.51.100.30')).toBeNull();
    expect(await count()).toBe(10);
    await expect(authorize(user.email, user.password, '198.51.100.30')).rejects.toThrow(SIGN_IN_RATE_LIMITED);
    // A refused attempt is not refunded: the lock holds.
    expect(await count()).toBe(11);
  });

  it('a made-up X-Forwarded-For entry buys no fresh allowance: the socket peer (rightmost) is the client', async () => {
    const user = await createUser('RENTER');
    for (let i = 0; i < 10; i++) expect(await authorize(user.email, `guess ${i}`, `10.9.8.${i}, 198.51.100.8`)).toBeNull();
    await expect(authorize(user.email, 'guess 11', '172.16.99.99, 198.51.100.8')).rejects.toThrow(SIGN_IN_RATE_LIMITED);
  });

  it('malformed credentials are refused without counting against any sign-in limit', async () => {
    const address = '198.51.100.44';
    const rows = () => db.rateLimit.findMany({ where: { key: { contains: address } } });
    for (const [email, password] of [['not an email', 'a password'], ['ada@example.com', ''], ['ada@example.com', 'x'.repeat(257)], ['', '']]) {
      expect(await authorize(email!, password!, address)).toBeNull();
    }
    expect(await rows()).toEqual([]);
    expect(await authorize('ada@example.com', 'a password', address)).toBeNull();
    expect((await rows()).map((row) => row.count)).toEqual([1, 1]);
  });

  it('stop a flood of sign-ins from one address, right or wrong and over any emails, at SIGN_INS_PER_ADDRESS_PER_15_MINUTES (50; the e2e suite raises it)', async () => {
    const [first, second] = [await createUser('RENTER'), await createUser('LANDLORD')];
    await withEnv({ SIGN_INS_PER_ADDRESS_PER_15_MINUTES: '3' }, async () => {
      expect(LIMITS.signInPerAddress('198.51.100.61')?.max).toBe(3);
      expect(await authorize(first.email, first.password, '198.51.100.61')).toMatchObject({ id: first.id });
      expect(await authorize(second.email, 'a wrong one', '198.51.100.61')).toBeNull();
      expect(await authorize(second.email, second.password, '198.51.100.61')).toMatchObject({ id: second.id });
      // A fourth, even right: not from this address for now; from another, yes.
      await expect(authorize(first.email, first.password, '198.51.100.61')).rejects.toThrow(SIGN_IN_RATE_LIMITED);
      expect(await authorize(first.email, first.password, '198.51.100.62')).toMatchObject({ id: first.id });
    });
    expect(LIMITS.signInPerAddress('198.51.100.61')?.max).toBe(50);
  });

  it('a higher per-email ceiling over all clients stops guessing from many addresses', async () => {
    const user = await createUser('RENTER');
    const ceiling = LIMITS.signInPerEmail(user.email);
    // Many addresses have used up the email's ceiling (each within its own per-client allowance).
    await db.rateLimit.create({ data: { key: ceiling.key, count: ceiling.max, resetAt: new Date(Date.now() + 600_000) } });
    await expect(authorize(user.email, user.password, '203.0.113.21')).rejects.toThrow(SIGN_IN_RATE_LIMITED);
  });

  it('a rate-limited sign-in answers Retry-After', async () => {
    const user = await createUser('RENTER');
    const limit = LIMITS.signInPerEmailAndClient(user.email, '198.51.100.9');
    await db.rateLimit.create({ data: { key: limit.key, count: limit.max, resetAt: new Date(Date.now() + 300_000) } });
    const response = await handleApiRequest(new Request('http://localhost:3000/api/auth/callback/credentials', { method: 'POST' }), async () => {
      await expect(authorize(user.email, user.password, '198.51.100.9')).rejects.toThrow(SIGN_IN_RATE_LIMITED);
      return new Response(null, { status: 302, headers: { location: '/sign-in?error=TooManyAttempts' } });
    });
    expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(290);
    expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('limit sign-ups from one address to 20 an hour', async () => {
    const api = await apiAs(null, { 'x-forwarded-for': '203.0.113.50' });
    for (let i = 0; i < 20; i++) {
      await api.auth.signUp.mutate({ name: `Bulk ${i}`, email: `bulk-${i}-${Date.now()}@example.com`, password: 'a long enough password', role: 'RENTER' });
    }
    const next = { name: 'One more', email: `more-${Date.now()}@example.com`, password: 'a long enough password', role: 'RENTER' as const };
    expect(await codeOf(api.auth.signUp.mutate(next))).toBe('TOO_MANY_REQUESTS');
    expect(await codeOf((await apiAs(null, { 'x-forwarded-for': '203.0.113.51' })).auth.signUp.mutate(next))).toBe('OK');
    // A call that did not come through the HTTP server carries no address to count by.
    expect(await codeOf((await apiAs(null)).auth.signUp.mutate({ ...next, email: `direct-${Date.now()}@example.com` }))).toBe('OK');
  });
});

describe('the redirect after signing in or out', () => {
  const baseUrl = 'http://localhost:3000';
  it.each([
    ['a path of this site', '/renter/payments?x=1', 'http://localhost:3000/renter/payments?x=1'],
    ['a URL of this site', 'http://localhost:3000/landlord', 'http://localhost:3000/landlord'],
    ['a URL that does not parse', 'http://[::1', 'http://localhost:3000/'],
    ['another site', 'https://evil.example/phish', 'http://localhost:3000/'],
    ['a protocol-relative URL', '//evil.example/x', 'http://localhost:3000/'],
    ['a backslash trick', '/\\evil.example', 'http://localhost:3000/'],
    ['javascript:', 'javascript:alert(1)', 'http://localhost:3000/'],
    ['another port', 'http://localhost:3001/', 'http://localhost:3000/'],
  ])('%s', (_label, url, expected) => {
    expect(safeRedirect({ url, baseUrl })).toBe(expected);
  });
});

describe('the session cookie', () => {
  const claims = { sub: '5b0e8a5e-3c1f-4a52-9a57-0e7d4c0f9b11', email: 'remy@example.com', name: 'Remy', role: 'RENTER' as const, sid: 'b3c1f0de-8a47-4f0e-9d0b-5a3c2e1f7a66' };

  it('decodes what next-auth encodes to the same claims next-auth reads, with the key derived once', async () => {
    const token = await encode({ token: claims, secret: env.NEXTAUTH_SECRET });
    const ours = await decodeSessionToken(token);
    expect(ours).toEqual(await decode({ token, secret: env.NEXTAUTH_SECRET }));
    expect(ours).toMatchObject(claims);
    // A second cookie decodes with the same (kept) key.
    const other = await encode({ token: { ...claims, name: 'Remy B' }, secret: env.NEXTAUTH_SECRET });
    expect(await decodeSessionToken(other)).toMatchObject({ name: 'Remy B' });
  });

  it('refuses, as next-auth does, a cookie of another secret, a changed one, an expired one and garbage', async () => {
    const foreign = await encode({ token: claims, secret: 'another secret that is long enough to be one' });
    const token = await encode({ token: claims, secret: env.NEXTAUTH_SECRET });
    const parts = token.split('.');
    const ciphertext = parts[3]!;
    parts[3] = (ciphertext[0] === 'A' ? 'B' : 'A') + ciphertext.slice(1);
    const changed = parts.join('.');
    // Expired a minute ago: past next-auth's 15 s clock tolerance.
    const expired = await encode({ token: claims, secret: env.NEXTAUTH_SECRET, maxAge: -60 });
    for (const bad of [foreign, changed, expired, 'not.a.token', '']) {
      expect(await decodeSessionToken(bad)).toBeNull();
      expect(await decode({ token: bad, secret: env.NEXTAUTH_SECRET }).catch(() => null)).toBeNull();
    }
  });
});

describe("next-auth's log lines", () => {
  it('a session cookie that does not decrypt is one warn line without a stack (it was an error with a stack of server paths each time); other errors stay errors', () => {
    const lines: Record<string, unknown>[] = [];
    const restore = captureLogs(lines);
    try {
      nextAuthLogger.error('JWT_SESSION_ERROR', { error: new Error('Invalid Compact JWE'), message: 'Invalid Compact JWE' });
      nextAuthLogger.error('SIGNIN_OAUTH_ERROR', new Error('boom'));
    } finally {
      restore();
    }
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({ level: 'warn', code: 'JWT_SESSION_ERROR', reason: 'Invalid Compact JWE', msg: 'session cookie refused' });
    expect(JSON.stringify(lines[0])).not.toContain('stack');
    expect(lines[1]).toMatchObject({ level: 'error', code: 'SIGNIN_OAUTH_ERROR', msg: 'next-auth error', err: { message: 'boom' } });
    expect(authOptions().logger).toBe(nextAuthLogger);
  });
});
