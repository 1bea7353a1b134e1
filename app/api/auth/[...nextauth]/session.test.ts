// next-auth itself behind the route, against the real database: its session endpoint and its
// client log endpoint. next-auth reads the request's headers and cookies through next/headers,
// which only Next's server provides; here they are the request's own.
import { createRequire } from 'node:module';
import { NextRequest } from 'next/server';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import pg from 'pg';
import { db, disconnectDb } from '@/server/db';
import { testDatabaseUrl } from '@/server/testing/database';
import { withEnv } from '@/server/testing/env';
import { logger } from '@/server/logger';
import { createUser, sessionCookie, withDatabaseDown } from '@/server/testing/api';

import { GET, POST } from './route';

const asked: { request?: NextRequest } = {};

// next-auth asks for them with Node's require when it runs (next-auth/next/index.js).
const nextHeaders = createRequire(import.meta.url)('next/headers') as { headers: () => Promise<Headers>; cookies: () => Promise<unknown> };
beforeEach(() => {
  vi.spyOn(nextHeaders, 'headers').mockImplementation(async () => asked.request!.headers);
  vi.spyOn(nextHeaders, 'cookies').mockImplementation(async () => asked.request!.cookies);
});

async function call(method: 'GET' | 'POST', path: string, init: { cookie?: string; form?: string } = {}) {
  const request = new NextRequest(`http://localhost:3000/api/auth/${path}`, {
    method,
    headers: { ...(init.cookie ? { cookie: init.cookie } : {}), ...(init.form !== undefined ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
    body: init.form,
  });
  asked.request = request;
  return (method === 'GET' ? GET : POST)(request, { params: Promise.resolve({ nextauth: path.split('/') }) });
}

/** next-auth's CSRF pair: the cookie and the token its form sends. */
async function csrf(): Promise<{ cookie: string; token: string }> {
  const answer = await call('GET', 'csrf');
  const cookie = answer.headers.getSetCookie().map((line) => line.split(';')[0]!).find((pair) => pair.includes('csrf-token='))!;
  return { cookie, token: ((await answer.json()) as { csrfToken: string }).csrfToken };
}

/** The Set-Cookie lines that clear the session cookie. */
const clearsSession = (response: Response) => response.headers.getSetCookie().filter((line) => /session-token=;/.test(line) || /session-token=[^;]*;.*Max-Age=0/i.test(line));

afterEach(() => vi.restoreAllMocks());

describe('GET /api/auth/session', () => {
  it('answers the signed-in user for a live session, and no session (the cookie cleared) for an ended one', async () => {
    const user = await createUser('RENTER');
    const cookie = await sessionCookie(user);
    const live = await call('GET', 'session', { cookie });
    expect(live.status).toBe(200);
    expect(((await live.json()) as { user?: { id: string } }).user?.id).toBe(user.id);
    expect(clearsSession(live)).toEqual([]);

    await db.session.updateMany({ where: { userId: user.id }, data: { endedAt: new Date() } });
    const ended = await call('GET', 'session', { cookie });
    expect({ status: ended.status, body: await ended.json() }).toEqual({ status: 200, body: {} });
    expect(clearsSession(ended)).toHaveLength(1);
  });

  it('answers 503 with Retry-After while the database is away, and keeps the cookie: the session is live again after (found by a stranger: a stall signed users out)', async () => {
    const user = await createUser('LANDLORD');
    const cookie = await sessionCookie(user);
    const warn = vi.spyOn(logger, 'warn');
    const error = vi.spyOn(logger, 'error');
    await withDatabaseDown(async () => {
      const away = await call('GET', 'session', { cookie });
      // One line, the wrapper's: not next-auth's "session cookie refused" (the cookie is kept) nor an error.
      expect(warn.mock.calls.map((args) => args[1])).toEqual(['database unavailable']);
      expect(error).not.toHaveBeenCalled();
      expect(away.status).toBe(503);
      expect(Number(away.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(clearsSession(away)).toEqual([]);
      expect(await away.text()).toContain('temporarily unavailable');
    });
    const back = await call('GET', 'session', { cookie });
    expect(back.status).toBe(200);
    expect(((await back.json()) as { user?: { id: string } }).user?.id).toBe(user.id);
  });
});

describe('POST /api/auth/signout', () => {

  it('ends the session on the server; while the database is away it answers 503 and keeps the cookie, the session still live (found by a stranger: it answered signed out, and a copy of the cookie stayed live)', async () => {
    const user = await createUser('RENTER');
    const session = await sessionCookie(user);
    const { cookie, token } = await csrf();
    const form = new URLSearchParams({ csrfToken: token, callbackUrl: '/sign-in', json: 'true' }).toString();
    await withDatabaseDown(async () => {
      const away = await call('POST', 'signout', { cookie: `${session}; ${cookie}`, form });
      expect(away.status).toBe(503);
      expect(Number(away.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(clearsSession(away)).toEqual([]);
    });
    const stillLive = await call('GET', 'session', { cookie: session });
    expect(((await stillLive.json()) as { user?: { id: string } }).user?.id).toBe(user.id);

    const out = await call('POST', 'signout', { cookie: `${session}; ${cookie}`, form });
    expect(out.status).toBe(200);
    expect(clearsSession(out)).toHaveLength(1);
    const after = await call('GET', 'session', { cookie: session });
    expect(await after.json()).toEqual({});
  });
});

describe('POST /api/auth/callback/credentials', () => {
  const startsSession = (response: Response) => response.headers.getSetCookie().some((line) => /session-token=[^;]+/.test(line) && !/Max-Age=0/i.test(line));

  it('while the database is away answers 503 with Retry-After, naming SignInUnavailable for the form, and logs the outage once (it was a 401 and a "sign-in failed" error line); the same sign-in works after', async () => {
    const user = await createUser('RENTER');
    const { cookie, token } = await csrf();
    const form = (json: boolean) => new URLSearchParams({ csrfToken: token, email: user.email, password: user.password, ...(json ? { json: 'true' } : {}) }).toString();
    const warn = vi.spyOn(logger, 'warn');
    const error = vi.spyOn(logger, 'error');
    await withDatabaseDown(async () => {
      const away = await call('POST', 'callback/credentials', { cookie, form: form(true) });
      expect(away.status).toBe(503);
      expect(Number(away.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(new URL(((await away.json()) as { url: string }).url).searchParams.get('error')).toBe('SignInUnavailable');
      expect(startsSession(away)).toBe(false);
      // A form posted without JavaScript gets next-auth's redirect to the error, still followed.
      const redirected = await call('POST', 'callback/credentials', { cookie, form: form(false) });
      expect(redirected.status).toBe(302);
      expect(new URL(redirected.headers.get('location')!).searchParams.get('error')).toBe('SignInUnavailable');
    });
    expect(warn.mock.calls.map((args) => args[1])).toEqual(['database unavailable', 'database unavailable']);
    expect(error).not.toHaveBeenCalled();

    const signedIn = await call('POST', 'callback/credentials', { cookie, form: form(true) });
    expect(signedIn.status).toBe(200);
    expect(startsSession(signedIn)).toBe(true);
  });
});

describe('sign-in while a lock keeps its check waiting', () => {
  it('counts no wrong password for attempts the database could not check (found by a stranger: ten right passwords during a lock locked the account for 15 minutes)', async () => {
    const user = await createUser('RENTER');
    const { cookie: csrfCookie, token: csrfToken } = await csrf();
    const form = new URLSearchParams({ csrfToken, email: user.email, password: user.password, json: 'true' }).toString();
    const holder = new pg.Client({ connectionString: testDatabaseUrl });
    await holder.connect();
    await disconnectDb();
    try {
      await holder.query('begin');
      await holder.query('lock table "User" in access exclusive mode');
      await withEnv({ DATABASE_STATEMENT_TIMEOUT_MS: '300' }, async () => {
        try {
          for (let attempt = 0; attempt < 3; attempt++) expect((await call('POST', 'callback/credentials', { cookie: csrfCookie, form })).status).toBe(503);
        } finally {
          await disconnectDb();
        }
      });
    } finally {
      await holder.query('rollback');
      await holder.end();
    }
    const counts = await db.rateLimit.findMany({ where: { key: { startsWith: 'sign-in:email' }, AND: { key: { contains: user.email } } }, select: { key: true, count: true } });
    expect(counts.map((row) => row.count)).toEqual([0, 0]);
    expect((await call('POST', 'callback/credentials', { cookie: csrfCookie, form })).status).toBe(200);
  });
});

describe('POST /api/auth/_log', () => {
  it('is 204 and writes nothing to the server log, whatever is sent (found by a stranger: each call was an error line, forged text and stacks included)', async () => {
    const error = vi.spyOn(logger, 'error');
    const warn = vi.spyOn(logger, 'warn');
    for (const form of ['level=x', 'level=error&code=FORGED&message=ledger%20out%20of%20balance', 'level=__proto__', '']) {
      const answer = await call('POST', '_log', { form });
      expect({ form, status: answer.status, body: await answer.text() }).toEqual({ form, status: 204, body: '' });
    }
    expect(error).not.toHaveBeenCalled();
    expect(warn).not.toHaveBeenCalled();
  });
});
