import { describe, expect, it } from 'vitest';
import { apiAs, codeOf, createUser, errorOf, routeFetch, sessionCookie } from '@/server/testing/api';
import { db } from '@/server/db';
import { DEMO_USERS } from '@/server/domain/demo';
import { encode } from 'next-auth/jwt';
import { env } from '@/server/env';

const valid = { name: 'Ada Owner', email: 'Ada.Owner@Example.COM ', password: 'a long enough password', role: 'LANDLORD' as const };

describe('auth.signUp', () => {
  it('creates a user with a normalized email and an argon2id hash, returning no secret', async () => {
    const api = await apiAs(null);
    const user = await api.auth.signUp.mutate(valid);
    expect(user).toEqual({ id: expect.any(String), email: 'ada.owner@example.com', name: 'Ada Owner', role: 'LANDLORD' });
    const stored = await db.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(stored.passwordHash).toMatch(/^\$argon2id\$/);
  });

  it('answers CONFLICT for a taken email whatever its case, without saying anything about the password', async () => {
    const api = await apiAs(null);
    await api.auth.signUp.mutate({ ...valid, email: 'taken@example.com' });
    const error = await errorOf(api.auth.signUp.mutate({ ...valid, email: 'TAKEN@example.com', password: 'a different password' }));
    expect(error.data?.code).toBe('CONFLICT');
    expect(error.message).toBe('An account with this email already exists; sign in instead');
    expect(await db.user.count({ where: { email: 'taken@example.com' } })).toBe(1);
  });

  const bad: [string, Record<string, unknown>, string][] = [
    ['a malformed email', { ...valid, email: 'not-an-email' }, 'email'],
    ['a short password', { ...valid, password: 'short' }, 'password'],
    ['an unknown role', { ...valid, role: 'ADMIN' }, 'role'],
    ['a 512 KB name', { ...valid, name: 'x'.repeat(512 * 1024) }, 'name'],
    ['a demo password', { ...valid, password: DEMO_USERS[0].password }, 'password'],
    ['the email as password', { ...valid, email: 'someone.long@example.com', password: 'someone.long@example.com' }, 'password'],
  ];
  it.each(bad)('rejects %s with BAD_REQUEST and a field error, writing nothing', async (_label, input, field) => {
    const before = await db.user.count();
    const api = await apiAs(null);
    const error = await errorOf(api.auth.signUp.mutate(input as typeof valid));
    expect(error.data?.code).toBe('BAD_REQUEST');
    expect(error.data?.fieldErrors?.[field]?.length).toBeGreaterThan(0);
    expect(await db.user.count()).toBe(before);
  });

  it('rejects extra fields with BAD_REQUEST', async () => {
    const api = await apiAs(null);
    const error = await errorOf(api.auth.signUp.mutate({ ...valid, email: 'extra@example.com', isAdmin: true } as typeof valid));
    expect(error.data?.code).toBe('BAD_REQUEST');
    expect(error.message).toContain('isAdmin');
    expect(error.data?.fieldErrors).toMatchObject({ isAdmin: ['is not a known field'] });
  });

  it('answers BAD_REQUEST, not a 500, for a body that is not JSON', async () => {
    const response = await routeFetch('http://localhost:3000/api/trpc/auth.signUp', { method: 'POST', body: '{not json', headers: { 'content-type': 'application/json' } });
    expect(response.status).toBe(400);
  });
});

describe('me.get and the procedure guards', () => {
  it('returns the signed-in user', async () => {
    const renter = await createUser('RENTER');
    const api = await apiAs(renter);
    expect(await api.me.get.query()).toEqual({ id: renter.id, email: renter.email, name: renter.name, role: 'RENTER', emailVerified: true });
  });

  it('is UNAUTHORIZED without a session cookie', async () => {
    expect(await codeOf((await apiAs(null)).me.get.query())).toBe('UNAUTHORIZED');
  });

  it('is UNAUTHORIZED with a tampered session cookie', async () => {
    const renter = await createUser('RENTER');
    const cookie = await sessionCookie(renter);
    const tampered = cookie.slice(0, -6) + (cookie.endsWith('AAAAAA') ? 'BBBBBB' : 'AAAAAA');
    const response = await routeFetch('http://localhost:3000/api/trpc/me.get', { headers: { cookie: tampered } });
    expect(response.status).toBe(401);
  });

  it('is UNAUTHORIZED when the session belongs to a user that does not exist', async () => {
    const claims = { sub: '00000000-0000-4000-8000-000000000000', email: 'ghost@example.com', name: 'Ghost', role: 'RENTER' as const, sid: '00000000-0000-4000-8000-000000000001' };
    const api = await apiAs(null, { cookie: `next-auth.session-token=${await encode({ token: claims, secret: env.NEXTAUTH_SECRET })}` });
    expect(await codeOf(api.me.get.query())).toBe('UNAUTHORIZED');
  });
});
