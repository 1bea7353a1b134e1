// The REST door (/api/v1) against the tRPC door (/api/trpc): real Requests through both route
// handlers, with an API token, for the same answers — payment.create (new, replayed, a key
// reused with other parameters), bad input, someone else's id, no or a bad token, reads, a rate
// limit — HTTP itself (405 with Allow, HEAD, paths as written, 415 for other media types), and the
// OpenAPI document: valid 3.1, and every path it names served by its procedure.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import superjson from 'superjson';
import { validate } from '@readme/openapi-parser';
import * as restRoute from './[...path]/route';
import { GET as restGet, POST as restPost } from './[...path]/route';
import { GET as openApiGet } from '@/app/api/openapi.json/route';
import { db } from '@/server/db';
import { apiAs, createUser, routeFetch, sessionCookie } from '@/server/testing/api';
import { payingRenter, type PayingRenter } from '@/server/testing/payments';
import { startInngestForTests, waitFor, type InngestTestHarness } from '@/inngest/engine/testing';
import { inngest } from '@/inngest/client';
import { functions } from '@/inngest/functions';
import { INSTALLMENT_STATES } from '@/server/domain/installment-state';

const BASE = 'http://localhost:3000';

let inngestTest: InngestTestHarness;
let setup: PayingRenter;
let token: string;
beforeAll(async () => {
  inngestTest = await startInngestForTests({ client: inngest, functions });
  setup = await payingRenter();
  ({ token } = await setup.renterApi.apiToken.create.mutate({ name: 'rest test', scope: 'WRITE' }));
});
afterAll(async () => {
  await inngestTest.stop();
});

interface Answer {
  status: number;
  headers: Headers;
  /** The result, or the error as `{ code, message, data }` (tRPC's `error.json`, less its numeric code). */
  body: Record<string, unknown>;
}

