// Attack probes on server/http-semantics.ts (today's 405/415/HEAD/exact-path rules) through the
// real /api/trpc and /api/v1 route handlers, against the real database.
//
// FIXED tests hold what a stranger's attack found (they failed before the fix); HELD tests
// record what was tried and did not break.
import { describe, expect, it } from 'vitest';
import superjson from 'superjson';
import * as restRoute from '@/app/api/v1/[...path]/route';
import { createUser, routeFetch, sessionCookie } from '@/server/testing/api';
import { payingRenter } from '@/server/testing/payments';
import { db } from '@/server/db';

const BASE = 'http://localhost:3000';

/** What a signed-in user's cross-site "simple request" could change: live sessions, read notices, name. */
async function stateOf(userId: string) {
  return {
    liveSessions: await db.session.count({ where: { userId, endedAt: null } }),
    user: await db.user.findUniqueOrThrow({ where: { id: userId }, select: { name: true, updatedAt: true } }),
    readNotices: await db.notification.count({ where: { userId, readAt: { not: null } } }),
    outbox: await db.event.count(),
  };
}

/** A POST as a browser sends it for a cross-site form / no-cors fetch: a CORS-safelisted type, no body. */
async function simplePost(path: string, cookie: string, contentType: string) {
  const response = await routeFetch(`${BASE}/api/trpc/${path}`, { method: 'POST', headers: { cookie, 'content-type': contentType, origin: 'https://evil.example' } });
  return { status: response.status, body: await response.text() };
}

describe('FIXED (CSRF): a change signed in by the cookie that a browser says comes from another site is refused', () => {
  // A page on another origin (or a sibling subdomain the SameSite=Lax cookie still reaches) can
  // send these without a preflight: <form method=post enctype=text/plain> with no fields, or
  // fetch(url, { method: 'POST', mode: 'no-cors', credentials: 'include' }), with or without a
  // CORS-safelisted Content-Type. crossSiteCookieWrite (server/http-semantics.ts) refuses them.
  it.each(['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x'])(
    'me.signOutEverywhere (a sessionProcedure) with Content-Type %s, no body, from another origin is 403 and ends no session',
    async (contentType) => {
      const user = await createUser('RENTER');
      const cookie = await sessionCookie(user);
      await sessionCookie(user); // the victim's other browser
      const before = await stateOf(user.id);
      const answer = await simplePost('me.signOutEverywhere', cookie, contentType);
      expect({ status: answer.status, state: await stateOf(user.id) }, answer.body).toEqual({ status: 403, state: before });
      expect(JSON.parse(answer.body)).toMatchObject({ error: { json: { data: { code: 'FORBIDDEN' } } } });
    },
  );

  it('a batch of the three no-input mutations (signOutEverywhere, markAllRead, sendVerificationEmail) as one text/plain empty POST from another origin is 403', async () => {
    const user = await createUser('RENTER', { verified: false });
    const cookie = await sessionCookie(user);
    const before = await stateOf(user.id);
    const answer = await simplePost('notification.markAllRead,me.sendVerificationEmail,me.signOutEverywhere?batch=1', cookie, 'text/plain');
    expect({ status: answer.status, state: await stateOf(user.id) }, answer.body).toEqual({ status: 403, state: before });
  });

  it('whatever the headers say about the site: no Content-Type (a no-cors fetch), Origin "null", Sec-Fetch-Site cross-site or same-site; /api/v1 too', async () => {
    const user = await createUser('RENTER');
    const cookie = await sessionCookie(user);
    const before = await stateOf(user.id);
    for (const headers of [
      { origin: 'https://evil.example' },
      { origin: 'null' },
      { origin: 'http://localhost:3001' },
      { 'sec-fetch-site': 'cross-site' },
      { 'sec-fetch-site': 'same-site' },
    ] as Record<string, string>[]) {
      const answer = await routeFetch(`${BASE}/api/trpc/notification.markAllRead`, { method: 'POST', headers: { cookie, ...headers } });
      expect(answer.status, JSON.stringify(headers)).toBe(403);
    }
    const rest = await restRoute.POST(new Request(`${BASE}/api/v1/payments/${crypto.randomUUID()}/cancel`, { method: 'POST', headers: { cookie, origin: 'https://evil.example' } }));
    expect(rest.status).toBe(403);
    expect(await stateOf(user.id)).toEqual(before);
  });

  it('the portal’s own pages (same origin, Sec-Fetch-Site same-origin) and a program without a browser still work', async () => {
    const user = await createUser('RENTER');
    const cookie = await sessionCookie(user);
    const call = (headers: Record<string, string>) => routeFetch(`${BASE}/api/trpc/notification.markAllRead`, { method: 'POST', headers: { cookie, 'content-type': 'application/json', ...headers }, body: '{}' });
    expect((await call({ origin: BASE, 'sec-fetch-site': 'same-origin' })).status).toBe(200);
    expect((await call({ origin: 'http://LOCALHOST:3000' })).status).toBe(200);
    expect((await call({ 'sec-fetch-site': 'same-origin' })).status).toBe(200);
    expect((await call({ 'sec-fetch-site': 'none' })).status).toBe(200);
    expect((await call({})).status).toBe(200);
    // From the portal's own origin an empty body carries no input, whatever type it is labelled.
    const typed = await routeFetch(`${BASE}/api/trpc/notification.markAllRead`, { method: 'POST', headers: { cookie, origin: BASE, 'content-type': 'text/plain' } });
    expect(typed.status).toBe(200);
  });
});

