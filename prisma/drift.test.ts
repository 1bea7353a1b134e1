// Drift check: the database the migrations build must have exactly the shape schema.prisma
// describes. We build a second database straight from schema.prisma (the schema engine's
// SQL for empty → schema) and compare the two catalogs. Hand-written additions that Prisma
// cannot express (CHECKs, partial indexes, triggers) are left out of the comparison.
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { testDatabaseUrl } from '@/server/testing/database';
import { readMigrations, PRISMA_MIGRATIONS } from '../scripts/lib/migrator';
import { diffDatamodels } from '../scripts/lib/schema-diff';

const schemaPath = path.resolve(import.meta.dirname, 'schema.prisma');

async function catalog(url: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const lines: string[] = [];
    const columns = await client.query(`
      select table_name, column_name, udt_name, is_nullable, column_default, character_maximum_length
      from information_schema.columns where table_schema = 'public' and table_name <> '_prisma_migrations'`);
    for (const c of columns.rows) lines.push(`column ${c.table_name}.${c.column_name} ${c.udt_name}(${c.character_maximum_length ?? ''}) null=${c.is_nullable} default=${c.column_default ?? ''}`);
    const enums = await client.query(`
      select t.typname, string_agg(e.enumlabel, ',' order by e.enumsortorder) as labels
      from pg_type t join pg_enum e on e.enumtypid = t.oid join pg_namespace n on n.oid = t.typnamespace
      where n.nspname = 'public' group by t.typname`);
    for (const e of enums.rows) lines.push(`enum ${e.typname} ${e.labels}`);
    const indexes = await client.query(`select indexname, indexdef from pg_indexes where schemaname = 'public' and tablename <> '_prisma_migrations'`);
    for (const i of indexes.rows) if (!/ WHERE /.test(i.indexdef)) lines.push(`index ${i.indexdef}`);
    const foreignKeys = await client.query(`
      select conrelid::regclass::text as tbl, conname, pg_get_constraintdef(oid) as def
      from pg_constraint where contype = 'f' and connamespace = 'public'::regnamespace`);
    for (const f of foreignKeys.rows) lines.push(`fk ${f.tbl} ${f.conname} ${f.def}`);
    return lines.sort();
  } finally {
    await client.end();
  }
}

describe('schema.prisma and the migrations agree', () => {
  it('the last migration carries a snapshot identical to schema.prisma (run `npm run db:new -- <name>` after editing the schema)', () => {
    const last = readMigrations(PRISMA_MIGRATIONS.dir).at(-1)!;
    const snapshot = fs.readFileSync(path.join(PRISMA_MIGRATIONS.dir, last.name, 'schema.prisma'), 'utf8');
    expect(snapshot).toBe(fs.readFileSync(schemaPath, 'utf8'));
  });

  it('the migrated database has the tables, columns, enums, indexes and foreign keys schema.prisma describes', async () => {
    const adminUrl = inject('pgAdminUrl');
    const fromSchema = `drift_${process.pid}_${Date.now()}`;
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`create database "${fromSchema}"`);
    const url = new URL(adminUrl);
    url.pathname = `/${fromSchema}`;
    try {
      const sql = await diffDatamodels(null, fs.readFileSync(schemaPath, 'utf8'), url.toString());
      const client = new pg.Client({ connectionString: url.toString() });
      await client.connect();
      await client.query(sql);
      await client.end();
      const [migrated, described] = await Promise.all([catalog(testDatabaseUrl), catalog(url.toString())]);
      expect(migrated).toEqual(described);
      expect(described.length).toBeGreaterThan(50);
    } finally {
      await admin.query(`drop database if exists "${fromSchema}" with (force)`);
      await admin.end();
    }
  });
});