/** A call to /api/v1. */
async function rest(method: 'GET' | 'POST', path: string, options: { token?: string | null; body?: unknown; headers?: Record<string, string> } = {}): Promise<Answer> {
  const headers: Record<string, string> = { ...options.headers };
  const bearer = options.token === undefined ? token : options.token;
  if (bearer) headers.authorization = `Bearer ${bearer}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const request = new Request(`${BASE}/api/v1${path}`, { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) });
  const response = await (method === 'GET' ? restGet : restPost)(request);
  return { status: response.status, headers: response.headers, body: await response.json() };
}

/** The same call to /api/trpc, its answer unwrapped from superjson and made plain JSON (dates as ISO strings). */
async function trpc(type: 'query' | 'mutation', procedure: string, input: unknown, options: { token?: string | null; headers?: Record<string, string> } = {}): Promise<Answer> {
  const headers: Record<string, string> = { ...options.headers };
  const bearer = options.token === undefined ? token : options.token;
  if (bearer) headers.authorization = `Bearer ${bearer}`;
  const serialized = JSON.stringify(superjson.serialize(input));
  const response =
    type === 'query'
      ? await routeFetch(`${BASE}/api/trpc/${procedure}?input=${encodeURIComponent(serialized)}`, { headers })
      : await routeFetch(`${BASE}/api/trpc/${procedure}`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: serialized });
  const json = await response.json();
  if (json.error) {
    const plain = JSON.parse(JSON.stringify(superjson.deserialize(json.error)));
    const { code: _jsonRpcCode, ...error } = plain as Record<string, unknown> & { data: { code: string } };
    return { status: response.status, headers: response.headers, body: { ...error, code: error.data.code } };
  }
  return { status: response.status, headers: response.headers, body: JSON.parse(JSON.stringify(superjson.deserialize(json.result.data))) };
}

/** An error answer without what differs per request (its id). */
function sameError(answer: Answer) {
  const { requestId, ...data } = answer.body.data as Record<string, unknown>;
  expect(requestId).toEqual(expect.any(String));
  return { status: answer.status, code: answer.body.code, message: answer.body.message, data };
}

const createBody = (overrides: Record<string, unknown> = {}) => ({
  installmentId: setup.lease.installments[0]!.id,
  fromAccountId: setup.from.id,
  rail: 'RTP',
  ...overrides,
});

describe('/api/v1 and /api/trpc give the same answers', () => {
  let paymentId: string;

  it('payment.create: new, replayed (on either door), and a key reused with other parameters', async () => {
    const key = `rest-${crypto.randomUUID()}`;
    const created = await rest('POST', '/payments', { body: createBody(), headers: { 'Idempotency-Key': key } });
    expect(created.status).toBe(200);
    expect(created.headers.get('idempotent-replayed')).toBeNull();
    expect(created.headers.get('x-request-id')).toEqual(expect.any(String));
    expect(created.body).toMatchObject({ rail: 'RTP', amountCents: setup.lease.installments[0]!.amountCents, installment: { id: setup.lease.installments[0]!.id } });
    expect(created.body.createdAt).toEqual(expect.stringMatching(/^\d{4}-\d\d-\d\dT/));
    paymentId = created.body.id as string;

    const replayed = await rest('POST', '/payments', { body: createBody(), headers: { 'Idempotency-Key': key } });
    expect(replayed.status).toBe(200);
    expect(replayed.headers.get('idempotent-replayed')).toBe('true');
    expect(replayed.body.id).toBe(paymentId);
    // The key is the caller's, whichever door: tRPC replays the REST call.
    const viaTrpc = await trpc('mutation', 'payment.create', createBody(), { headers: { 'Idempotency-Key': key } });
    expect(viaTrpc.status).toBe(200);
    expect(viaTrpc.headers.get('idempotent-replayed')).toBe('true');
    expect(viaTrpc.body.id).toBe(paymentId);
    expect(await db.payment.count({ where: { installmentId: setup.lease.installments[0]!.id } })).toBe(1);

    const conflictRest = await rest('POST', '/payments', { body: createBody({ rail: 'WIRE' }), headers: { 'Idempotency-Key': key } });
    const conflictTrpc = await trpc('mutation', 'payment.create', createBody({ rail: 'WIRE' }), { headers: { 'Idempotency-Key': key } });
    expect(sameError(conflictRest)).toEqual(sameError(conflictTrpc));
    expect(sameError(conflictRest)).toMatchObject({ status: 409, code: 'CONFLICT', data: { code: 'CONFLICT', httpStatus: 409, path: 'payment.create' } });
  });

  it('reads: payment.byId, payment.list, lease.byId, bankAccount.list and me.get answer the same JSON', async () => {
    // RTP is final once COMPLETED: nothing changes between the two reads.
    await waitFor(async () => (await rest('GET', `/payments/${paymentId}`)).body.status === 'COMPLETED', 'the payment settles');
    const pairs: [Promise<Answer>, Promise<Answer>][] = [
      [rest('GET', `/payments/${paymentId}`), trpc('query', 'payment.byId', { id: paymentId })],
      [rest('GET', `/payments?leaseId=${setup.lease.id}&limit=5`), trpc('query', 'payment.list', { leaseId: setup.lease.id, limit: 5 })],
      [rest('GET', `/leases/${setup.lease.id}`), trpc('query', 'lease.byId', { id: setup.lease.id })],
      [rest('GET', '/leases?status=ACTIVE'), trpc('query', 'lease.list', { status: 'ACTIVE' })],
      [rest('GET', '/bank-accounts?active=true'), trpc('query', 'bankAccount.list', { active: true })],
      [rest('GET', '/bank-accounts?active=false'), trpc('query', 'bankAccount.list', { active: false })],
      [rest('GET', '/me'), trpc('query', 'me.get', undefined)],
    ];
    for (const [viaRest, viaTrpc] of pairs) {
      const [a, b] = await Promise.all([viaRest, viaTrpc]);
      expect(a.status).toBe(200);
      expect(a.body).toEqual(b.body);
    }
    const list = (await rest('GET', `/payments?leaseId=${setup.lease.id}`)).body as { items: { id: string }[] };
    expect(list.items.map((payment) => payment.id)).toEqual([paymentId]);
    // "false" in a query string is false (not the truthy text it is).
    expect(((await rest('GET', '/bank-accounts?active=false')).body as { items: unknown[] }).items).toEqual([]);
    expect(((await rest('GET', '/bank-accounts?active=true')).body as { items: { id: string }[] }).items.map((account) => account.id)).toEqual([setup.from.id]);
  });

  it('bad input: 400 BAD_REQUEST with the same message and field errors, nothing created', async () => {
    const body = createBody({ installmentId: setup.lease.installments[1]!.id, rail: 'CARRIER_PIGEON', extra: 1 });
    const viaRest = await rest('POST', '/payments', { body });
    const viaTrpc = await trpc('mutation', 'payment.create', body);
    expect(sameError(viaRest)).toEqual(sameError(viaTrpc));
    expect(sameError(viaRest)).toMatchObject({
      status: 400,
      code: 'BAD_REQUEST',
      message: expect.stringContaining('rail: must be one of RTP, WIRE, SAME_DAY_ACH, STANDARD_ACH'),
      data: { fieldErrors: { rail: ['must be one of RTP, WIRE, SAME_DAY_ACH, STANDARD_ACH'], extra: ['is not a known field'] } },
    });
    const query = await rest('GET', '/payments?limit=500');
    expect(sameError(query)).toEqual(sameError(await trpc('query', 'payment.list', { limit: 500 })));
    expect(await db.payment.count({ where: { installmentId: setup.lease.installments[1]!.id } })).toBe(0);
  });

  it('a JSON body that is not an object (array, null, text, number) answers 400, as on tRPC, and does nothing', async () => {
    // The adapter spread such a body into the path's { id }: `[]` or `null` retried or cancelled
    // the payment as if `{}` had been sent, and `"x"` read as the fields "0".
    for (const [path, procedure] of [[`/payments/${paymentId}/cancel`, 'payment.cancel'], [`/payments/${paymentId}/retry`, 'payment.retry'], ['/payments', 'payment.create']] as const) {
      for (const body of [[], null, 'x', 5, true]) {
        const viaRest = await restPost(new Request(`${BASE}/api/v1${path}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) }));
        const restBody = (await viaRest.json()) as { code: string; message: string };
        const viaTrpc = await trpc('mutation', procedure, body);
        expect({ status: viaRest.status, code: restBody.code, message: restBody.message }, `${path} ${JSON.stringify(body)}`).toEqual({
          status: viaTrpc.status,
          code: viaTrpc.body.code,
          message: viaTrpc.body.message,
        });
        expect(viaRest.status).toBe(400);
        expect(restBody.message).toMatch(/^Invalid input: expected object, received \w+$/);
      }
    }
    expect(await db.payment.count({ where: { renterId: setup.renter.id } })).toBe(1);
  });

  it('a __proto__ key anywhere in a body answers 400, as on tRPC', async () => {
    const request = new Request(`${BASE}/api/v1/payments`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: `{"installmentId":"${setup.lease.installments[1]!.id}","fromAccountId":"${setup.from.id}","rail":"RTP","x":{"__proto__":{"admin":true}}}`,
    });
    const response = await restPost(request);
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ code: 'BAD_REQUEST', message: 'Invalid input: the key "__proto__" is not allowed' });
  });

  it('a query parameter given twice answers 400 naming it (it read "limit: must be a whole number")', async () => {
    const answer = await rest('GET', '/payments?limit=5&limit=6');
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ code: 'BAD_REQUEST', message: 'Invalid input: limit: give it once' });
  });

  it('a query key named like an Object.prototype member answers 400, with or without a token', async () => {
    for (const path of ['/leases?__proto__=1', '/leases?constructor=1', '/payments?toString=x&limit=5']) {
      for (const bearer of [undefined, null]) {
        const answer = await rest('GET', path, { token: bearer });
        expect(answer.status, path).toBe(400);
        expect(answer.body).toMatchObject({ code: 'BAD_REQUEST' });
      }
    }
  });

  it("someone else's payment or lease: 404 NOT_FOUND, the same as one that does not exist", async () => {
    const stranger = await createUser('RENTER');
    const { token: strangerToken } = await (await apiAs(stranger)).apiToken.create.mutate({ name: 'stranger' });
    for (const [path, procedure] of [[`/payments/${paymentId}`, 'payment.byId'], [`/leases/${setup.lease.id}`, 'lease.byId']] as const) {
      const id = path.split('/')[2]!;
      const viaRest = await rest('GET', path, { token: strangerToken });
      const viaTrpc = await trpc('query', procedure, { id }, { token: strangerToken });
      expect(sameError(viaRest)).toEqual(sameError(viaTrpc));
      expect(viaRest.status).toBe(404);
      expect(viaRest.body.code).toBe('NOT_FOUND');
      const missing = await rest('GET', path.replace(id, crypto.randomUUID()));
      expect(missing.body.message).toBe(viaRest.body.message);
    }
  });

  it('no, an invalid or a revoked token: 401 UNAUTHORIZED; the session cookie is not read on /api/v1', async () => {
    for (const bearer of [null, 'dp_00000000_nope', 'garbage']) {
      const viaRest = await rest('GET', `/payments/${paymentId}`, { token: bearer });
      const viaTrpc = await trpc('query', 'payment.byId', { id: paymentId }, { token: bearer });
      expect(sameError(viaRest)).toEqual(sameError(viaTrpc));
      expect(viaRest.status).toBe(401);
    }
    const cookie = await sessionCookie(setup.renter);
    expect((await rest('GET', '/me', { token: null, headers: { cookie } })).status).toBe(401);
    const revoked = await setup.renterApi.apiToken.create.mutate({ name: 'to revoke' });
    await setup.renterApi.apiToken.revoke.mutate({ id: revoked.id });
    expect((await rest('GET', '/me', { token: revoked.token })).body).toMatchObject({ code: 'UNAUTHORIZED', data: { httpStatus: 401 } });
  });

  it('the wrong role: 403 FORBIDDEN on both doors', async () => {
    const { token: landlordToken } = await setup.landlordApi.apiToken.create.mutate({ name: 'landlord', scope: 'WRITE' });
    const viaRest = await rest('POST', '/payments', { token: landlordToken, body: createBody() });
    const viaTrpc = await trpc('mutation', 'payment.create', createBody(), { token: landlordToken });
    expect(sameError(viaRest)).toEqual(sameError(viaTrpc));
    expect(viaRest.status).toBe(403);
  });

  it('a rate limit: 429 TOO_MANY_REQUESTS with Retry-After, in the same shape', async () => {
    const limited = await payingRenter();
    const { token: limitedToken } = await limited.renterApi.apiToken.create.mutate({ name: 'busy program', scope: 'WRITE' });
    // The minute's allowance already used up (server/domain/rate-limit.ts counts in this table).
    await db.rateLimit.create({ data: { key: `payment-mutation:user:${limited.renter.id}`, count: 1_000_000, resetAt: new Date(Date.now() + 60_000) } });
    const body = { installmentId: limited.lease.installments[0]!.id, fromAccountId: limited.from.id, rail: 'RTP' };
    const viaRest = await rest('POST', '/payments', { token: limitedToken, body });
    const viaTrpc = await trpc('mutation', 'payment.create', body, { token: limitedToken });
    expect(sameError(viaRest)).toEqual(sameError(viaTrpc));
    expect(viaRest.status).toBe(429);
    expect(viaRest.body.code).toBe('TOO_MANY_REQUESTS');
    expect(Number(viaRest.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(viaRest.headers.get('retry-after')).toBe(viaTrpc.headers.get('retry-after'));
    expect(await db.payment.count({ where: { renterId: limited.renter.id } })).toBe(0);
  });

  it('a body over 1 MB is 413 in this door’s error shape, as the OpenAPI document says (it was tRPC’s shape)', async () => {
    const big = JSON.stringify({ ...createBody(), padding: 'x'.repeat(1024 * 1024) });
    const answer = await send('POST', '/payments', { headers: { 'content-type': 'application/json' }, body: big });
    expect(answer.status).toBe(413);
    expect(answer.body).toEqual({ ...refusedAs('PAYLOAD_TOO_LARGE', 413), message: 'The request body is larger than 1 MB' });
    expect(answer.headers.get('cache-control')).toBe('no-store');
  });

  it('answers on either door are for one caller: Cache-Control no-store, results and errors alike', async () => {
    for (const answer of [await trpc('query', 'me.get', undefined), await trpc('query', 'payment.byId', { id: crypto.randomUUID() }), await rest('GET', '/me')]) {
      expect(answer.headers.get('cache-control')).toBe('no-store');
    }
  });

  it('an unknown path is 404 and a POST body that is not JSON is 415, in the error shape', async () => {
    expect((await rest('GET', '/no-such-thing')).body).toMatchObject({ code: 'NOT_FOUND', data: { httpStatus: 404 } });
    const response = await restPost(new Request(`${BASE}/api/v1/payments`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'text/plain' }, body: 'x' }));
    expect(response.status).toBe(415);
    expect(await response.json()).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE' });
  });
});

