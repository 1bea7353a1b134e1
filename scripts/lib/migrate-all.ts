// Every migration set the project owns, in order: the app's Prisma migrations, then the
// local Inngest engine's tables (in their own schema). Migrations run as the owner; after
// each run the app's role is granted exactly what the app needs (rows, never the schema).
import path from 'node:path';
import pg from 'pg';
import { migrate, PRISMA_MIGRATIONS, type MigrationSet } from './migrator';

export const INNGEST_ENGINE_MIGRATIONS: MigrationSet = { dir: path.resolve(import.meta.dirname, '../../inngest/engine/migrations'), schema: 'inngest_engine' };

export const MIGRATION_SETS: MigrationSet[] = [PRISMA_MIGRATIONS, INNGEST_ENGINE_MIGRATIONS];

/**
 * Tables whose rows are written once and never changed: the app's role may read and insert
 * them only. Their triggers refuse UPDATE/DELETE/TRUNCATE for everyone; the missing
 * privileges are a second wall. Add a table here when its migration makes it append-only.
 */
export const APPEND_ONLY_TABLES = ['public."Event"', 'public."LedgerTransaction"', 'public."LedgerEntry"', 'inngest_engine."operator_actions"'];

/**
 * Tables whose rows are the contract, the money and the people (a lease, its installments,
 * payments, a payoff's parts, users): DirectPay never deletes them, so its role may not either (a
 * stranger deleted an uncharged installment and inserted it again for 1 cent, around the
 * fixed-terms rule; and a user and inserted the same id again with another email and role).
 */
export const KEPT_TABLES = ['public."Lease"', 'public."Installment"', 'public."Payment"', 'public."PayoffInstallment"', 'public."User"'];

/**
 * Applies every pending migration to `databaseUrl` (connected as the schema's owner). With
 * `appRole`, then grants that role its rights (see grantAppRole).
 */
export async function migrateAll(databaseUrl: string, log?: (line: string) => void, options: { appRole?: string } = {}): Promise<string[]> {
  const applied: string[] = [];
  for (const set of MIGRATION_SETS) applied.push(...(await migrate(databaseUrl, set, log)));
  if (options.appRole) await grantAppRole(databaseUrl, options.appRole);
  return applied;
}

/**
 * Gives `role` the app's rights on the database behind `ownerUrl`, replacing whatever it had:
 * USAGE on the project's schemas; SELECT, INSERT, UPDATE, DELETE on their tables (SELECT and
 * INSERT only on APPEND_ONLY_TABLES, no DELETE on KEPT_TABLES, SELECT only on the migration histories); USAGE and
 * SELECT on their sequences. Never TRUNCATE, REFERENCES, TRIGGER or CREATE, and nothing that
 * owning a table would allow (ALTER, DROP, disabling triggers). Run after every migration
 * run, so tables from future migrations are covered. No-op when `role` is the owner itself
 * (a single DATABASE_URL doing both jobs).
 */
export async function grantAppRole(ownerUrl: string, role: string): Promise<void> {
  const client = new pg.Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ me: string }>('select current_user as me');
    if (rows[0]!.me === role) return;
    const grantee = client.escapeIdentifier(role);
    await client.query('begin');
    // Concurrent GRANTs on one object fail ("tuple concurrently updated"): one migrator at a time,
    // and the app never sees the moment between the REVOKE and the GRANT.
    await client.query('select pg_advisory_xact_lock(hashtext($1))', ['directpay-grants']);
    for (const { schema } of MIGRATION_SETS) {
      const name = client.escapeIdentifier(schema);
      await client.query(`grant usage on schema ${name} to ${grantee}`);
      await client.query(`revoke create on schema ${name} from ${grantee}`);
      await client.query(`revoke all on all tables in schema ${name} from ${grantee}`);
      await client.query(`grant select, insert, update, delete on all tables in schema ${name} to ${grantee}`);
      await client.query(`revoke insert, update, delete on ${name}."_prisma_migrations" from ${grantee}`);
      await client.query(`revoke all on all sequences in schema ${name} from ${grantee}`);
      await client.query(`grant usage, select on all sequences in schema ${name} to ${grantee}`);
    }
    for (const table of APPEND_ONLY_TABLES) {
      const { rows: exists } = await client.query<{ found: string | null }>('select to_regclass($1)::text as found', [table]);
      if (exists[0]!.found) await client.query(`revoke update, delete on ${table} from ${grantee}`);
    }
    for (const table of KEPT_TABLES) {
      const { rows: exists } = await client.query<{ found: string | null }>('select to_regclass($1)::text as found', [table]);
      if (exists[0]!.found) await client.query(`revoke delete on ${table} from ${grantee}`);
    }
    // Before PostgreSQL 15 every role could create tables in "public"; the owner takes that back.
    await client.query(`do $$ begin
      if pg_has_role(current_user, (select nspowner from pg_namespace where nspname = 'public'), 'usage') then
        revoke create on schema public from public;
      end if;
    end $$`);
    await client.query('commit');
  } catch (error) {
    await client.query('rollback').catch(() => undefined);
    throw error;
  } finally {
    await client.end();
  }
}
