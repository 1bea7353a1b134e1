import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { migrate, MigrationError } from './migrator';

const adminUrl = inject('pgAdminUrl');
const created: string[] = [];

async function freshDatabase(): Promise<string> {
  const name = `migrator_${process.pid}_${created.length}_${Date.now()}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database "${name}"`);
  await admin.end();
  created.push(name);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Scratch migration directories, removed after the file's tests. */
const scratchDirs: string[] = [];

function migrationsDir(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'migrations-'));
  scratchDirs.push(dir);
  for (const [name, sql] of Object.entries(files)) {
    fs.mkdirSync(path.join(dir, name));
    fs.writeFileSync(path.join(dir, name, 'migration.sql'), sql);
  }
  return dir;
}

async function query(url: string, sql: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows;
  } finally {
    await client.end();
  }
}

afterAll(async () => {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  for (const name of created) await admin.query(`drop database if exists "${name}" with (force)`);
  await admin.end();
  for (const dir of scratchDirs) fs.rmSync(dir, { recursive: true, force: true });
});

describe('the migration runner', () => {
  let url: string;
  let dir: string;
  const first = 'create table a (id int primary key);';
  beforeAll(async () => {
    url = await freshDatabase();
    dir = migrationsDir({ '20260101000000_a': first, '20260102000000_b': 'create table b (id int primary key);' });
  });

  it('applies migrations in order and records them as `prisma migrate deploy` does', async () => {
    expect(await migrate(url, { dir, schema: 'public' })).toEqual(['20260101000000_a', '20260102000000_b']);
    const rows = await query(url, `select migration_name, checksum, finished_at is not null as finished, applied_steps_count, rolled_back_at, logs from _prisma_migrations order by migration_name`);
    expect(rows).toEqual([
      { migration_name: '20260101000000_a', checksum: createHash('sha256').update(first).digest('hex'), finished: true, applied_steps_count: 1, rolled_back_at: null, logs: null },
      expect.objectContaining({ migration_name: '20260102000000_b', finished: true, applied_steps_count: 1 }),
    ]);
  });

  it('applies nothing the second time', async () => {
    expect(await migrate(url, { dir, schema: 'public' })).toEqual([]);
  });

  it('refuses to continue when an applied migration was edited', async () => {
    fs.writeFileSync(path.join(dir, '20260101000000_a', 'migration.sql'), first + '\n-- edited');
    await expect(migrate(url, { dir, schema: 'public' })).rejects.toThrow(/20260101000000_a was modified after it was applied/);
    fs.writeFileSync(path.join(dir, '20260101000000_a', 'migration.sql'), first);
  });

  it('runs each migration in a transaction: a failing one leaves no trace and stops the run', async () => {
    fs.mkdirSync(path.join(dir, '20260103000000_bad'));
    fs.writeFileSync(path.join(dir, '20260103000000_bad', 'migration.sql'), 'create table c (id int); select * from no_such_table;');
    const error = await migrate(url, { dir, schema: 'public' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MigrationError);
    expect(String(error)).toMatch(/20260103000000_bad failed and was rolled back: relation "no_such_table" does not exist/);
    expect(await query(url, `select to_regclass('c') as c`)).toEqual([{ c: null }]);
    expect(await query(url, `select count(*)::int as n from _prisma_migrations where migration_name = '20260103000000_bad'`)).toEqual([{ n: 0 }]);
  });

  it('applies each migration once when two runners start together', async () => {
    const fresh = await freshDatabase();
    const sets = { dir: migrationsDir({ '20260101000000_a': first }), schema: 'public' };
    const results = await Promise.all([migrate(fresh, sets), migrate(fresh, sets), migrate(fresh, sets)]);
    expect(results.flat()).toEqual(['20260101000000_a']);
  });

  it('keeps a separate history for a migration set in its own schema', async () => {
    const fresh = await freshDatabase();
    await migrate(fresh, { dir: migrationsDir({ '20260101000000_x': 'create table engine_x.t (id int);' }), schema: 'engine_x' });
    expect(await query(fresh, `select migration_name from engine_x._prisma_migrations`)).toEqual([{ migration_name: '20260101000000_x' }]);
    expect(await query(fresh, `select to_regclass('public._prisma_migrations') as t`)).toEqual([{ t: null }]);
  });
});
