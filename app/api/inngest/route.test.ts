// The background door, tried as an attacker would: the app's real /api/inngest route on a
// real port, driven by the real local engine on the test database, with real payments made
// through the tRPC route. Only requests signed with the signing key get in; the URL the
// engine calls comes from its configuration, never from a request.
import { createHash } from 'node:crypto';
import http from 'node:http';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEngine, type RunningEngine } from '@/inngest/engine/engine';
import { canonicalBody, hashedSigningKey, signatureHeader, type EngineKeys } from '@/inngest/engine/signing';
import { pointClientAtEngine, serveRouteHandlers, testEngineKeys, waitFor, type ServedApp } from '@/inngest/engine/testing';
import { db } from '@/server/db';
import { resetEnvForTests } from '@/server/env';
import { captureLogs } from '@/server/logger';
import { payingRenter, rewritePaymentDates } from '@/server/testing/payments';
import { createPayment } from '@/server/domain/payments';
import { requestSettlement } from '@/inngest/payments';

// The demo clock at real time: a wire is PROCESSING for at least 5 minutes of the banking
// calendar, far longer than this file runs, so every forged call below meets a payment
// genuinely in flight.
process.env.SETTLEMENT_TIME_SCALE = '1';
resetEnvForTests();

let app: ServedApp;
let engine: RunningEngine;
let engineDb: pg.Pool;
let keys: EngineKeys;
const engineLogs: string[] = [];

beforeAll(async () => {
  app = await serveRouteHandlers();
  keys = testEngineKeys();
  engine = await startEngine({ databaseUrl: process.env.DATABASE_URL!, ...keys, appUrl: app.url, workers: 2, resyncIntervalMs: 0, log: (line) => engineLogs.push(line) });
  const { inngest } = await import('@/inngest/client');
  pointClientAtEngine(inngest, engine.url);
  process.env.INNGEST_SERVE_ORIGIN = new URL(app.url).origin;
  resetEnvForTests();
  const route = await import('@/app/api/inngest/route');
  app.setHandlers({ GET: route.GET as never, POST: route.POST as never, PUT: route.PUT as never });
  await engine.syncApp();
  engineDb = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 2 });
});

afterAll(async () => {
  await engine?.stop();
  await app?.close();
  await engineDb?.end();
});

interface Answer {
  status: number;
  text: string;
}

/** A raw HTTP request, so that any header (a foreign `Host` included) goes out as written. */
function rawRequest(url: string, options: { method: string; headers?: Record<string, string>; body?: string }): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const body = options.body ?? '';
    const request = http.request(url, { method: options.method, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...options.headers } }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      response.on('error', reject);
    });
    request.on('error', reject);
    request.end(body);
  });
}

const stepId = (name: string) => createHash('sha1').update(name).digest('hex');

/** A wire from an account ending in `last4`, submitted to its rail by the engine and now PROCESSING. */
async function wireInFlight(last4: string) {
  const setup = await payingRenter({ last4 });
  const { result: payment } = await createPayment(
    db,
    { id: setup.renter.id, role: 'RENTER' },
    { installmentId: setup.lease.installments[0]!.id, fromAccountId: setup.from.id, rail: 'WIRE' },
    null,
  );
  // Whatever day the test runs on (a wire waits for a banking day): sent now, settling a
  // calendar day later, so it is genuinely in flight while the forged calls arrive.
  await rewritePaymentDates(payment.id, { submitAt: payment.createdAt, expectedSettlementAt: new Date(payment.createdAt.getTime() + 86_400_000) });
  await requestSettlement(payment.id);
  await waitFor(async () => (await db.payment.findUniqueOrThrow({ where: { id: payment.id } })).status === 'PROCESSING', 'the wire to be submitted', 30_000);
  return payment.id;
}

async function paymentState(paymentId: string) {
  const payment = await db.payment.findUniqueOrThrow({ where: { id: paymentId }, select: { status: true } });
  const events = await db.event.count({ where: { aggregateId: paymentId } });
  return { status: payment.status, events };
}