/** A request to /api/v1 as Next.js routes it: to the route's export named for its method (none: Next's bare 405). */
async function send(method: string, path: string, options: { headers?: Record<string, string>; body?: string } = {}) {
  const handler = (restRoute as Record<string, ((request: Request) => Response | Promise<Response>) | undefined>)[method];
  const request = new Request(`${BASE}/api/v1${path}`, { method, headers: { authorization: `Bearer ${token}`, ...options.headers }, body: options.body });
  const response = handler ? await handler(request) : new Response(null, { status: 405 });
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, body: text ? (JSON.parse(text) as Record<string, unknown>) : null };
}

/** A refusal decided before any procedure: the one error shape, no procedure named. */
const refusedAs = (code: string, httpStatus: number) => ({ code, message: expect.any(String), data: { code, httpStatus, path: null, fieldErrors: null, requestId: expect.any(String) } });

describe('/api/v1 speaks HTTP: methods, HEAD, paths as written, media types', () => {
  it('a method a path does not take is 405 with Allow and the JSON error body, and does nothing', async () => {
    const before = await db.payment.count();
    for (const [method, path, allow] of [
      ['PUT', '/payments', 'GET, HEAD, OPTIONS, POST'],
      ['PATCH', '/payments', 'GET, HEAD, OPTIONS, POST'],
      ['DELETE', `/payments/${crypto.randomUUID()}`, 'GET, HEAD, OPTIONS'],
      ['POST', '/me', 'GET, HEAD, OPTIONS'],
      ['POST', `/leases/${setup.lease.id}`, 'GET, HEAD, OPTIONS'],
      ['GET', `/payments/${crypto.randomUUID()}/cancel`, 'OPTIONS, POST'],
      ['DELETE', `/payments/${crypto.randomUUID()}/retry`, 'OPTIONS, POST'],
    ] as const) {
      const answer = await send(method, path, method === 'GET' ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(createBody()) });
      expect(answer.status, `${method} ${path}`).toBe(405);
      expect(answer.headers.get('allow'), `${method} ${path}`).toBe(allow);
      expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
      expect(answer.headers.get('x-request-id')).toEqual(expect.any(String));
      expect(answer.body).toEqual(refusedAs('METHOD_NOT_SUPPORTED', 405));
      expect(answer.body!.message).toBe(`This path does not take ${method}; it takes ${allow}`);
    }
    expect(await db.payment.count()).toBe(before);
  });

  it('HEAD is GET without the body: the same status and headers; 405 with Allow where GET is not taken', async () => {
    for (const path of ['/me', `/leases/${setup.lease.id}`, '/payments?limit=1', `/payments/${crypto.randomUUID()}`, '/payments?limit=500']) {
      const [head, get] = [await send('HEAD', path), await send('GET', path)];
      expect({ path, status: head.status, text: head.text }).toEqual({ path, status: get.status, text: '' });
      expect(head.headers.get('content-type')).toBe(get.headers.get('content-type'));
      expect(head.headers.get('cache-control')).toBe('no-store');
      expect(head.headers.get('x-request-id')).toEqual(expect.any(String));
    }
    expect((await send('HEAD', '/me', {})).status).toBe(200);
    const post = await send('HEAD', `/payments/${crypto.randomUUID()}/cancel`);
    expect({ status: post.status, allow: post.headers.get('allow'), text: post.text }).toEqual({ status: 405, allow: 'OPTIONS, POST', text: '' });
    const unknown = await send('HEAD', '/no-such-thing');
    expect({ status: unknown.status, text: unknown.text }).toEqual({ status: 404, text: '' });
  });

  it('paths match only as written: /PAYMENTS is 404 like any unknown path, whatever the method, and runs nothing', async () => {
    const before = await db.payment.count();
    for (const [method, path] of [
      ['GET', '/PAYMENTS'],
      ['GET', '/Me'],
      ['GET', `/Leases/${setup.lease.id}`],
      ['POST', '/Payments'],
      ['POST', `/payments/${crypto.randomUUID()}/CANCEL`],
      ['PUT', '/PAYMENTS'],
      ['GET', '/no-such-thing'],
      ['DELETE', '/no-such-thing'],
    ] as const) {
      const answer = await send(method, path, method === 'GET' ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(createBody({ installmentId: setup.lease.installments[2]!.id })) });
      expect(answer.status, `${method} ${path}`).toBe(404);
      expect(answer.body).toEqual(refusedAs('NOT_FOUND', 404));
    }
    expect(await db.payment.count()).toBe(before);
  });

  it('a body must be application/json (UTF-8): any other media type, a +json type or none is 415 and changes nothing', async () => {
    const before = { payments: await db.payment.count(), limits: await db.rateLimit.findMany({ orderBy: { key: 'asc' } }) };
    const body = JSON.stringify(createBody({ installmentId: setup.lease.installments[2]!.id }));
    for (const contentType of [
      'application/jsonx',
      'application/json-patch+json',
      'application/merge-patch+json',
      'application/vnd.api+json',
      'text/json',
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'application/json; charset=iso-8859-1',
      null,
    ]) {
      const answer = await send('POST', '/payments', { headers: contentType === null ? {} : { 'content-type': contentType }, body });
      expect(answer.status, String(contentType)).toBe(415);
      expect(answer.body).toEqual(refusedAs('UNSUPPORTED_MEDIA_TYPE', 415));
    }
    expect({ payments: await db.payment.count(), limits: await db.rateLimit.findMany({ orderBy: { key: 'asc' } }) }).toEqual(before);
  });

  it('application/json in any letter case, with a UTF-8 charset, reaches the procedure; an empty body is no fields', async () => {
    const cancel = `/payments/${crypto.randomUUID()}/cancel`;
    for (const contentType of ['application/json; charset=utf-8', 'Application/JSON', 'application/json;charset="UTF-8"']) {
      const answer = await send('POST', cancel, { headers: { 'content-type': contentType }, body: '{}' });
      expect(answer.body, contentType).toMatchObject({ code: 'NOT_FOUND', data: { path: 'payment.cancel' } });
    }
    // An empty body has no media type to check: no fields, with or without a Content-Type.
    for (const headers of [{}, { 'content-type': 'application/json' }, { 'content-type': 'text/plain' }] as Record<string, string>[]) {
      expect((await send('POST', cancel, { headers, body: '' })).body, JSON.stringify(headers)).toMatchObject({ code: 'NOT_FOUND', data: { path: 'payment.cancel' } });
      expect((await send('POST', cancel, { headers })).body).toMatchObject({ code: 'NOT_FOUND', data: { path: 'payment.cancel' } });
      const create = await send('POST', '/payments', { headers, body: '' });
      expect(create.status).toBe(400);
      expect(create.body).toMatchObject({ code: 'BAD_REQUEST', data: { path: 'payment.create', fieldErrors: { installmentId: expect.any(Array), rail: expect.any(Array) } } });
    }
  });
});

