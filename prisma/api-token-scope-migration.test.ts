// The migration that gave API tokens a scope and an expiry, applied to a database that already
// has tokens (as production has): they keep WRITE (they could write before), expire 90 days
// after the migration, and both columns end NOT NULL.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { migrate, PRISMA_MIGRATIONS, readMigrations } from '../scripts/lib/migrator';

const MIGRATION = '20261130073230_api_token_scope_expiry';
const DAY_MS = 24 * 60 * 60_000;

const adminUrl = inject('pgAdminUrl');
const database = `token_scope_${process.pid}_${Date.now()}`;
const url = new URL(adminUrl);
url.pathname = `/${database}`;

const scratch: string[] = [];

afterAll(async () => {
  for (const dir of scratch) fs.rmSync(dir, { recursive: true, force: true });
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`drop database if exists "${database}" with (force)`);
  await admin.end();
});

/** A copy of prisma/migrations holding only the migrations before `name`. */
function migrationsBefore(name: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'migrations-'));
  scratch.push(dir);
  for (const migration of readMigrations(PRISMA_MIGRATIONS.dir).filter((each) => each.name < name)) {
    fs.mkdirSync(path.join(dir, migration.name));
    fs.writeFileSync(path.join(dir, migration.name, 'migration.sql'), migration.sql);
  }
  return dir;
}

describe(`migration ${MIGRATION}`, () => {
  it('gives existing tokens scope WRITE and 90 days from the migration, then makes both columns NOT NULL', async () => {
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`create database "${database}"`);
    await admin.end();
    await migrate(url.toString(), { dir: migrationsBefore(MIGRATION), schema: 'public' });

    const client = new pg.Client({ connectionString: url.toString() });
    await client.connect();
    try {
      const { rows: users } = await client.query<{ id: string }>(
        `insert into "User" (id, email, name, role, "passwordHash", "updatedAt") values (gen_random_uuid(), 'old@example.com', 'Old', 'RENTER', 'x', now()) returning id`,
      );
      await client.query(
        `insert into "ApiToken" (id, "userId", name, prefix, "tokenHash", "createdAt", "revokedAt")
         values (gen_random_uuid(), $1, 'made last year', 'dp_00000001', repeat('a', 64), now() - interval '400 days', null),
                (gen_random_uuid(), $1, 'revoked', 'dp_00000002', repeat('b', 64), now() - interval '10 days', now() - interval '1 day')`,
        [users[0]!.id],
      );

      const before = Date.now();
      expect(await migrate(url.toString())).toContain(MIGRATION);
      const { rows } = await client.query<{ name: string; scope: string; expiresAt: Date; revokedAt: Date | null }>(
        `select name, scope::text, "expiresAt", "revokedAt" from "ApiToken" order by name`,
      );
      expect(rows.map(({ name, scope, revokedAt }) => ({ name, scope, revoked: revokedAt !== null }))).toEqual([
        { name: 'made last year', scope: 'WRITE', revoked: false },
        { name: 'revoked', scope: 'WRITE', revoked: true },
      ]);
      for (const row of rows) {
        expect(row.expiresAt.getTime()).toBeGreaterThanOrEqual(before + 90 * DAY_MS - 60_000);
        expect(row.expiresAt.getTime()).toBeLessThanOrEqual(Date.now() + 90 * DAY_MS + 60_000);
      }

      const { rows: columns } = await client.query<{ column_name: string; is_nullable: string; column_default: string | null }>(
        `select column_name, is_nullable, column_default from information_schema.columns
         where table_name = 'ApiToken' and column_name in ('scope', 'expiresAt') order by column_name`,
      );
      expect(columns).toEqual([
        { column_name: 'expiresAt', is_nullable: 'NO', column_default: null },
        { column_name: 'scope', is_nullable: 'NO', column_default: null },
      ]);
      // No default: whoever inserts a token says its scope and expiry, and expiry follows creation.
      await expect(client.query(`insert into "ApiToken" (id, "userId", name, prefix, "tokenHash") values (gen_random_uuid(), $1, 'n', 'dp_00000003', repeat('c', 64))`, [users[0]!.id])).rejects.toThrow(/null value/);
      await expect(
        client.query(
          `insert into "ApiToken" (id, "userId", name, prefix, "tokenHash", scope, "expiresAt") values (gen_random_uuid(), $1, 'n', 'dp_00000004', repeat('d', 64), 'READ', now() - interval '1 day')`,
          [users[0]!.id],
        ),
      ).rejects.toThrow(/ApiToken_expiresAt_after_createdAt/);
    } finally {
      await client.end();
    }
  });
});
