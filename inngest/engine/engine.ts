// The engine process: HTTP intake, a pool of workers driving runs, and a housekeeping loop
// (cron triggers, expiry of de-duplication keys). See index.ts for how it is started.
import type http from 'node:http';
import pg from 'pg';
import { DAY_MS, DEFAULT_TUNING, errorMessage, Semaphore, type ServingContext, type EngineTuning } from './context';
import { parseCron } from './cron';
import { pinoEngineLog, type EngineLog } from './log';
import { driveOneRun } from './executor';
import { loadFunction, startScheduledRun } from './runs';
import { startHttpServer } from './server';
import { SIGNING_KEY_PATTERN, type EngineKeys } from './signing';
import { syncApp } from './sync';
import { transaction } from './tx';

export interface EngineOptions extends EngineKeys {
  databaseUrl: string;
  /**
   * Serve URL of the app to sync and drive, e.g. http://127.0.0.1:3000/api/inngest. It is the
   * only URL the engine calls: the URL an app reports when it syncs is ignored, so a sync
   * triggered with a forged `Host` re-points nothing. Without it the engine accepts no sync.
   */
  appUrl?: string;
  /** Port for the event API and sync endpoint; 0 (default) picks a free one. */
  port?: number;
  host?: string;
  /**
   * Runs driven at the same time by this process, and the cap on its calls to the app in
   * flight (a run's parallel steps included), so background work never takes more of the app
   * than this. A call holds no database connection while it waits for the app (claims are
   * leases; executor.ts). Default 8.
   */
  workers?: number;
  /** Ended runs (their steps, attempts, waits) and events older than this many days are deleted; default 7. */
  retentionDays?: number;
  /** Default: JSON lines through pino (log.ts). */
  log?: EngineLog;
  /** Re-sync the app this often (ms) to pick up functions changed by a reload; 0 disables. */
  resyncIntervalMs?: number;
  /** The engine's clock (ms since epoch); tests shift it to reach a cron's fire time. */
  now?: () => number;
  /** Longest `stop()` waits for calls in flight before abandoning them (they run again later). */
  stopTimeoutMs?: number;
  tuning?: Partial<EngineTuning>;
}

export interface RunningEngine {
  /** Base URL for the SDK: INNGEST_BASE_URL (with INNGEST_SIGNING_KEY and INNGEST_EVENT_KEY, no INNGEST_DEV). */
  url: string;
  /** Asks the app to sync now; throws if it cannot be reached or its config is refused. */
  syncApp(): Promise<void>;
  /** Counters since start: runs driven (one call each, or a timer applied) and queue polls that found nothing due. */
  stats(): EngineStats;
  stop(): Promise<void>;
}

export interface EngineStats {
  driven: number;
  emptyPolls: number;
}

const CLEANUP_EVERY_MS = 60_000;
export const DEFAULT_RETENTION_DAYS = 7;
const CLEANUP_BATCH = 1_000;

