// Running Inngest functions for real in tests: the SDK's Next.js `serve` handler on a real
// HTTP port, and the engine in-process against the test file's database
// (process.env.DATABASE_URL, set per file by server/testing/database.ts).
//
//   const inngestTest = await startInngestForTests({ client: inngest, functions: [settlePayment] });
//   await inngest.send({ name: 'payment/created', data: { paymentId } });
//   await inngestTest.waitForRun((run) => run.status === 'completed', { functionId: 'directpay-settle-payment' });
//   await inngestTest.stop();
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Inngest, InngestFunction } from 'inngest';
import { serve } from 'inngest/next';
import pg from 'pg';
import { startEngine, type EngineOptions, type RunningEngine } from './engine';
import { ENDED_STATUSES, listRuns, runsForEvent, getRunTrace, type RunFilter, type RunSummary, type RunTrace } from './read';
import { generateEngineKeys, type EngineKeys } from './signing';

type RouteHandler = (request: Request) => Promise<Response>;
type RouteHandlers = { GET: RouteHandler; POST: RouteHandler; PUT: RouteHandler };

/** `inngest/next`'s serve handlers as plain `Request → Response` functions (the SDK types them for Next's route signature). */
export function serveFunctions(options: Parameters<typeof serve>[0]): RouteHandlers {
  return serve(options) as unknown as RouteHandlers;
}

/** For test clients (`new Inngest({ id, logger: silentLogger })`) whose failures are expected. */
export const silentLogger = { info: () => undefined, warn: () => undefined, error: () => undefined, debug: () => undefined };

export interface ServedApp {
  /** The serve endpoint, e.g. http://127.0.0.1:41234/api/inngest. */
  url: string;
  setHandlers(handlers: RouteHandlers): void;
  close(): Promise<void>;
}

