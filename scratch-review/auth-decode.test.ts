import { createSecretKey, hkdfSync } from 'node:crypto';
import { EncryptJWT, base64url } from 'jose';
import { decode } from 'next-auth/jwt';
import { describe, expect, it } from 'vitest';
import { db } from '@/server/db';
import { env } from '@/server/env';
import { createUser, sessionCookie } from '@/server/testing/api';
import { decodeSessionToken, sessionUserFromHeaders } from '@/server/auth';
import { startSession } from '@/server/domain/sessions';

const key = createSecretKey(Buffer.from(hkdfSync('sha256', env.NEXTAUTH_SECRET, '', 'NextAuth.js Generated Encryption Key', 32)));
const claims = { sub: '5b0e8a5e-3c1f-4a52-9a57-0e7d4c0f9b11', sid: 'b3c1f0de-8a47-4f0e-9d0b-5a3c2e1f7a66' };
const nextAuth = (t: string) => decode({ token: t, secret: env.NEXTAUTH_SECRET }).catch(() => null);

describe('decodeSessionToken vs next-auth decode', () => {
  it('other alg/enc: next-auth accepts, ours refuses (stricter)', async () => {
    const cbc = await new EncryptJWT(claims).setProtectedHeader({ alg: 'dir', enc: 'A128CBC-HS256' }).setExpirationTime('1h').encrypt(key);
    const kw = await new EncryptJWT(claims).setProtectedHeader({ alg: 'A256KW', enc: 'A256GCM' }).setExpirationTime('1h').encrypt(key);
    for (const t of [cbc, kw]) {
      console.log('next-auth', !!(await nextAuth(t)), 'ours', !!(await decodeSessionToken(t)));
      expect(await decodeSessionToken(t)).toBeNull();
    }
  });
  it('no exp: both accept (same as next-auth)', async () => {
    const t = await new EncryptJWT(claims).setProtectedHeader({ alg: 'dir', enc: 'A256GCM' }).encrypt(key);
    expect(await nextAuth(t)).not.toBeNull();
    expect(await decodeSessionToken(t)).not.toBeNull();
  });
  it('alg none / JWS / zip: refused', async () => {
    const none = `${base64url.encode(JSON.stringify({ alg: 'none' }))}.${base64url.encode(JSON.stringify(claims))}.`;
    const zip = await new EncryptJWT(claims).setProtectedHeader({ alg: 'dir', enc: 'A256GCM', zip: 'DEF' }).encrypt(key).catch(() => null);
    expect(await decodeSessionToken(none)).toBeNull();
    console.log("zip next-auth", !!(zip && await nextAuth(zip)), "ours", !!(zip && await decodeSessionToken(zip)));
  });
  it('ended / expired session rows and foreign sub are refused', async () => {
    const user = await createUser('RENTER');
    const cookie = await sessionCookie(user);
    const h = (c: string) => new Headers({ cookie: c });
    expect(await sessionUserFromHeaders(h(cookie))).toMatchObject({ id: user.id });
    await db.session.updateMany({ where: { userId: user.id }, data: { endedAt: new Date() } });
    expect(await sessionUserFromHeaders(h(cookie))).toBeNull();
    const sid = await startSession(db, user.id);
    await db.session.update({ where: { id: sid }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const t = await new EncryptJWT({ sub: user.id, sid }).setProtectedHeader({ alg: 'dir', enc: 'A256GCM' }).encrypt(key);
    expect(await sessionUserFromHeaders(h(`next-auth.session-token=${t}`))).toBeNull();
    const other = await createUser('RENTER');
    const sid2 = await startSession(db, user.id);
    const forged = await new EncryptJWT({ sub: other.id, sid: sid2 }).setProtectedHeader({ alg: 'dir', enc: 'A256GCM' }).encrypt(key);
    expect(await sessionUserFromHeaders(h(`next-auth.session-token=${forged}`))).toBeNull();
  });
});
