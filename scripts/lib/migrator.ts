// Applies migrations written in Prisma's format (<dir>/<timestamp>_<name>/migration.sql)
// without Prisma's native engine, which cannot be downloaded here. Each applied migration
// is recorded in a `_prisma_migrations` table exactly as `prisma migrate deploy` records it,
// so either tool can take over a database. The Inngest engine's own tables use the same
// runner with their own directory and history table.
import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';

export interface MigrationSet {
  /** Directory holding one sub-directory per migration. */
  dir: string;
  /** PostgreSQL schema holding the history table (created if missing). */
  schema: string;
}

export const PRISMA_MIGRATIONS: MigrationSet = { dir: path.resolve(import.meta.dirname, '../../prisma/migrations'), schema: 'public' };

export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

export class MigrationError extends Error {}

export function readMigrations(dir: string): Migration[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && fs.existsSync(path.join(dir, entry.name, 'migration.sql')))
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const sql = fs.readFileSync(path.join(dir, name, 'migration.sql'), 'utf8');
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    });
}

// The same lock key as Prisma's schema engine, so our runner and `prisma migrate deploy`
// never apply migrations to one database at the same time.
const ADVISORY_LOCK_KEY = 72707369;

/** Applies pending migrations; returns the names applied. */
export async function migrate(databaseUrl: string, set: MigrationSet = PRISMA_MIGRATIONS, log: (line: string) => void = () => undefined): Promise<string[]> {
  const migrations = readMigrations(set.dir);
  const table = `"${set.schema}"."_prisma_migrations"`;
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const applied: string[] = [];
  try {
    await client.query('select pg_advisory_lock($1)', [ADVISORY_LOCK_KEY]);
    await client.query(`create schema if not exists "${set.schema}"`);
    await client.query(`create table if not exists ${table} (
      "id" varchar(36) primary key not null,
      "checksum" varchar(64) not null,
      "finished_at" timestamptz,
      "migration_name" varchar(255) not null,
      "logs" text,
      "rolled_back_at" timestamptz,
      "started_at" timestamptz not null default now(),
      "applied_steps_count" integer not null default 0
    )`);
    const { rows } = await client.query<{ migration_name: string; checksum: string; finished_at: Date | null; rolled_back_at: Date | null }>(
      `select migration_name, checksum, finished_at, rolled_back_at from ${table} order by started_at`,
    );
    const byName = new Map(rows.filter((row) => !row.rolled_back_at).map((row) => [row.migration_name, row]));
    for (const row of byName.values()) {
      if (!row.finished_at) {
        throw new MigrationError(
          `Migration ${row.migration_name} failed earlier and is not marked as rolled back; fix the database, then mark it (prisma migrate resolve) before applying more.`,
        );
      }
    }
    for (const migration of migrations) {
      const record = byName.get(migration.name);
      if (record) {
        if (record.checksum !== migration.checksum) {
          throw new MigrationError(
            `Migration ${migration.name} was modified after it was applied (checksum ${record.checksum.slice(0, 12)}… in the database, ${migration.checksum.slice(0, 12)}… on disk). Applied migrations must never change: write a new migration instead.`,
          );
        }
        continue;
      }
      const id = randomUUID();
      try {
        await client.query('begin');
        await client.query(`insert into ${table} (id, checksum, migration_name, started_at) values ($1, $2, $3, now())`, [id, migration.checksum, migration.name]);
        await client.query(migration.sql);
        await client.query(`update ${table} set finished_at = now(), applied_steps_count = 1 where id = $1`, [id]);
        await client.query('commit');
        applied.push(migration.name);
        log(`applied migration ${migration.name}`);
      } catch (error) {
        await client.query('rollback');
        // The transaction leaves the database exactly as it was, so nothing is recorded.
        const message = error instanceof Error ? error.message : String(error);
        throw new MigrationError(`Migration ${migration.name} failed and was rolled back: ${message}`);
      }
    }
  } finally {
    await client.query('select pg_advisory_unlock($1)', [ADVISORY_LOCK_KEY]).catch(() => undefined);
    await client.end();
  }
  return applied;
}