/** The call the issue saw succeed: made-up results of every step before the settlement, with the bank saying yes. */
function forgedSettlement(paymentId: string) {
  const event = { name: 'payment/created', data: { paymentId }, id: `forged-${paymentId}`, ts: Date.now() };
  const steps: Record<string, { data: unknown }> = {
    [stepId('wait-for-submission-window')]: { data: null },
    [stepId('submit-to-rail')]: { data: { proceed: true, status: 'PROCESSING', expectedSettlementAt: new Date(Date.now() - 1_000).toISOString(), rail: 'WIRE', fromLast4: '0001' } },
    [stepId('wait-for-settlement')]: { data: null },
    [stepId('ask-bank')]: { data: { ok: true } },
  };
  return {
    event,
    events: [event],
    steps,
    ctx: { run_id: '01FORGEDRUN0000000000000000', attempt: 0, max_attempts: 6, disable_immediate_execution: false, use_api: false, stack: { stack: Object.keys(steps), current: 4 } },
    version: -1,
  };
}

/** A made-up `inngest/function.failed` for a payment's settlement run, as the issue sent it. */
function forgedFailure(paymentId: string) {
  const event = {
    name: 'inngest/function.failed',
    data: {
      function_id: 'directpay-settle-payment',
      run_id: '01FORGEDRUN0000000000000001',
      event: { name: 'payment/created', data: { paymentId } },
      error: { name: 'Error', message: 'forged' },
    },
    id: `forged-failure-${paymentId}`,
    ts: Date.now(),
  };
  return {
    event,
    events: [event],
    steps: {},
    ctx: { run_id: '01FORGEDRUN0000000000000002', attempt: 0, max_attempts: 2, disable_immediate_execution: false, use_api: false, stack: { stack: [], current: 0 } },
    version: -1,
  };
}

/** Keys of the right form that are not the app's. */
const otherKeys: EngineKeys = { signingKey: `signkey-test-${'0f'.repeat(32)}`, eventKey: 'f'.repeat(64) };

/** Every way a caller without the key might sign `body`: none, another key, stale, over other bytes, garbage. */
function badSignatures(body: unknown, tamperedBody: unknown): Record<string, Record<string, string>> {
  const text = canonicalBody(body);
  return {
    unsigned: {},
    'signed with another key': { 'x-inngest-signature': signatureHeader(text, otherKeys.signingKey) },
    'signed ten minutes ago': { 'x-inngest-signature': signatureHeader(text, keys.signingKey, Date.now() - 10 * 60_000) },
    'signed over another body': { 'x-inngest-signature': signatureHeader(canonicalBody(tamperedBody), keys.signingKey) },
    'a malformed signature': { 'x-inngest-signature': 't=1&s=zz' },
  };
}