/** An HTTP server on 127.0.0.1 that hands requests to App Router style route handlers. */
/** `appBusy`, when given, is answered as `X-App-Busy` on every response, as DirectPay's request wrapper does. */
export async function serveRouteHandlers(path = '/api/inngest', options: { appBusy?: () => boolean } = {}): Promise<ServedApp> {
  let handlers: Partial<Record<string, RouteHandler>> = {};
  const server = http.createServer((req, res) => {
    void (async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers)) {
        if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
      }
      const method = req.method ?? 'GET';
      const handler = handlers[method];
      if (!handler) {
        res.writeHead(405).end();
        return;
      }
      const response = await handler(
        new Request(`http://${req.headers.host}${req.url}`, { method, headers, body: method === 'GET' || method === 'HEAD' ? undefined : Buffer.concat(chunks) }),
      );
      const answerHeaders = Object.fromEntries(response.headers);
      if (options.appBusy) answerHeaders['x-app-busy'] = options.appBusy() ? '1' : '0';
      res.writeHead(response.status, answerHeaders);
      res.end(Buffer.from(await response.arrayBuffer()));
    })().catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${path}`,
    setHandlers: (next) => {
      handlers = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/**
 * The keys tests sign with: INNGEST_SIGNING_KEY and INNGEST_EVENT_KEY as the test setup set
 * them (server/testing/database.ts, so the app's client, which reads them through
 * server/env.ts, agrees), or new ones put there for a process that has none.
 */
export function testEngineKeys(): EngineKeys {
  if (!process.env.INNGEST_SIGNING_KEY || !process.env.INNGEST_EVENT_KEY) {
    const generated = generateEngineKeys('test');
    process.env.INNGEST_SIGNING_KEY ??= generated.signingKey;
    process.env.INNGEST_EVENT_KEY ??= generated.eventKey;
  }
  return { signingKey: process.env.INNGEST_SIGNING_KEY, eventKey: process.env.INNGEST_EVENT_KEY! };
}

/**
 * Points the SDK of `client` at the engine at `engineUrl` in cloud mode (signatures checked):
 * INNGEST_BASE_URL set, INNGEST_DEV removed. Returns a function that restores the variables.
 */
export function pointClientAtEngine(client: Inngest.Any, engineUrl: string): () => void {
  const previous = { INNGEST_DEV: process.env.INNGEST_DEV, INNGEST_BASE_URL: process.env.INNGEST_BASE_URL };
  delete process.env.INNGEST_DEV;
  process.env.INNGEST_BASE_URL = engineUrl;
  // setEnvVars merges: name INNGEST_DEV explicitly so an earlier value does not linger.
  client.setEnvVars({ ...process.env, INNGEST_DEV: undefined });
  return () => {
    for (const [key, value] of Object.entries(previous)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  };
}

/**
 * A pool of a test's own on `connectionString`. Its idle connections are ended by the server when
 * the test file's database is dropped (`with (force)`, afterAll); without a listener that 'error'
 * would fail the run as an unhandled error after every test passed.
 */
export function testPool(connectionString: string, max: number): pg.Pool {
  const pool = new pg.Pool({ connectionString, max });
  pool.on('error', () => undefined);
  return pool;
}

export interface InngestTestHarness {
  engine: RunningEngine;
  /** The keys the engine signs with and the client sends with. */
  keys: EngineKeys;
  /** The app's serve URL. */
  appUrl: string;
  /** A pool on the test database, for reading the engine's tables. */
  db: pg.Pool;
  /** Engine log lines (sync refusals, unreachable app, ...); a line with fields as `<line> <fields as JSON>` (`call {…}`, `checkpoint {…}`). */
  logs: string[];
  /** Serves another set of functions from now on, as a reload of the app would (no sync). */
  setFunctions(functions: readonly InngestFunction.Like[]): void;
  runsForEvent(eventId: string): Promise<RunSummary[]>;
  trace(runId: string): Promise<RunTrace>;
  /** Polls until a run matching `filter` satisfies `predicate`; returns it. */
  waitForRun(predicate: (run: RunSummary) => boolean, filter?: RunFilter, timeoutMs?: number): Promise<RunSummary>;
  /** Polls until the run has ended (completed, failed or cancelled); returns its trace. */
  waitForEnd(runId: string, timeoutMs?: number): Promise<RunTrace>;
  stop(): Promise<void>;
}

export async function waitFor<T>(probe: () => Promise<T | null | undefined | false>, what: string, timeoutMs = 20_000, everyMs = 25): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

/**
 * Serves `functions` through `inngest/next` on a real port, starts the engine on the test
 * database with the test keys, points `client` at it (INNGEST_BASE_URL, no INNGEST_DEV: every
 * call is signed and checked, as in production) and syncs.
 * Retry backoff is scaled down 1000× unless `engine.tuning.backoffScale` says otherwise.
 */
export async function startInngestForTests(options: {
  client: Inngest.Any;
  functions: readonly InngestFunction.Like[];
  databaseUrl?: string;
  engine?: Partial<EngineOptions>;
  /** Answered as `X-App-Busy` on every call (serveRouteHandlers). */
  appBusy?: () => boolean;
}): Promise<InngestTestHarness> {
  const databaseUrl = options.databaseUrl ?? process.env.DATABASE_URL;
  if (!databaseUrl) throw new Error('startInngestForTests needs DATABASE_URL (set by the test setup)');
  const app = await serveRouteHandlers('/api/inngest', { appBusy: options.appBusy });
  const logs: string[] = [];
  const keys = testEngineKeys();
  const engine = await startEngine({
    databaseUrl,
    ...keys,
    appUrl: app.url,
    workers: 4,
    resyncIntervalMs: 0,
    log: (line, fields) => logs.push(fields ? `${line} ${JSON.stringify(fields)}` : line),
    ...options.engine,
    tuning: { backoffScale: 0.001, unreachableRetryMs: 50, pollMs: 50, ...options.engine?.tuning },
  });
  // The SDK reads these itself (so one harness per test file at a time); its serve handler
  // fixes the sync URL when created, so the handler is created only now.
  const restoreEnv = pointClientAtEngine(options.client, engine.url);
  const setFunctions = (functions: readonly InngestFunction.Like[]) =>
    app.setHandlers(serveFunctions({ client: options.client, functions }));
  setFunctions(options.functions);
  const db = testPool(databaseUrl, 3);
  try {
    await engine.syncApp();
  } catch (error) {
    await engine.stop();
    await app.close();
    await db.end();
    throw error;
  }

  const harness: InngestTestHarness = {
    engine,
    keys,
    appUrl: app.url,
    db,
    logs,
    setFunctions,
    runsForEvent: (eventId) => runsForEvent(db, eventId),
    trace: async (runId) => {
      const trace = await getRunTrace(db, runId);
      if (!trace) throw new Error(`no run ${runId}`);
      return trace;
    },
    waitForRun: (predicate, filter = {}, timeoutMs) =>
      waitFor(async () => (await listRuns(db, { limit: 500, ...filter })).find(predicate), `a run matching ${JSON.stringify(filter)}`, timeoutMs),
    waitForEnd: (runId, timeoutMs) =>
      waitFor(
        async () => {
          const trace = await getRunTrace(db, runId);
          return trace && ENDED_STATUSES.has(trace.status) ? trace : null;
        },
        `run ${runId} to end`,
        timeoutMs,
      ),
    stop: async () => {
      await engine.stop();
      await app.close();
      await db.end();
      restoreEnv();
    },
  };
  return harness;
}