export async function startEngine(options: EngineOptions): Promise<RunningEngine> {
  if (!SIGNING_KEY_PATTERN.test(options.signingKey)) throw new Error('the engine needs a signing key of the form signkey-<env>-<hex>');
  if (!options.eventKey) throw new Error('the engine needs an event key');
  if (options.appUrl) new URL(options.appUrl); // throws on a malformed URL now rather than at the first sync
  const workers = options.workers ?? 8;
  const print = options.log ?? pinoEngineLog();
  // The same plain line (an unreachable app, a refused sync) is printed once per minute at most.
  const printedAt = new Map<string, number>();
  const log: EngineLog = (line, fields, level) => {
    if (fields) return print(line, fields, level);
    const now = Date.now();
    if (now - (printedAt.get(line) ?? -Infinity) < 60_000) return;
    if (printedAt.size > 1000) printedAt.clear();
    printedAt.set(line, now);
    print(line);
  };
  const retentionMs = (options.retentionDays ?? DEFAULT_RETENTION_DAYS) * DAY_MS;
  const pool = new pg.Pool({ connectionString: options.databaseUrl, max: workers + 5 });
  pool.on('error', (error) => log(`database connection error: ${error.message}`));
  // The pool watches idle clients only; a client checked out when the server goes away
  // (e.g. the database stopping first on Ctrl-C) must not crash the process. Its query
  // fails and the run is simply due again.
  pool.on('connect', (client) => client.on('error', () => undefined));
  const abortController = new AbortController();
  let stopping = false;
  let wakeGeneration = 0;
  const sleepers = new Set<() => void>();
  const wake = () => {
    wakeGeneration++;
    for (const sleeper of [...sleepers]) sleeper();
  };
  /**
   * Waits `ms`, or less when woken: by a wake after `generation` was read (new work), or by
   * stop(). With `generation` null (after an error) only stop() cuts the wait short, so a
   * failing loop never spins, however often other work wakes the workers.
   */
  const pause = (ms: number, generation: number | null) =>
    new Promise<void>((resolve) => {
      if (stopping || (generation !== null && generation !== wakeGeneration)) return resolve();
      const done = () => {
        clearTimeout(timer);
        sleepers.delete(wakeUp);
        resolve();
      };
      const wakeUp = () => {
        if (stopping || generation !== null) done();
      };
      const timer = setTimeout(done, Math.max(0, ms));
      sleepers.add(wakeUp);
    });

  const stats: EngineStats = { driven: 0, emptyPolls: 0 };
  let resyncRequested = false;
  const ctx: ServingContext = {
    pool,
    keys: { signingKey: options.signingKey, eventKey: options.eventKey },
    calls: new Semaphore(workers),
    appUrl: options.appUrl,
    now: options.now ?? Date.now,
    log,
    tuning: { ...DEFAULT_TUNING, ...options.tuning },
    wake,
    requestResync: () => {
      resyncRequested = true;
      wake();
    },
    abort: abortController.signal,
  };

  const sync = async (): Promise<void> => {
    if (!options.appUrl) throw new Error('the engine was started without an appUrl to sync');
    await syncApp(options.appUrl, options.signingKey, abortController.signal);
  };

  const workerLoop = async () => {
    let preferred: string | null = null;
    while (!stopping) {
      const generation = wakeGeneration;
      try {
        const driven = await driveOneRun(ctx, preferred);
        // Keep driving a run that is due again at once (its next step) without a queue round trip.
        preferred = driven?.outcome === 'due-now' ? driven.runId : null;
        if (driven) {
          stats.driven++;
          continue;
        }
        stats.emptyPolls++;
        // A run waiting only for a signal (an invoke without timeout) is due at 'infinity',
        // which pg reads as the number Infinity, not a Date: such rows are not a due time.
        const { rows } = await pool.query<{ due_at: Date }>(
          "select due_at from inngest_engine.queue where due_at > $1 and due_at < 'infinity' order by due_at limit 1",
          [new Date(ctx.now())],
        );
        const untilDue = rows[0] ? rows[0].due_at.getTime() - ctx.now() : Infinity;
        await pause(Math.min(untilDue, ctx.tuning.pollMs), generation);
      } catch (error) {
        if (stopping) return;
        log(`worker error: ${errorMessage(error)}`);
        await pause(ctx.tuning.pollMs, null);
      }
    }
  };

  const fireCrons = (): Promise<number> =>
    transaction(pool, async (tx) => {
      const now = ctx.now();
      const { rows } = await tx.query<{ function_id: string; expression: string; next_at: Date }>(
        'select function_id, expression, next_at from inngest_engine.crons where next_at <= $1 order by next_at limit 20 for update skip locked',
        [new Date(now)],
      );
      for (const cron of rows) {
        const fn = await loadFunction(tx, cron.function_id);
        if (fn) await startScheduledRun(ctx, tx, fn, cron.expression, cron.next_at.getTime());
        // After downtime, fire once for the missed time and carry on from now, as Inngest does.
        tx.defer('update inngest_engine.crons set next_at = $3 where function_id = $1 and expression = $2', [
          cron.function_id,
          cron.expression,
          new Date(parseCron(cron.expression).next(Math.max(now, cron.next_at.getTime()))),
        ]);
      }
      return rows.length;
    });

  const cleanUp = async () => {
    const now = new Date(ctx.now());
    for (const [table, key] of [
      ['event_ids', 'id'],
      ['idempotency_keys', 'function_id, key'],
    ] as const) {
      let deleted: number;
      do {
        const result = await pool.query(
          `delete from inngest_engine.${table} where (${key}) in (select ${key} from inngest_engine.${table} where expires_at <= $1 limit ${CLEANUP_BATCH})`,
          [now],
        );
        deleted = result.rowCount ?? 0;
      } while (deleted === CLEANUP_BATCH && !stopping);
    }
    await pool.query(
      `delete from inngest_engine.waiters where id in (select id from inngest_engine.waiters where kind = 'cancel' and expires_at <= $1 limit ${CLEANUP_BATCH})`,
      [now],
    );
    // A signal that raced with its run finishing is never read.
    await pool.query(
      `delete from inngest_engine.signals where id in (
         select s.id from inngest_engine.signals s where not exists (select 1 from inngest_engine.queue q where q.run_id = s.run_id) limit ${CLEANUP_BATCH})`,
    );
    await deleteExpiredHistory(pool, new Date(ctx.now() - retentionMs), () => stopping);
  };

  let lastSyncProblem = '';
  const housekeepingLoop = async () => {
    let nextCleanup = 0;
    let nextResync = options.resyncIntervalMs ? ctx.now() + options.resyncIntervalMs : Infinity;
    while (!stopping) {
      const generation = wakeGeneration;
      try {
        if (resyncRequested || ctx.now() >= nextResync) {
          resyncRequested = false;
          nextResync = options.resyncIntervalMs ? ctx.now() + options.resyncIntervalMs : Infinity;
          try {
            await sync();
            if (lastSyncProblem) log('the app is synced again');
            lastSyncProblem = '';
          } catch (error) {
            const message = errorMessage(error);
            if (message !== lastSyncProblem && !stopping) log(message);
            lastSyncProblem = message;
          }
        }
        if (ctx.now() >= nextCleanup) {
          await cleanUp();
          nextCleanup = ctx.now() + CLEANUP_EVERY_MS;
        }
        if ((await fireCrons()) > 0) continue;
        const { rows } = await pool.query<{ next_at: Date | null }>('select min(next_at) as next_at from inngest_engine.crons');
        const untilCron = rows[0]?.next_at ? rows[0].next_at.getTime() - ctx.now() : Infinity;
        await pause(Math.min(untilCron, ctx.tuning.pollMs, nextResync - ctx.now()), generation);
      } catch (error) {
        if (stopping) return;
        log(`housekeeping error: ${errorMessage(error)}`);
        await pause(ctx.tuning.pollMs, null);
      }
    }
  };

  let server: http.Server;
  let url: string;
  try {
    ({ server, url } = await startHttpServer(ctx, options.host ?? '127.0.0.1', options.port ?? 0));
  } catch (error) {
    await pool.end();
    throw error;
  }
  const loops = [housekeepingLoop(), ...Array.from({ length: workers }, workerLoop)];

  return {
    url,
    syncApp: sync,
    stats: () => ({ ...stats }),
    async stop() {
      if (stopping) return;
      stopping = true;
      wake();
      const finished = Promise.all(loops);
      const timedOut = await Promise.race([finished.then(() => false), new Promise<boolean>((resolve) => setTimeout(() => resolve(true), options.stopTimeoutMs ?? 10_000).unref())]);
      if (timedOut) {
        // Calls still in flight are abandoned; their transactions roll back and the runs
        // continue from their last stored step at the next start.
        abortController.abort();
        await finished;
      }
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await pool.end();
    },
  };
}