describe('HELD: media types on /api/trpc (a body that is there must be application/json in UTF-8)', () => {
  it('latin1/utf-16 charsets, a list of types, a duplicated header, +json and multipart with a body are 415 and change nothing', async () => {
    const user = await createUser('RENTER');
    const cookie = await sessionCookie(user);
    const before = await stateOf(user.id);
    const body = JSON.stringify(superjson.serialize({ name: 'Mallory Changed' }));
    for (const contentType of [
      'application/json;charset=latin1',
      'application/json; charset=utf-16',
      'application/json;charset=utf-8;charset=latin1',
      'application/json, text/plain',
      'text/plain, application/json',
      'application/merge-patch+json',
      'text/json',
      'application/json-seq',
    ]) {
      const response = await routeFetch(`${BASE}/api/trpc/me.updateName`, { method: 'POST', headers: { cookie, 'content-type': contentType }, body });
      expect(response.status, contentType).toBe(415);
      const text = await response.text();
      expect(text).not.toMatch(/at .*\.(ts|js):\d+|node_modules|\/work\//);
    }
    const headers = new Headers({ cookie });
    headers.append('content-type', 'application/json');
    headers.append('content-type', 'application/json');
    expect((await routeFetch(`${BASE}/api/trpc/me.updateName`, { method: 'POST', headers, body })).status).toBe(415);
    expect(await stateOf(user.id)).toEqual(before);
  });

  it('a whitespace-only body is not "empty": with text/plain it is 415', async () => {
    const user = await createUser('RENTER');
    const cookie = await sessionCookie(user);
    const before = await stateOf(user.id);
    const response = await routeFetch(`${BASE}/api/trpc/me.signOutEverywhere`, { method: 'POST', headers: { cookie, 'content-type': 'text/plain' }, body: ' ' });
    expect(response.status).toBe(415);
    expect(await stateOf(user.id)).toEqual(before);
  });
});

describe('FIXED (helper-57): a body that is not UTF-8, and a query parameter given twice, are 400 on both doors', () => {
  it('invalid UTF-8 in a JSON body is refused, not stored as U+FFFD; the same name in UTF-8 (a BOM too) is taken', async () => {
    const user = await createUser('RENTER');
    const cookie = await sessionCookie(user);
    const before = await stateOf(user.id);
    const json = (name: string) => Buffer.from(JSON.stringify(superjson.serialize({ name })), 'utf8');
    // "Ren\xe9e": latin-1's é inside a UTF-8 body; a lone continuation byte; a cut-off 3-byte sequence.
    for (const bad of [Buffer.from([0xe9]), Buffer.from([0x80]), Buffer.from([0xe2, 0x82])]) {
      const [head, tail] = json('Ren@e').toString('utf8').split('@') as [string, string];
      const body = Buffer.concat([Buffer.from(head, 'utf8'), bad, Buffer.from(tail, 'utf8')]);
      const response = await routeFetch(`${BASE}/api/trpc/me.updateName`, { method: 'POST', headers: { cookie, 'content-type': 'application/json', origin: BASE }, body });
      expect(response.status).toBe(400);
      expect(await response.text()).toContain('The body is not valid UTF-8');
    }
    expect(await stateOf(user.id)).toEqual(before);
    const good = await routeFetch(`${BASE}/api/trpc/me.updateName`, { method: 'POST', headers: { cookie, 'content-type': 'application/json', origin: BASE }, body: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), json('Renée')]) });
    expect(good.status, await good.clone().text()).toBe(200);
    expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).name).toBe('Renée');
  });

  it('?input= twice on /api/trpc is 400 naming it, as on /api/v1 (the second was read silently)', async () => {
    const user = await createUser('RENTER');
    const cookie = await sessionCookie(user);
    const input = (value: unknown) => encodeURIComponent(JSON.stringify(superjson.serialize(value)));
    const response = await routeFetch(`${BASE}/api/trpc/payment.list?input=${input({ limit: 5 })}&input=${input({ limit: 6 })}`, { headers: { cookie } });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('Invalid input: input: give it once');
    expect((await routeFetch(`${BASE}/api/trpc/payment.list?input=${input({ limit: 5 })}`, { headers: { cookie } })).status).toBe(200);
  });
});

