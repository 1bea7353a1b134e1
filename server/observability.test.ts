// Logs and metrics seen from outside: real requests through the real route handlers (tRPC,
// /api/inngest driven by the real local engine, /api/metrics on a real port), pino's output
// captured through a destination stream (captureLogs).
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEngine, type RunningEngine } from '@/inngest/engine/engine';
import { pointClientAtEngine, serveRouteHandlers, testEngineKeys, waitFor, type ServedApp } from '@/inngest/engine/testing';
import { OUTBOX_DISPATCH } from '@/inngest/outbox';
import { resetEnvForTests } from '@/server/env';
import { captureLogs } from '@/server/logger';
import { apiAs, createUser, routeFetch, sessionCookie } from '@/server/testing/api';
import { payingRenter } from '@/server/testing/payments';

const METRICS_TOKEN = `metrics-${randomUUID()}`;
const appLines: Record<string, unknown>[] = [];
const engineLines: { line: string; fields?: Record<string, unknown>; level?: string }[] = [];
let stopCapture: () => void;
let inngestApp: ServedApp;
let metricsApp: ServedApp;
let engine: RunningEngine;

beforeAll(async () => {
  stopCapture = captureLogs(appLines);
  inngestApp = await serveRouteHandlers();
  metricsApp = await serveRouteHandlers('/api/metrics');
  engine = await startEngine({
    databaseUrl: process.env.DATABASE_URL!,
    ...testEngineKeys(),
    appUrl: inngestApp.url,
    workers: 2,
    resyncIntervalMs: 0,
    log: (line, fields, level) => engineLines.push({ line, fields, level }),
  });
  const { inngest } = await import('@/inngest/client');
  pointClientAtEngine(inngest, engine.url);
  process.env.INNGEST_SERVE_ORIGIN = new URL(inngestApp.url).origin;
  resetEnvForTests();
  const route = await import('@/app/api/inngest/route');
  inngestApp.setHandlers({ GET: route.GET as never, POST: route.POST as never, PUT: route.PUT as never });
  const metricsRoute = await import('@/app/api/metrics/route');
  metricsApp.setHandlers({ GET: metricsRoute.GET as never } as never);
  await engine.syncApp();
});

afterAll(async () => {
  stopCapture?.();
  delete process.env.METRICS_TOKEN;
  resetEnvForTests();
  await engine?.stop();
  await inngestApp?.close();
  await metricsApp?.close();
});

const requestLine = (requestId: string) => appLines.find((line) => line.msg === 'request' && line.requestId === requestId);

