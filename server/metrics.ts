// Prometheus metrics (prom-client), served at GET /api/metrics (app/api/metrics/route.ts) to
// a caller with `Authorization: Bearer $METRICS_TOKEN`. Request durations are observed as
// requests end (server/request-context.ts); payments by status and rail and the engine's
// queue (server/engine-queue.ts) are read with one grouped query each at scrape time. README
// "Metrics" lists them.
// Kept on globalThis: Next may load this module once per route bundle, and every copy must
// count into the same registry.
import 'server-only';
import { createHash, timingSafeEqual } from 'node:crypto';
import client from 'prom-client';
import { db } from '@/server/db';
import { readEngineQueueDepth, usesLocalEngine } from '@/server/engine-queue';

/** Histogram buckets in seconds: 1 ms to 10 s. */
const BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** A duration histogram in seconds over BUCKETS, in `registry`. */
function durationHistogram<L extends string>(registry: client.Registry, name: string, help: string, labelNames: readonly L[]): client.Histogram<L> {
  return new client.Histogram({ name, help, labelNames, buckets: BUCKETS, registers: [registry] });
}

function createMetrics() {
  const registry = new client.Registry();
  // prom-client's own names start process_ or nodejs_: directpay_process_cpu_user_seconds_total, …
  client.collectDefaultMetrics({ register: registry, prefix: 'directpay_' });
  const requestDuration = durationHistogram(
    registry,
    'directpay_http_request_duration_seconds',
    'API requests by procedure (tRPC procedure, inngest, auth, export, …) and HTTP status, in seconds',
    ['procedure', 'status'] as const,
  );
  const stepDuration = durationHistogram(
    registry,
    'directpay_inngest_step_duration_seconds',
    "The engine's calls to /api/inngest by function and outcome (step: a step ran; complete: the run ended; error: the call failed), in seconds",
    ['function', 'outcome'] as const,
  );
  const stepFailures = new client.Counter({
    name: 'directpay_inngest_step_failures_total',
    help: 'Failed step attempts, by function: a step that threw (retried or not) or a call that answered an error',
    labelNames: ['function'] as const,
    registers: [registry],
  });
  new client.Gauge({
    name: 'directpay_payments',
    help: 'Payments by status and rail (counted at scrape time)',
    labelNames: ['status', 'rail'] as const,
    registers: [registry],
    async collect() {
      const rows = await db.$queryRaw<{ status: string; rail: string; n: number }[]>`select status::text, rail::text, count(*)::int as n from "Payment" group by 1, 2`;
      this.reset();
      for (const row of rows) this.set({ status: row.status, rail: row.rail }, row.n);
    },
  });
  // The local engine's queue, in a registry of its own: scraped only when the app runs on the
  // local engine (metricsText). One query for both gauges, at scrape time (queue depth is
  // collected first and sets the lag too).
  const engineRegistry = new client.Registry();
  const oldestDueLag = new client.Gauge({
    name: 'directpay_engine_oldest_due_lag_seconds',
    help: 'How long the oldest due run (never claimed, or its claim lapsed) has waited for a worker, in seconds (0: none)',
    registers: [],
  });
  new client.Gauge({
    name: 'directpay_engine_queue_depth',
    help: "Runs in the engine's queue: due (waiting for a worker; a lapsed claim is due again), claimed (a worker is calling the app), waiting (a sleep, event or invoke not yet due)",
    labelNames: ['state'] as const,
    registers: [engineRegistry],
    async collect() {
      const queue = await readEngineQueueDepth();
      this.set({ state: 'due' }, queue.due);
      this.set({ state: 'claimed' }, queue.claimed);
      this.set({ state: 'waiting' }, queue.waiting);
      oldestDueLag.set(queue.oldestDueLagSeconds ?? 0);
    },
  });
  engineRegistry.registerMetric(oldestDueLag);
  return { registry, engineRegistry, requestDuration, stepDuration, stepFailures };
}

const globalForMetrics = globalThis as unknown as { directpayMetrics?: ReturnType<typeof createMetrics> };

/** The process's metrics, created on first use. */
export function metrics(): ReturnType<typeof createMetrics> {
  globalForMetrics.directpayMetrics ??= createMetrics();
  return globalForMetrics.directpayMetrics;
}

/**
 * The metrics in Prometheus's text format (`contentType`), read now. The engine's queue is added
 * only when the app runs on the local engine (usesLocalEngine; on Inngest Cloud or the Dev Server
 * the queue is not in this database), and left out, with `engineError`, when it cannot be read
 * (its schema missing). Rejects when the database cannot be read at all.
 */
export async function metricsText(): Promise<{ text: string; contentType: string; engineError: unknown }> {
  const { registry, engineRegistry } = metrics();
  const text = await registry.metrics();
  if (!usesLocalEngine()) return { text, contentType: registry.contentType, engineError: null };
  try {
    return { text: text + (await engineRegistry.metrics()), contentType: registry.contentType, engineError: null };
  } catch (engineError) {
    return { text, contentType: registry.contentType, engineError };
  }
}

/** True when `authorization` is `Bearer <token>`; compared in constant time (digests of equal length). */
export function bearerMatches(authorization: string | null, token: string): boolean {
  const match = /^Bearer (.+)$/.exec(authorization ?? '');
  if (!match) return false;
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(match[1]!), digest(token));
}