describe('HELD: methods on /api/trpc', () => {
  it('a mutation cannot be reached by GET, HEAD, a percent-encoded name, a method-override header or a mixed batch', async () => {
    const user = await createUser('RENTER');
    const cookie = await sessionCookie(user);
    const before = await stateOf(user.id);
    const input = encodeURIComponent(JSON.stringify(superjson.serialize({ name: 'Mallory Changed' })));
    const batchInput = encodeURIComponent(JSON.stringify({ 1: superjson.serialize({ name: 'Mallory Changed' }) }));
    const tries: [string, string, RequestInit][] = [
      ['GET mutation', `me.updateName?input=${input}`, { headers: { cookie } }],
      ['HEAD mutation', `me.updateName?input=${input}`, { method: 'HEAD', headers: { cookie } }],
      ['GET encoded name', `me%2EupdateName?input=${input}`, { headers: { cookie } }],
      ['GET encoded no-input mutation', 'me%2EsignOutEverywhere', { headers: { cookie } }],
      ['HEAD encoded no-input mutation', 'me%2EsignOutEverywhere', { method: 'HEAD', headers: { cookie } }],
      ['GET mixed batch', `me.get,me.updateName?batch=1&input=${batchInput}`, { headers: { cookie } }],
      ['HEAD mixed batch', `me.get,me.signOutEverywhere?batch=1`, { method: 'HEAD', headers: { cookie } }],
      ['GET with x-http-method-override', `me.signOutEverywhere`, { headers: { cookie, 'x-http-method-override': 'POST', 'x-method-override': 'POST' } }],
      ['GET ?_method=POST', `me.signOutEverywhere?_method=POST`, { headers: { cookie } }],
      ['PUT', `me.signOutEverywhere`, { method: 'PUT', headers: { cookie, 'content-type': 'application/json' }, body: '{}' }],
      ['DELETE', `me.signOutEverywhere`, { method: 'DELETE', headers: { cookie } }],
      ['PATCH', `me.updateName`, { method: 'PATCH', headers: { cookie, 'content-type': 'application/json' }, body: decodeURIComponent(input) }],
    ];
    for (const [label, path, init] of tries) {
      const response = await routeFetch(`${BASE}/api/trpc/${path}`, init);
      expect([400, 405], `${label}: ${response.status}`).toContain(response.status);
    }
    expect(await stateOf(user.id)).toEqual(before);
  });
});