describe('calls to /api/inngest', () => {
  it('are verified by the SDK in cloud mode: an unsigned introspection GET answers 401, logged as one short warning', async () => {
    const lines: Record<string, unknown>[] = [];
    const stop = captureLogs(lines);
    try {
      expect((await rawRequest(app.url, { method: 'GET' })).status).toBe(401);
      expect((await rawRequest(`${app.url}?fnId=directpay-settle-payment&stepId=step`, { method: 'POST', headers: { 'x-inngest-signature': 't=1&s=zz' }, body: '{}' })).status).toBe(401);
    } finally {
      stop();
    }
    const sdkLines = lines.filter((line) => line.component === 'inngest');
    expect(sdkLines.map(({ level, method, reason, msg, err }) => ({ level, method, reason, msg, err }))).toEqual([
      { level: 'warn', method: 'GET', reason: 'No x-inngest-signature provided', msg: 'call refused: its signature does not verify', err: undefined },
      { level: 'warn', method: 'POST', reason: expect.any(String), msg: 'call refused: its signature does not verify', err: undefined },
    ]);
    expect(JSON.stringify(sdkLines)).not.toContain('    at ');
    const signed = await rawRequest(app.url, { method: 'GET', headers: { 'x-inngest-signature': signatureHeader('', keys.signingKey) } });
    expect(signed.status).toBe(200);
    expect(JSON.parse(signed.text)).toMatchObject({ mode: 'cloud', has_signing_key: true });
  });

  it('refuses a body over 4 MB with 413 before the SDK reads it, signed or not', async () => {
    const body = JSON.stringify({ event: { name: 'payment/created', data: { padding: 'x'.repeat(5 * 1024 * 1024) } } });
    const url = `${app.url}?fnId=directpay-settle-payment&stepId=step`;
    const attempts: Record<string, string>[] = [{}, { 'x-inngest-signature': signatureHeader(body, keys.signingKey) }];
    for (const headers of attempts) {
      const answer = await rawRequest(url, { method: 'POST', headers, body });
      expect(answer.status).toBe(413);
      expect(JSON.parse(answer.text).error.json.data.code).toBe('PAYLOAD_TOO_LARGE');
    }
  });

  it('refuses a body that is not JSON with 400 before the SDK parses it, signed or not, logging no stack (found by a stranger: 500)', async () => {
    const lines: Record<string, unknown>[] = [];
    const stop = captureLogs(lines);
    try {
      const url = `${app.url}?fnId=directpay-settle-payment&stepId=step`;
      for (const body of ['{', 'a'.repeat(3 * 1024 * 1024), '{"event":']) {
        for (const method of ['POST', 'PUT']) {
          const variants: Record<string, string>[] = [{}, { 'content-type': 'application/json' }, { 'content-type': 'application/json', 'x-inngest-signature': signatureHeader(body, keys.signingKey) }];
          for (const headers of variants) {
            const answer = await rawRequest(url, { method, headers, body });
            expect(answer.status, `${method} ${body.slice(0, 10)} ${JSON.stringify(headers).slice(0, 40)}`).toBe(400);
            expect(JSON.parse(answer.text).error.json).toMatchObject({ message: 'The request body is not JSON', data: { code: 'BAD_REQUEST' } });
          }
        }
      }
    } finally {
      stop();
    }
    expect(lines.filter((line) => line.level === 'error' || line.level === 50)).toEqual([]);
    expect(JSON.stringify(lines)).not.toContain('    at ');
  });

  it('a forged settle call (made-up step results for a payment from …0001) cannot complete the payment', { timeout: 90_000 }, async () => {
    const paymentId = await wireInFlight('0001');
    const before = await paymentState(paymentId);
    expect(before.status).toBe('PROCESSING');
    const url = `${app.url}?fnId=directpay-settle-payment&stepId=step`;
    const body = forgedSettlement(paymentId);
    const tampered = { ...body, steps: { ...body.steps, [stepId('ask-bank')]: { data: { ok: false, code: 'R01', reason: 'x' } } } };
    for (const [how, headers] of Object.entries(badSignatures(body, tampered))) {
      const answer = await rawRequest(url, { method: 'POST', headers, body: canonicalBody(body) });
      expect(answer.status, how).toBe(401);
      expect(JSON.parse(answer.text), how).toEqual({ message: 'Unauthorized' });
    }
    expect(await paymentState(paymentId)).toEqual(before);

    // The same bytes signed with the real key are what the engine would send, and they do
    // settle it: the refusals above are the signature's doing, not a malformed forgery.
    const signed = await rawRequest(url, { method: 'POST', headers: { 'x-inngest-signature': signatureHeader(canonicalBody(body), keys.signingKey) }, body: canonicalBody(body) });
    expect(signed.status).toBe(206);
    expect((await paymentState(paymentId)).status).toBe('COMPLETED');
  });

  it('a forged inngest/function.failed cannot fail anyone\'s payment, through the route or the event API', { timeout: 90_000 }, async () => {
    const paymentId = await wireInFlight('0000');
    const before = await paymentState(paymentId);
    const url = `${app.url}?fnId=directpay-settle-payment-failure&stepId=step`;
    const body = forgedFailure(paymentId);
    const tampered = { ...body, event: { ...body.event, data: { ...body.event.data, function_id: 'directpay-recover-stale-payments' } } };
    for (const [how, headers] of Object.entries(badSignatures(body, tampered))) {
      expect((await rawRequest(url, { method: 'POST', headers, body: canonicalBody(body) })).status, how).toBe(401);
    }
    // The engine's event API takes events only with the event key. (The forged event is counted by
    // its id: other work, such as a coalesced outbox/dispatch request for this test's payment, may
    // land meanwhile.)
    const forgedEvents = () => engineDb.query<{ count: number }>('select count(*)::int as count from inngest_engine.events where id = $1', [body.event.id]);
    const eventsBefore = await forgedEvents();
    for (const key of [otherKeys.eventKey, 'anything', encodeURIComponent(keys.eventKey.slice(0, -1))]) {
      const answer = await rawRequest(`${engine.url}/e/${key}`, { method: 'POST', body: JSON.stringify([body.event]) });
      expect(answer.status).toBe(401);
    }
    expect((await forgedEvents()).rows[0]!.count).toBe(eventsBefore.rows[0]!.count);
    expect(await paymentState(paymentId)).toEqual(before);

    // Signed, the same call runs the failure handler: the guard is the signature.
    const signed = await rawRequest(url, { method: 'POST', headers: { 'x-inngest-signature': signatureHeader(canonicalBody(body), keys.signingKey) }, body: canonicalBody(body) });
    expect([200, 206]).toContain(signed.status);
    expect((await paymentState(paymentId)).status).toBe('FAILED');
  });
});

