// What the app reads of the local Inngest engine's queue (inngest_engine.queue: one row per
// unfinished run with its due time): the queue's depth for /api/metrics, and how long the
// oldest due run has waited for a worker, for /api/metrics and /api/health alike. The SQL of
// both lives here, so the two answers cannot disagree on what "waiting" means.
import 'server-only';
import { Prisma } from '@/server/generated/prisma/client';
import { db } from '@/server/db';
import { env } from '@/server/env';

/**
 * A scalar subquery: seconds (float8) since the oldest due work's due time — a run never claimed,
 * or whose claim lapsed, waiting for a worker, or a cron tick the engine has not fired — or null
 * when nothing is due. The crons count because an engine that stopped working queues nothing:
 * with no run due, only the minute crons falling behind show it. Reads the earliest `due_at`
 * (queue_due_at_idx) and `next_at` (crons_next_at_idx): two index probes whatever the sizes.
 * Fails when the engine's schema is absent (see usesLocalEngine).
 */
export const oldestDueLagSecondsSql = Prisma.sql`(select extract(epoch from now() - min(due))::float8 from (
      select min(due_at) as due from inngest_engine.queue where due_at <= now()
      union all
      select min(next_at) from inngest_engine.crons where next_at <= now()) as oldest)`;

/** Runs in the engine's queue by state (README "Metrics", directpay_engine_queue_depth), and the oldest due run's wait in seconds (null: none). */
export interface EngineQueueDepth {
  due: number;
  claimed: number;
  waiting: number;
  oldestDueLagSeconds: number | null;
}

/** Counts the queue's runs by state and reads the oldest due run's lag, in one statement. */
export async function readEngineQueueDepth(): Promise<EngineQueueDepth> {
  const [row] = await db.$queryRaw<{ due: number; claimed: number; waiting: number; lag: number | null }[]>`
    select count(*) filter (where due_at <= now())::int as due,
           count(*) filter (where claimed_by is not null and claimed_until > now())::int as claimed,
           count(*) filter (where due_at > now() and (claimed_by is null or claimed_until <= now()))::int as waiting,
           ${oldestDueLagSecondsSql} as lag
      from inngest_engine.queue`;
  return { due: row?.due ?? 0, claimed: row?.claimed ?? 0, waiting: row?.waiting ?? 0, oldestDueLagSeconds: row?.lag ?? null };
}

/**
 * Whether this app's background work runs on the local engine, whose queue is the
 * inngest_engine schema: INNGEST_BASE_URL names it (`npm run dev`/`npm start` set it) and
 * INNGEST_DEV is off. Unset INNGEST_BASE_URL is Inngest Cloud, INNGEST_DEV the Inngest Dev
 * Server; their queues are not in this database.
 */
export function usesLocalEngine(): boolean {
  return Boolean(env.INNGEST_BASE_URL) && !env.INNGEST_DEV;
}