describe('HELD: /api/v1 paths, methods and media types', () => {
  async function rest(method: string, path: string, headers: Record<string, string>, body?: string) {
    const handler = (restRoute as unknown as Record<string, ((request: Request) => Promise<Response>) | undefined>)[method];
    const response = handler ? await handler(new Request(`${BASE}/api/v1${path}`, { method, headers, body })) : new Response(null, { status: 405 });
    const text = await response.text();
    return { status: response.status, text };
  }

  it('path tricks: only the written path (with at most one trailing slash) is served; nothing pays', async () => {
    const setup = await payingRenter();
    const { token } = await setup.renterApi.apiToken.create.mutate({ name: 'probe', scope: 'WRITE' });
    const auth = { authorization: `Bearer ${token}` };
    const pay = JSON.stringify({ installmentId: setup.lease.installments[0]!.id, fromAccountId: setup.from.id, rail: 'RTP' });
    const json = { ...auth, 'content-type': 'application/json' };
    const before = await db.payment.count({ where: { renterId: setup.renter.id } });
    for (const path of ['//payments', '/payments//', '/payments%2F', '/Payments', '/PAYMENTS', '/payment%73', '/payments.', '/payments%20', '/paymentſ', '/payments;x', '/payments\u212A']) {
      const answer = await rest('POST', path, json, pay);
      expect({ path, status: answer.status }).toEqual({ path, status: 404 });
    }
    expect(await db.payment.count({ where: { renterId: setup.renter.id } })).toBe(before);
    // The document's path, with one trailing slash, is the same resource (the adapter's normalizePath).
    expect((await rest('GET', '/payments/', auth)).status).toBe(200);
    expect((await rest('GET', '/me/', auth)).status).toBe(200);
    expect((await rest('GET', '/me//', auth)).status).toBe(404);
    // Dot segments are resolved by URL parsing before any handler sees them (WHATWG URL), as Next does: not a bypass.
    expect(new URL(`${BASE}/api/v1/x/../payments`).pathname).toBe('/api/v1/payments');
  });

  it('a READ token cannot POST via method-override headers, and a huge body without a type is 413 before anything', async () => {
    const setup = await payingRenter();
    const { token } = await setup.renterApi.apiToken.create.mutate({ name: 'reader' });
    const before = await db.payment.count({ where: { renterId: setup.renter.id } });
    const cancel = await rest('POST', `/payments/${crypto.randomUUID()}/cancel`, { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'x-http-method-override': 'GET' }, '{}');
    expect(cancel.status).toBe(403);
    const pay = JSON.stringify({ installmentId: setup.lease.installments[0]!.id, fromAccountId: setup.from.id, rail: 'RTP' });
    const get = await rest('GET', `/payments?installmentId=${setup.lease.installments[0]!.id}&fromAccountId=${setup.from.id}&rail=RTP`, { authorization: `Bearer ${token}`, 'x-http-method-override': 'POST' });
    // Still the GET operation (payment.list), which refuses the payment's fields as unknown: nothing is paid.
    expect(get.status).toBe(400);
    expect(get.text).toContain('payment.list');
    expect((await rest('POST', '/payments', { authorization: `Bearer ${token}` }, 'x'.repeat(2_000_000))).status).toBe(413);
    expect((await rest('POST', '/payments', { authorization: `Bearer ${token}`, 'content-type': 'application/json;charset=latin1' }, pay)).status).toBe(415);
    expect((await rest('PUT', '/payments', { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, pay)).status).toBe(405);
    expect(await db.payment.count({ where: { renterId: setup.renter.id } })).toBe(before);
  });

  it('malformed escapes and deep nesting answer 4xx without internals', async () => {
    const setup = await payingRenter();
    const { token } = await setup.renterApi.apiToken.create.mutate({ name: 'probe', scope: 'WRITE' });
    const auth = { authorization: `Bearer ${token}` };
    for (const [method, path, body] of [
      ['GET', '/payments/%E0%A4%A', undefined],
      ['GET', '/payments/%00', undefined],
      ['GET', '/payments?limit=%E0%A4%A', undefined],
      ['POST', '/payments', '['.repeat(50_000) + ']'.repeat(50_000)],
      ['POST', '/payments', '{"installmentId":' + '{"a":'.repeat(5_000) + '1' + '}'.repeat(5_000) + '}'],
      ['POST', `/payments/${crypto.randomUUID()}/cancel`, '{'],
    ] as const) {
      const answer = await rest(method, path, { ...auth, 'content-type': 'application/json' }, body);
      expect(answer.status, `${method} ${path}`).toBeGreaterThanOrEqual(400);
      expect(answer.status, `${method} ${path}`).toBeLessThan(500);
      expect(answer.text).not.toMatch(/at .*\.(ts|js):\d+|node_modules|\/work\/|prisma|SELECT|INSERT/i);
    }
  });
});
