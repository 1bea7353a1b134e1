// Every migration set the project owns, in order: the app's Prisma migrations, then the
// local Inngest engine's tables (in their own schema).
import path from 'node:path';
import { migrate, PRISMA_MIGRATIONS, type MigrationSet } from './migrator';

export const INNGEST_ENGINE_MIGRATIONS: MigrationSet = { dir: path.resolve(import.meta.dirname, '../../inngest/engine/migrations'), schema: 'inngest_engine' };

export const MIGRATION_SETS: MigrationSet[] = [PRISMA_MIGRATIONS, INNGEST_ENGINE_MIGRATIONS];

export async function migrateAll(databaseUrl: string, log?: (line: string) => void): Promise<string[]> {
  const applied: string[] = [];
  for (const set of MIGRATION_SETS) applied.push(...(await migrate(databaseUrl, set, log)));
  return applied;
}