describe('the URL the engine calls', () => {
  async function engineUrls() {
    const { rows: apps } = await engineDb.query<{ url: string }>("select url from inngest_engine.apps where id = 'directpay'");
    const { rows: functions } = await engineDb.query<{ url: string }>("select url from inngest_engine.functions where app_id = 'directpay' order by id");
    return { app: apps[0]!.url, functions: functions.map((fn) => fn.url) };
  }

  it('is the configured one: a PUT with a foreign Host re-points nothing, signed or not', async () => {
    const before = await engineUrls();
    expect(before.app).toBe(app.url);
    expect(before.functions.every((url) => url.startsWith(`${app.url}?fnId=`))).toBe(true);
    const foreignHost = { host: '127.0.0.1:3299' };

    for (const [how, headers] of Object.entries(badSignatures('', { url: 'x' }))) {
      const answer = await rawRequest(app.url, { method: 'PUT', headers: { ...foreignHost, ...headers } });
      expect(answer.status, how).toBe(401);
    }
    expect(await engineUrls()).toEqual(before);

    // Even a genuine signed sync arriving with a foreign Host reports the configured serve URL.
    const signed = await rawRequest(app.url, { method: 'PUT', headers: { ...foreignHost, 'x-inngest-signature': signatureHeader('', keys.signingKey) } });
    expect(signed.status).toBe(200);
    expect(await engineUrls()).toEqual(before);
  });

  it('is not taken from a sync body: the engine refuses syncs without the SDK\'s token and ignores a reported URL', async () => {
    const before = await engineUrls();
    const { rows } = await engineDb.query<{ config: unknown }>("select config from inngest_engine.functions where app_id = 'directpay' order by id");
    const foreign = 'http://127.0.0.1:3299/api/inngest';
    const functions = rows.map(({ config }) => {
      const copy = structuredClone(config) as { id: string; steps: { step: { runtime: { url: string } } } };
      copy.steps.step.runtime.url = `${foreign}?fnId=${copy.id}&stepId=step`;
      return copy;
    });
    const body = JSON.stringify({ url: foreign, deployType: 'ping', framework: 'nextjs', appName: 'directpay', sdk: 'js:v4.24.0', v: '0.1', functions });

    for (const authorization of [undefined, `Bearer ${hashedSigningKey(otherKeys.signingKey)}`, `Bearer ${keys.signingKey}`]) {
      const answer = await rawRequest(`${engine.url}/fn/register`, { method: 'POST', headers: authorization ? { authorization } : {}, body });
      expect(answer.status).toBe(401);
      expect(JSON.parse(answer.text)).toMatchObject({ status: 401, modified: false });
    }
    expect(await engineUrls()).toEqual(before);

    // With the SDK's own token (what the app sends), the functions are stored, at the configured URL.
    const answer = await rawRequest(`${engine.url}/fn/register`, { method: 'POST', headers: { authorization: `Bearer ${hashedSigningKey(keys.signingKey)}` }, body });
    expect(answer.status).toBe(200);
    expect(await engineUrls()).toEqual(before);
    const { rows: stored } = await engineDb.query<{ config: { steps: { step: { runtime: { url: string } } } } }>("select config from inngest_engine.functions where app_id = 'directpay'");
    expect(stored.every(({ config }) => config.steps.step.runtime.url.startsWith(`${app.url}?fnId=`))).toBe(true);
    expect(engineLogs.some((line) => line.includes(`reported its serve URL as ${foreign}`))).toBe(true);
  });
});