describe('request logs', () => {
  it("writes one line per request under the caller's well-formed X-Request-Id, which the error answer carries too", async () => {
    const renter = await createUser('RENTER');
    const requestId = `test-${randomUUID()}`;
    const input = encodeURIComponent(JSON.stringify({ json: { id: randomUUID() } }));
    const response = await routeFetch(`http://localhost:3000/api/trpc/payment.byId?input=${input}`, {
      headers: { cookie: await sessionCookie(renter), 'x-request-id': requestId },
    });
    expect(response.status).toBe(404);
    expect(response.headers.get('x-request-id')).toBe(requestId);
    const body = (await response.json()) as { error: { json: { message: string; data: Record<string, unknown> } } };
    expect(body.error.json.data.requestId).toBe(requestId);
    expect(body.error.json.data.stack ?? null).toBeNull(); // no internals

    const lines = appLines.filter((line) => line.requestId === requestId && line.msg === 'request');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 'info', method: 'GET', path: '/api/trpc/payment.byId', procedure: 'payment.byId', status: 404, userId: renter.id, errorCode: 'NOT_FOUND' });
    expect(typeof lines[0]!.durationMs).toBe('number');
  });

  it('names the payment a request made, and the procedure an /api/v1 path reached', async () => {
    const { renter, renterApi, lease, from } = await payingRenter();
    const requestId = `pay-${randomUUID()}`;
    const payment = await (await apiAs(renter, { 'x-request-id': requestId })).payment.create.mutate({ installmentId: lease.installments[0]!.id, fromAccountId: from.id, rail: 'STANDARD_ACH', idempotencyKey: randomUUID() });
    expect(requestLine(requestId)).toMatchObject({ procedure: 'payment.create', status: 200, paymentId: payment.id });
    expect(requestLine(requestId)!.errorCode).toBeUndefined();

    // A batch of two creates names both payments (found by a tester: the line named the last only).
    const batchId = `batch-${randomUUID()}`;
    const create = (index: number) => ({ json: { installmentId: lease.installments[index]!.id, fromAccountId: from.id, rail: 'STANDARD_ACH', idempotencyKey: randomUUID() } });
    const batch = await routeFetch('http://localhost:3000/api/trpc/payment.create,payment.create?batch=1', {
      method: 'POST',
      headers: { cookie: await sessionCookie(renter), 'content-type': 'application/json', 'x-request-id': batchId },
      body: JSON.stringify({ 0: create(1), 1: create(2) }),
    });
    expect(batch.status).toBe(200);
    const made = ((await batch.json()) as { result: { data: { json: { id: string } } } }[]).map((answer) => answer.result.data.json.id);
    expect(new Set(requestLine(batchId)!.paymentId as string[])).toEqual(new Set(made));

    const { token } = await renterApi.apiToken.create.mutate({ name: 'observability', scope: 'READ' });
    const restId = `rest-${randomUUID()}`;
    const { GET } = await import('@/app/api/v1/[...path]/route');
    const found = await GET(new Request(`http://localhost:3000/api/v1/payments/${payment.id}`, { headers: { authorization: `Bearer ${token}`, 'x-request-id': restId } }));
    expect(found.status).toBe(200);
    expect(requestLine(restId)).toMatchObject({ path: `/api/v1/payments/${payment.id}`, procedure: 'payment.byId', status: 200 });
    const missingId = `rest-${randomUUID()}`;
    await GET(new Request(`http://localhost:3000/api/v1/payments/${randomUUID()}`, { headers: { authorization: `Bearer ${token}`, 'x-request-id': missingId } }));
    expect(requestLine(missingId)).toMatchObject({ procedure: 'payment.byId', status: 404, errorCode: 'NOT_FOUND' });
  });

  it('replaces a malformed X-Request-Id with a fresh one, and names unknown procedures "unknown"', async () => {
    const response = await routeFetch('http://localhost:3000/api/trpc/no.suchProcedure', { headers: { 'x-request-id': 'has spaces and "quotes"' } });
    const requestId = response.headers.get('x-request-id')!;
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    const body = (await response.json()) as { error: { json: { data: Record<string, unknown> } } };
    expect(body.error.json.data.requestId).toBe(requestId);
    expect(requestLine(requestId)).toMatchObject({ procedure: 'unknown', status: 404 });
    expect(requestLine(requestId)!.userId).toBeUndefined();
  });

  it('gives a refusal made before any procedure its errorCode, and an unsigned GET of /api/inngest its line and request id (found by a tester)', async () => {
    const { DELETE, POST } = await import('@/app/api/v1/[...path]/route');
    const methodId = `method-${randomUUID()}`;
    expect((await DELETE(new Request('http://localhost:3000/api/v1/payments', { method: 'DELETE', headers: { 'x-request-id': methodId } }))).status).toBe(405);
    expect(requestLine(methodId)).toMatchObject({ status: 405, errorCode: 'METHOD_NOT_SUPPORTED' });
    const largeId = `large-${randomUUID()}`;
    const large = await POST(new Request('http://localhost:3000/api/v1/payments', { method: 'POST', headers: { 'x-request-id': largeId, 'content-type': 'application/json' }, body: 'x'.repeat(1024 * 1024 + 1) }));
    expect(large.status).toBe(413);
    expect(requestLine(largeId)).toMatchObject({ status: 413, errorCode: 'PAYLOAD_TOO_LARGE' });

    const inngestId = `introspect-${randomUUID()}`;
    const introspection = await fetch(inngestApp.url, { headers: { 'x-request-id': inngestId } });
    expect(introspection.status).toBe(401);
    expect(introspection.headers.get('x-request-id')).toBe(inngestId);
    expect(requestLine(inngestId)).toMatchObject({ method: 'GET', procedure: 'inngest', status: 401, errorCode: 'UNAUTHORIZED' });
    // The SDK's own line about it carries the same request id (found by a tester: it had none).
    const sdkLine = appLines.find((line) => line.component === 'inngest' && line.requestId === inngestId);
    expect(sdkLine).toBeDefined();
  });

  it("puts the id of each call the engine makes in the engine's line and in the app's line for it", async () => {
    const { inngest } = await import('@/inngest/client');
    await inngest.send({ name: OUTBOX_DISPATCH, data: {} });
    const call = await waitFor(
      async () => engineLines.find((entry) => entry.line === 'call' && String(entry.fields?.functionId).endsWith('dispatch-outbox')),
      'the engine to call dispatch-outbox',
    );
    const requestId = String(call.fields!.requestId);
    expect(call.fields).toMatchObject({ outcome: expect.any(String), attempt: expect.any(Number), durationMs: expect.any(Number) });
    const appLine = await waitFor(async () => requestLine(requestId), "the app's line for the call");
    expect(appLine).toMatchObject({ method: 'POST', path: '/api/inngest', procedure: expect.stringMatching(/^inngest:.*dispatch-outbox$/) });
  });
});