describe('/api/openapi.json', () => {
  it('is a valid OpenAPI 3.1 document, public and cacheable', async () => {
    const response = await openApiGet(new Request(`${BASE}/api/openapi.json`));
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toMatch(/^public, max-age=\d+$/);
    const document = await response.json();
    expect(document.openapi).toBe('3.1.0');
    const result = await validate(structuredClone(document));
    expect(result.valid ? [] : result.errors).toEqual([]);
    // The prose the docs page shows.
    for (const heading of ['## Authentication', '## Idempotency', '## Errors', '## Rate limits', '## Webhooks', '## Paying rent with curl']) {
      expect(document.info.description).toContain(heading);
    }
    // No internals: no stack, no file paths.
    expect(JSON.stringify(document)).not.toMatch(/\/work\/|node_modules|stack/);
  });

  it('describes the fields the portal relies on: installment state (an enum), payment split', async () => {
    const document = await (await openApiGet(new Request(`${BASE}/api/openapi.json`))).json();
    const schemas = document.components.schemas as Record<string, { properties: Record<string, { enum?: string[]; properties?: Record<string, unknown>; type?: unknown }> }>;
    const installment = schemas.Installment!.properties;
    expect(installment.state?.enum).toEqual([...INSTALLMENT_STATES]);
    expect(Object.keys(installment)).toEqual(expect.arrayContaining(['label', 'canPay', 'reason', 'reasonCode', 'lastFailure']));
    const payment = schemas.Payment!.properties;
    expect(Object.keys(payment.split?.properties ?? {}).sort()).toEqual(['feeCents', 'landlordReceivesCents', 'lateFeeCents', 'rentCents', 'totalCents']);
    expect(Object.keys(payment)).toContain('failureText');
    expect(Object.keys(schemas.LeaseDetail!.properties)).toEqual(expect.arrayContaining(['endDate', 'payNextInstallmentId']));
  });

  it('each error response’s example carries the code of its own status', async () => {
    const document = await (await openApiGet(new Request(`${BASE}/api/openapi.json`))).json();
    const expected: Record<string, string> = { '400': 'BAD_REQUEST', '401': 'UNAUTHORIZED', '403': 'FORBIDDEN', '404': 'NOT_FOUND', '409': 'CONFLICT', '429': 'TOO_MANY_REQUESTS', '500': 'INTERNAL_SERVER_ERROR', '503': 'SERVICE_UNAVAILABLE' };
    const seen = new Set<string>();
    for (const methods of Object.values(document.paths as Record<string, Record<string, { responses: Record<string, { content?: Record<string, { example?: { code: string; data: { code: string; httpStatus: number } } }> }> }>>)) {
      for (const operation of Object.values(methods)) {
        for (const [status, response] of Object.entries(operation.responses)) {
          if (Number(status) < 400) continue;
          const example = response.content?.['application/json']?.example;
          expect(example, `example of ${status}`).toBeDefined();
          expect({ status, code: example!.code, dataCode: example!.data.code, httpStatus: example!.data.httpStatus }).toEqual({ status, code: expected[status], dataCode: expected[status], httpStatus: Number(status) });
          seen.add(status);
        }
      }
    }
    expect([...seen]).toEqual(expect.arrayContaining(['400', '401', '404', '409', '429', '503']));
  });

  it('every operation it names is served at its path by the procedure its operationId names', async () => {
    const document = await (await openApiGet(new Request(`${BASE}/api/openapi.json`))).json();
    const operations = Object.entries(document.paths as Record<string, Record<string, { operationId: string }>>).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, operation]) => ({ path, method: method.toUpperCase() as 'GET' | 'POST', procedure: operation.operationId.replace(/-/g, '.') })),
    );
    expect(operations.map((operation) => operation.procedure).sort()).toEqual(
      ['bankAccount.list', 'lease.byId', 'lease.list', 'me.get', 'payment.byId', 'payment.cancel', 'payment.create', 'payment.list', 'payment.retry'].sort(),
    );
    for (const { path, method, procedure } of operations) {
      const answer = await rest(method, path.replace('{id}', crypto.randomUUID()), method === 'POST' ? { body: {} } : {});
      // Served by the procedure: an answer of its own, or an error naming it (never the adapter's "no such route").
      const served = answer.status === 200 || (answer.body.data as { path?: string } | undefined)?.path === procedure;
      expect(served, `${method} ${path} → ${answer.status} ${JSON.stringify(answer.body)}`).toBe(true);
    }
  });
});