/**
 * Retention: deletes runs that ended before `cutoff` (their steps, attempts, waiters and
 * signals go with them, by foreign key), then events received before it that no unfinished
 * run started from. Unfinished runs are never deleted, however old. In batches, so no
 * statement runs long; returns how many runs and events went.
 */
export async function deleteExpiredHistory(pool: pg.Pool, cutoff: Date, stopped: () => boolean = () => false): Promise<{ runs: number; events: number }> {
  const deleted = { runs: 0, events: 0 };
  let count: number;
  do {
    const result = await pool.query(
      `delete from inngest_engine.runs where id in (
         select id from inngest_engine.runs where ended_at is not null and ended_at < $1 limit ${CLEANUP_BATCH})`,
      [cutoff],
    );
    count = result.rowCount ?? 0;
    deleted.runs += count;
  } while (count === CLEANUP_BATCH && !stopped());
  do {
    const result = await pool.query(
      `delete from inngest_engine.events where internal_id in (
         select e.internal_id from inngest_engine.events e
          where e.received_at < $1
            and not exists (select 1 from inngest_engine.runs r where r.event_internal_id = e.internal_id and r.ended_at is null)
          limit ${CLEANUP_BATCH})`,
      [cutoff],
    );
    count = result.rowCount ?? 0;
    deleted.events += count;
  } while (count === CLEANUP_BATCH && !stopped());
  return deleted;
}
