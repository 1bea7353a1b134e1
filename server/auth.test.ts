// The credentials check next-auth runs on sign-in (the full browser flow is in e2e/auth.spec.ts:
// next-auth's route handler needs the Next server around it).
import { describe, expect, it } from 'vitest';
import type { CredentialsConfig } from 'next-auth/providers/credentials';
import { apiAs, codeOf, createUser } from '@/server/testing/api';
import { authOptions, SIGN_IN_RATE_LIMITED } from './auth';

function authorize(email: string, password: string, address = '192.0.2.10') {
  const provider = authOptions().providers[0] as unknown as { options: CredentialsConfig };
  return provider.options.authorize({ email, password }, { headers: { 'x-forwarded-for': address } } as never);
}

describe('sign-in credentials', () => {
  it('answer the user for the right password, and nothing for a wrong password or unknown email', async () => {
    const user = await createUser('LANDLORD');
    expect(await authorize(user.email.toUpperCase(), user.password)).toEqual({ id: user.id, email: user.email, name: user.name, role: 'LANDLORD' });
    expect(await authorize(user.email, 'not the password')).toBeNull();
    expect(await authorize('nobody@example.com', 'whatever it is')).toBeNull();
    expect(await authorize('not an email', 'x')).toBeNull();
  });

  it('stop password guessing: after 10 attempts for one email, even the right password is refused for a while', async () => {
    const user = await createUser('RENTER');
    for (let i = 0; i < 10; i++) expect(await authorize(user.email, `guess number ${i}`, `198.51.100.${i}`)).toBeNull();
    await expect(authorize(user.email, user.password, '198.51.100.99')).rejects.toThrow(SIGN_IN_RATE_LIMITED);
  });

  it('limit sign-ups from one address to 20 an hour', async () => {
    const api = await apiAs(null, { 'x-forwarded-for': '203.0.113.50' });
    for (let i = 0; i < 20; i++) {
      await api.auth.signUp.mutate({ name: `Bulk ${i}`, email: `bulk-${i}-${Date.now()}@example.com`, password: 'a long enough password', role: 'RENTER' });
    }
    const next = { name: 'One more', email: `more-${Date.now()}@example.com`, password: 'a long enough password', role: 'RENTER' as const };
    expect(await codeOf(api.auth.signUp.mutate(next))).toBe('TOO_MANY_REQUESTS');
    expect(await codeOf((await apiAs(null, { 'x-forwarded-for': '203.0.113.51' })).auth.signUp.mutate(next))).toBe('OK');
    // Without a proxy's X-Forwarded-For there is no address to count by.
    expect(await codeOf((await apiAs(null)).auth.signUp.mutate({ ...next, email: `direct-${Date.now()}@example.com` }))).toBe('OK');
  });
});
