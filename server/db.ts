// The one Prisma client, over node-postgres through @prisma/adapter-pg. Created on first use
// and kept on globalThis so Next's hot reload does not open a new pool on every edit.
import 'server-only';
import type { Socket } from 'node:net';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaClient } from '@/server/generated/prisma/client';
import { env } from '@/server/env';

export type Db = PrismaClient;
/** The client inside `db.$transaction(async (tx) => …)`. */
export type Tx = Omit<PrismaClient, '$connect' | '$disconnect' | '$on' | '$transaction' | '$extends'>;

const globalForDb = globalThis as unknown as { directpayDb?: PrismaClient };

/** How many distinct statement texts are kept prepared on each pooled connection (see statementNames). */
export const PREPARED_STATEMENTS_MAX = 1000;

/**
 * Names each statement text for node-postgres, which then prepares it once per pooled connection
 * and only binds and executes it afterwards. Without a name PostgreSQL parses and plans every
 * statement anew: for a read with relations (one LATERAL-join statement) planning took 5–6 ms of
 * the server's CPU where executing took under 1 ms (BENCHMARKS.md, "Prepared statements").
 * After five runs PostgreSQL's plan cache (plan_cache_mode auto) may keep a generic plan and stop
 * planning it at all, when that plan's estimate is no worse (it did for payment.byId's statement).
 * The same text always gets the same name; past `max` distinct texts (raw SQL built at run time,
 * IN lists of every length) new texts go unnamed, so a connection's prepared statements stay
 * bounded. Returns '' for "unnamed".
 */
export function statementNames(max = PREPARED_STATEMENTS_MAX): (query: { sql: string }) => string {
  const names = new Map<string, string>();
  return ({ sql }) => {
    let name = names.get(sql);
    if (name === undefined) {
      if (names.size >= max) return '';
      name = `dp${names.size + 1}`;
      names.set(sql, name);
    }
    return name;
  };
}

/**
 * `url` with the app's session settings as startup parameters (added to any options the URL
 * already has, each unless the URL sets it; no extra round trip):
 * - `TimeZone=UTC`. Prisma's pg adapter writes and reads `timestamptz` values without their
 *   offset, that is as if the session were UTC, while raw SQL (insertRows, `now()` defaults)
 *   handles true instants. On a server whose TimeZone is not UTC (an embedded PostgreSQL
 *   initialised on a developer's machine in Los Angeles) the two disagreed by the offset: an
 *   event's stored `createdAt` no longer matched its hash, and new notices read 8 hours old.
 * - `default_transaction_isolation=read committed`. The database's rules refuse money written at
 *   any other level (migration 20261202130000): on a server whose default is SERIALIZABLE every
 *   payment would be refused.
 * - `statement_timeout=<statementTimeoutMs>`: no statement runs, or waits for a lock, longer
 *   (a session holding a lease's lock in psql, a stuck transaction elsewhere). PostgreSQL cancels
 *   it with SQLSTATE 57014, answered 503 with Retry-After (server/db-errors.ts).
 * - `idle_in_transaction_session_timeout=60000`: a transaction left open with nothing running for
 *   a minute (its app process frozen or cut off) is ended by the server, releasing its locks. The
 *   app's own transactions end within 15 s (Prisma's timeout, server/domain/idempotency.ts).
 */
export function appSessionUrl(url: string, statementTimeoutMs = 10_000): string {
  const parsed = new URL(url);
  const options = parsed.searchParams.get('options') ?? '';
  const settings = [
    ['TimeZone', 'UTC'],
    ['default_transaction_isolation', 'read\\ committed'],
    ['statement_timeout', String(statementTimeoutMs)],
    ['idle_in_transaction_session_timeout', '60000'],
  ].filter(([name]) => !options.includes(`${name}=`));
  if (!settings.length) return url;
  parsed.searchParams.set('options', [options, ...settings.map(([name, value]) => `-c ${name}=${value}`)].filter(Boolean).join(' '));
  return parsed.toString();
}

/** How much longer than the server's statement_timeout the app waits for an answer before it gives up on the server (ms). */
export const ANSWER_GRACE_MS = 5_000;

/**
 * Makes each connection `pool` opens give up on a server that sends nothing for `ms` while a
 * statement waits for its answer (a frozen or cut-off server, which TCP alone does not notice):
 * the connection is destroyed, its statements fail with "Connection terminated: …" (an outage,
 * answered 503: server/db-errors.ts) and the pool opens a new one for the next request. A
 * transaction cut off so is rolled back by the server once it sees the connection closed; a
 * COMMIT cut off so may have landed, as with any lost connection (payments are idempotent).
 * `ms` must exceed the server's statement_timeout, so a statement that is merely slow is ended
 * by the server first. Idle connections are never touched. Reads pg's Client internals
 * (`connection.stream`, `readyForQuery`), checked by server/db-deadline.test.ts.
 */
export function withAnswerDeadline(pool: pg.Pool, ms: number): pg.Pool {
  pool.on('connect', (client) => {
    const internals = client as unknown as { connection: { stream: Socket }; readyForQuery: boolean };
    const socket = internals.connection.stream;
    // The statement's own error reaches its caller; without a listener this 'error' would crash the process.
    client.on('error', () => undefined);
    socket.setTimeout(ms);
    socket.on('timeout', () => {
      if (internals.readyForQuery) return; // idle in the pool: nothing is waiting
      // The timer also runs while the app itself is stalled (its process paused, the event loop
      // blocked), and timers fire before I/O is read: an answer may already be waiting in the
      // socket. Let this turn of the event loop read it first (found by a stranger: a pause of
      // the app longer than the deadline failed a request whose transaction had committed).
      const read = socket.bytesRead;
      setImmediate(() => {
        if (internals.readyForQuery || socket.bytesRead !== read || socket.destroyed) return;
        socket.destroy(Object.assign(new Error(`Connection terminated: the database sent nothing for ${ms} ms while a statement waited`), { code: 'ETIMEDOUT' }));
      });
    });
  });
  return pool;
}

/** A pool of the app's sessions (appSessionUrl) with the answer deadline; used by Prisma and the operators' dashboard. */
export function appPool(options: { max: number; applicationName?: string }): pg.Pool {
  const pool = new pg.Pool({
    connectionString: appSessionUrl(env.DATABASE_URL, env.DATABASE_STATEMENT_TIMEOUT_MS),
    max: options.max,
    connectionTimeoutMillis: 5_000,
    application_name: options.applicationName,
  });
  return withAnswerDeadline(pool, env.DATABASE_STATEMENT_TIMEOUT_MS + ANSWER_GRACE_MS);
}

function createClient(): PrismaClient {
  const adapter = new PrismaPg(appPool({ max: env.DATABASE_POOL_SIZE }), { statementNameGenerator: statementNames(), disposeExternalPool: true });
  return new PrismaClient({ adapter });
}

function getDb(): PrismaClient {
  globalForDb.directpayDb ??= createClient();
  return globalForDb.directpayDb;
}

/** Closes the pool; tests and scripts call it before exiting. */
export async function disconnectDb(): Promise<void> {
  await globalForDb.directpayDb?.$disconnect();
  globalForDb.directpayDb = undefined;
}

export const db: PrismaClient = new Proxy({} as PrismaClient, {
  get(_target, key) {
    const client = getDb();
    const value = Reflect.get(client, key, client);
    return typeof value === 'function' ? value.bind(client) : value;
  },
});