describe('a background failure, as an operator finds it', () => {
  it('logs the run failed (error, with its id, function and reason), the SDK\'s step error as JSON, and counts the failed step attempt', async () => {
    process.env.METRICS_TOKEN = METRICS_TOKEN;
    resetEnvForTests();
    const paymentId = randomUUID();
    const { inngest } = await import('@/inngest/client');
    // A settlement of a payment that does not exist: its run fails at once (NonRetriableError),
    // and its onFailure handler's step throws too (a StepError, retried).
    await inngest.send({ name: 'payment/created', data: { paymentId } });

    const failed = await waitFor(
      async () => engineLines.find((entry) => entry.line === 'run failed' && (entry.fields?.error as { message?: string } | undefined)?.message?.includes(paymentId)),
      'the engine\'s run failed line',
    );
    expect(failed).toMatchObject({ level: 'error', fields: { runId: expect.any(String), functionId: expect.stringMatching(/settle-payment$/), eventName: 'payment/created' } });

    // The SDK's own line: JSON through the app's logger, at error, not plain text on the console.
    const sdkLine = await waitFor(
      async () => appLines.find((line) => line.component === 'inngest' && String((line.err as { message?: string } | undefined)?.message).includes(paymentId)),
      "the SDK's error line",
    );
    expect(sdkLine).toMatchObject({ level: 'error', msg: expect.stringMatching(/^Inngest (step|function) error$/) });

    // The handler's step threw: a 206 StepError, counted as a failed step attempt.
    const scrapeText = async () => (await fetch(metricsApp.url, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).text();
    await waitFor(async () => /^directpay_inngest_step_failures_total\{function=".*settle-payment-failure"\} [1-9]/m.test(await scrapeText()), 'the failed step attempt counted');
    expect(await scrapeText()).toMatch(/^directpay_process_cpu_user_seconds_total /m);
    // The engine's line for that call names what it reported.
    const handlerCall = await waitFor(
      async () => engineLines.find((entry) => entry.line === 'call' && String(entry.fields?.functionId).endsWith('settle-payment-failure') && entry.fields?.outcome === 'ops'),
      "the engine's line for the handler's call",
    );
    expect(handlerCall.fields!.ops).toEqual(['StepError fail-unconfirmed-payment']);
  });
});

describe('GET /api/metrics', () => {
  const scrape = (authorization?: string) => fetch(metricsApp.url, { headers: authorization ? { authorization } : {} });

  it('answers 404 while METRICS_TOKEN is unset', async () => {
    delete process.env.METRICS_TOKEN;
    resetEnvForTests();
    expect((await scrape(`Bearer ${METRICS_TOKEN}`)).status).toBe(404);
  });

  it('answers 401 without the bearer token or with a wrong one, and the metrics with it', async () => {
    process.env.METRICS_TOKEN = METRICS_TOKEN;
    resetEnvForTests();
    // A payment, so that payments by status and rail has a row.
    const { renterApi, lease, from } = await payingRenter();
    await renterApi.payment.create.mutate({ installmentId: lease.installments[0]!.id, fromAccountId: from.id, rail: 'STANDARD_ACH', idempotencyKey: randomUUID() });

    const missing = await scrape();
    expect(missing.status).toBe(401);
    expect(missing.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect((await scrape(`Bearer ${METRICS_TOKEN}x`)).status).toBe(401);
    expect((await scrape(METRICS_TOKEN)).status).toBe(401);

    const ok = await scrape(`Bearer ${METRICS_TOKEN}`);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await ok.text();
    expect(text).toMatch(/^directpay_http_request_duration_seconds_count\{procedure="payment\.create",status="200"\} [1-9]/m);
    expect(text).toMatch(/^directpay_payments\{status="PENDING",rail="STANDARD_ACH"\} [1-9]/m);
    expect(text).toMatch(/^directpay_engine_queue_depth\{state="due"\} \d+/m);
    expect(text).toMatch(/^directpay_engine_oldest_due_lag_seconds \d/m);
    expect(text).toMatch(/^directpay_inngest_step_duration_seconds_count\{function=".*dispatch-outbox",outcome="(step|complete)"\} [1-9]/m);
    expect(text).toMatch(/^# TYPE directpay_inngest_step_failures_total counter/m);
  });
});
