// Runs before each test file: gives the file its own database, cloned from the migrated
// template, and points the app's environment at it as the app's least-privilege role (as in
// production). Dropped when the file is done.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, inject } from 'vitest';
import { resetEnvForTests } from '@/server/env';

const adminUrl = inject('pgAdminUrl');
const template = inject('templateDatabase');
const appRole = inject('pgAppRole');
const database = `directpay_test_${randomBytes(6).toString('hex')}`;

async function admin<T>(run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

await admin((client) => client.query(`create database "${database}" template "${template}"`));

const url = new URL(adminUrl);
url.pathname = `/${database}`;
/** This file's database as its owner: for tests that set up or tamper below the app's rights. */
export const testDatabaseUrl = url.toString();
url.username = encodeURIComponent(appRole.user);
url.password = encodeURIComponent(appRole.password);
/** This file's database as the app's role (DATABASE_URL): rows only, no DDL, no TRUNCATE. */
export const testAppDatabaseUrl = url.toString();

/** Runs `body` with the local engine's schema gone from this file's database (renamed away, then back): a database migrated without it. */
export async function withoutEngineSchema<T>(body: () => Promise<T>): Promise<T> {
  const owner = new pg.Client({ connectionString: testDatabaseUrl });
  await owner.connect();
  await owner.query('alter schema inngest_engine rename to inngest_engine_away');
  try {
    return await body();
  } finally {
    await owner.query('alter schema inngest_engine_away rename to inngest_engine');
    await owner.end();
  }
}

/** One statement for asOwner: its SQL and its parameters. */
export type OwnerStatement = string | [sql: string, params: unknown[]];

/**
 * Runs `statements` in one transaction as this file's database owner, on a connection of its
 * own, and answers their results. `without` lifts triggers for that transaction only: pairs of
 * a table and a trigger name, or USER (the table's own triggers) or ALL (with the constraint
 * triggers that check foreign keys); each is disabled before the statements and enabled again
 * before COMMIT, so no other session ever writes without it. `rollback` undoes everything after
 * (for a check that stands behind a lifted rule). For tests that write what the app's role
 * cannot (it has no DDL) and the database's rules refuse: a past to play, a tampering for the
 * audit to find. Nothing but a test should.
 */
export async function asOwner(statements: OwnerStatement[], options: { without?: [table: string, trigger: string][]; rollback?: boolean } = {}): Promise<pg.QueryResult[]> {
  const owner = new pg.Client({ connectionString: testDatabaseUrl });
  await owner.connect();
  const trigger = (name: string) => (name === 'USER' || name === 'ALL' ? name : `"${name}"`);
  try {
    await owner.query('begin');
    for (const [table, name] of options.without ?? []) await owner.query(`alter table "${table}" disable trigger ${trigger(name)}`);
    const results: pg.QueryResult[] = [];
    for (const statement of statements) {
      const [sql, params] = typeof statement === 'string' ? [statement, []] : statement;
      results.push(await owner.query(sql, params));
    }
    for (const [table, name] of options.without ?? []) await owner.query(`alter table "${table}" enable trigger ${trigger(name)}`);
    await owner.query(options.rollback ? 'rollback' : 'commit');
    return results;
  } catch (error) {
    await owner.query('rollback').catch(() => {});
    throw error;
  } finally {
    await owner.end();
  }
}

Object.assign(process.env, {
  DATABASE_URL: testAppDatabaseUrl,
  DATABASE_POOL_SIZE: '20',
  NEXTAUTH_SECRET: 'test-secret-test-secret-test-secret-0123456789',
  NEXTAUTH_URL: 'http://localhost:3000',
  ACCOUNT_TOKEN_SECRET: 'test-account-token-secret-0123456789abcdef',
  // One calendar day plays in one second (calendar.ts scaledInstant).
  SETTLEMENT_TIME_SCALE: String(1 / 86_400),
  // The app checks every call to /api/inngest against the signing key, in tests as in production;
  // the engine test harness (inngest/engine/testing.ts) signs with these.
  INNGEST_SIGNING_KEY: `signkey-test-${randomBytes(32).toString('hex')}`,
  INNGEST_EVENT_KEY: randomBytes(32).toString('hex'),
});
// Logs stay silent in tests (server/logger.ts) unless the run sets LOG_LEVEL.
resetEnvForTests();

afterAll(async () => {
  const { disconnectDb } = await import('@/server/db');
  await disconnectDb();
  await admin((client) => client.query(`drop database if exists "${database}" with (force)`));
});
