// One load phase of the bench: autocannon against the app on loopback, bounded by a request
// count and a time limit. Every request is built by `next()` (fresh idempotency keys,
// distinct installments), latencies are taken per response from autocannon's own timer,
// and anything but a 2xx counts as an error.
import os from 'node:os';
import autocannon, { type Result as AutocannonResult } from 'autocannon';

export interface BenchRequest {
  method: 'GET' | 'POST';
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

export interface PhaseResult {
  name: string;
  connections: number;
  requests: number;
  seconds: number;
  /** Completed 2xx requests per second. */
  throughput: number;
  p50: number;
  p95: number;
  p99: number;
  errors: number;
  /** 1-minute load average when the phase started. */
  loadAverage: number;
  /** Filled in by the bench: throughput / pgbench TPS at the same concurrency. */
  ratioToPgbench?: number;
  note?: string;
}

/** The p-th percentile (0–100) of ascending `sorted`, by the nearest-rank method. */
export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export function summarize(name: string, connections: number, latencies: number[], seconds: number, errors: number, loadAverage: number): PhaseResult {
  const sorted = [...latencies].sort((a, b) => a - b);
  const round = (value: number) => Math.round(value * 100) / 100;
  return {
    name,
    connections,
    requests: latencies.length,
    seconds: round(seconds),
    throughput: round((latencies.length - errors) / seconds),
    p50: round(percentile(sorted, 50)),
    p95: round(percentile(sorted, 95)),
    p99: round(percentile(sorted, 99)),
    errors,
    loadAverage: round(loadAverage),
  };
}

/**
 * Sends `amount` requests over `connections` connections (stopping early after
 * `maxSeconds`, which counts as a failure of the phase) and measures each response.
 * `onResponse` sees every answer (status, body, headers) in order of arrival.
 */
export async function runLoad(options: {
  name: string;
  baseUrl: string;
  connections: number;
  amount: number;
  maxSeconds: number;
  next: () => BenchRequest;
  onResponse?: (status: number, body: string, headers: Record<string, string | string[]>) => void;
  /** Stop early when this returns true (checked after every response). */
  until?: () => boolean;
}): Promise<PhaseResult & { failures: string[] }> {
  const loadAverage = os.loadavg()[0]!;
  const latencies: number[] = [];
  const failures: string[] = [];
  let errors = 0;
  let timedOut = false;
  const started = performance.now();
  // autocannon calls back on its one-second tick, up to a second after the last answer (30
  // requests answered in 0.74 s called back at 1.06 s): a phase's time runs from its start to
  // its last response, not to that callback.
  let lastResponseAt = started;
  const result = await new Promise<AutocannonResult>((resolve, reject) => {
    const instance = autocannon(
      {
        url: options.baseUrl,
        // autocannon refuses more connections than requests (a replay of few payments).
        connections: Math.min(options.connections, options.amount),
        amount: options.amount,
        timeout: 30,
        requests: [
          {
            setupRequest: () => {
              const request = options.next();
              return { method: request.method, path: request.path, headers: { 'content-type': 'application/json', ...request.headers }, body: request.body };
            },
            onResponse: (status, body, _context, headers) => {
              if (status < 200 || status >= 300) {
                if (failures.length < 5) failures.push(`${status}: ${body.slice(0, 300)}`);
              }
              options.onResponse?.(status, body, headers);
              if (options.until?.()) instance.stop();
            },
          },
        ],
      },
      (error, output) => (error ? reject(error) : resolve(output)),
    );
    instance.on('response', (_client: unknown, status: number, _bytes: number, responseTime: number) => {
      latencies.push(responseTime);
      lastResponseAt = performance.now();
      if (status < 200 || status >= 300) errors++;
    });
    const timer = setTimeout(() => {
      timedOut = true;
      instance.stop();
    }, options.maxSeconds * 1000);
    instance.once('done', () => clearTimeout(timer));
  });
  const seconds = ((latencies.length ? lastResponseAt : performance.now()) - started) / 1000;
  errors += result.errors + result.timeouts;
  if (timedOut) failures.push(`stopped after ${options.maxSeconds} s with ${latencies.length} of ${options.amount} requests answered`);
  if (result.errors || result.timeouts) failures.push(`${result.errors} connection errors, ${result.timeouts} timeouts`);
  const summary = summarize(options.name, options.connections, latencies, seconds, errors + (timedOut ? 1 : 0), loadAverage);
  return { ...summary, failures };
}
