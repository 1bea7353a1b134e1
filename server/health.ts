// What /api/health reports, publicly: can we reach the database and which migration is it on,
// and, when the local engine runs the background work, whether it is behind. The status (200 or
// 503) follows the database only: a busy engine must not take the portal out of a load
// balancer. No answer carries the driver's error (it can name the database's host and port):
// that goes to the server log.
import 'server-only';
import { Prisma } from '@/server/generated/prisma/client';
import { db } from '@/server/db';
import { isMissingRelation } from '@/server/db-errors';
import { oldestDueLagSecondsSql, usesLocalEngine } from '@/server/engine-queue';
import { env } from '@/server/env';
import { logger } from '@/server/logger';

/** The local engine's backlog: the oldest due run's wait in seconds (null: none due), and whether it exceeds `behindAfterSeconds` (INNGEST_ENGINE_BEHIND_SECONDS). */
export interface EngineHealth {
  oldestDueLagSeconds: number | null;
  behind: boolean;
  behindAfterSeconds: number;
}

/** /api/health's body. `engine` is null under Inngest Cloud or the Dev Server (no local queue) and when the database is unreachable. */
export interface Health {
  ok: boolean;
  database: { reachable: boolean; latestMigration: string | null };
  engine: EngineHealth | null;
  /** ISO 8601 instant of the check. */
  time: string;
}

const latestMigrationSql = Prisma.sql`(select migration_name from "_prisma_migrations"
    where finished_at is not null and rolled_back_at is null
    order by migration_name desc limit 1)`;

/**
 * How long a check waits for the database's answer (ms), as long as the pool waits for a new
 * connection (server/db.ts): a server that stopped answering (frozen, a half-open connection)
 * otherwise holds the probe until TCP gives up, minutes later, and the load balancer learns nothing.
 */
export const HEALTH_DATABASE_TIMEOUT_MS = 5_000;

/** One statement: the latest migration, and with `withEngine` the oldest due run's lag. Rejects after HEALTH_DATABASE_TIMEOUT_MS. */
async function readDatabase(withEngine: boolean): Promise<{ migration: string | null; lag: number | null }> {
  const lag = withEngine ? oldestDueLagSecondsSql : Prisma.sql`null::float8`;
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the database did not answer within ${HEALTH_DATABASE_TIMEOUT_MS} ms`)), HEALTH_DATABASE_TIMEOUT_MS);
  });
  try {
    const rows = await Promise.race([db.$queryRaw<{ migration: string | null; lag: number | null }[]>`select ${latestMigrationSql} as migration, ${lag} as lag`, deadline]);
    return { migration: rows[0]?.migration ?? null, lag: rows[0]?.lag ?? null };
  } finally {
    clearTimeout(timer);
  }
}

function engineHealth(lag: number | null): EngineHealth {
  const behindAfterSeconds = env.INNGEST_ENGINE_BEHIND_SECONDS;
  return { oldestDueLagSeconds: lag, behind: lag !== null && lag > behindAfterSeconds, behindAfterSeconds };
}

/**
 * Whether the last check found the database unreachable: the error is logged when that starts
 * (with the driver's error) and when it ends, not on every probe, so a load balancer probing
 * every second during an outage does not flood the log with the same stack.
 */
let databaseDown = false;

export async function checkHealth(): Promise<Health> {
  const time = new Date().toISOString();
  const withEngine = usesLocalEngine();
  try {
    let read;
    let engine: EngineHealth | null = null;
    try {
      read = await readDatabase(withEngine);
      if (withEngine) engine = engineHealth(read.lag);
    } catch (error) {
      // Configured for the local engine on a database without its schema: report the portal, not the engine.
      if (!withEngine || !isMissingRelation(error)) throw error;
      logger.warn({ err: error }, 'health: the local engine is configured but its schema is missing');
      read = await readDatabase(false);
    }
    if (databaseDown) logger.info({}, 'health: database reachable again');
    databaseDown = false;
    return { ok: true, database: { reachable: true, latestMigration: read.migration }, engine, time };
  } catch (error) {
    if (!databaseDown) logger.error({ err: error }, 'health: database unreachable');
    databaseDown = true;
    return { ok: false, database: { reachable: false, latestMigration: null }, engine: null, time };
  }
}
