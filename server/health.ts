// What /api/health reports: can we reach the database, and which migration is it on.
import 'server-only';
import { db } from '@/server/db';

export interface Health {
  ok: boolean;
  database: { reachable: boolean; latestMigration: string | null; error?: string };
  time: string;
}

export async function checkHealth(): Promise<Health> {
  const time = new Date().toISOString();
  try {
    const rows = await db.$queryRaw<{ migration_name: string | null }[]>`
      select (select migration_name from "_prisma_migrations"
              where finished_at is not null and rolled_back_at is null
              order by migration_name desc limit 1) as migration_name`;
    return { ok: true, database: { reachable: true, latestMigration: rows[0]?.migration_name ?? null }, time };
  } catch (error) {
    return { ok: false, database: { reachable: false, latestMigration: null, error: error instanceof Error ? error.message.split('\n')[0] : 'unreachable' }, time };
  }
}
