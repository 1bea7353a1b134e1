// For command-line scripts: the database to work on, as two connection strings.
// - MIGRATION_DATABASE_URL: the schema's owner; migrations run as it.
// - DATABASE_URL: the app's role, which may only read and write rows.
// Either alone does both jobs. Neither set: the embedded PostgreSQL under .data/ that
// `npm run dev` uses (started for the duration), as its superuser and as `directpay_app`.
// Read-only scripts (audit:verify, mail:read) open only what exists (`existingOnly`) and report
// what is missing in one line (`describeScriptFailure`).
import path from 'node:path';
import pg from 'pg';
import { ensureDatabase, NoClusterError, randomPassword, startEmbeddedPostgres, type EmbeddedPasswords, type RunningPostgres } from './postgres';
import { applyLocalSecrets, applyLocalUrl, DATA_DIR, localSecrets } from './local-secrets';

export const EMBEDDED_DIR = path.join(DATA_DIR, 'postgres');
export const EMBEDDED_DATABASE = 'directpay';

export interface DatabaseUrls {
  /** Runs migrations: the owner of the schema. */
  migrationUrl: string;
  /** What the app connects with. */
  appUrl: string;
  /** The user of appUrl, granted the app's rights after migrations when it is not the owner. */
  appRole: string;
}

/** The user name in a connection string. */
export function userOf(url: string): string {
  return decodeURIComponent(new URL(url).username);
}

/** The two URLs the environment configures, or undefined when it configures none. */
export function configuredDatabaseUrls(source: NodeJS.ProcessEnv = process.env): DatabaseUrls | undefined {
  const migrationUrl = source.MIGRATION_DATABASE_URL || source.DATABASE_URL;
  const appUrl = source.DATABASE_URL || source.MIGRATION_DATABASE_URL;
  if (!migrationUrl || !appUrl) return undefined;
  return { migrationUrl, appUrl, appRole: userOf(appUrl) };
}

/** The URLs of `database` on an embedded server. */
export function embeddedDatabaseUrls(server: RunningPostgres, database: string): DatabaseUrls {
  const appUrl = server.appUrl(database);
  return { migrationUrl: server.url(database), appUrl, appRole: userOf(appUrl) };
}

/** There is no embedded DirectPay database to open (read-only scripts create none). */
export class NoDatabaseError extends Error {
  constructor() {
    super(`no DirectPay database at ${DATA_DIR} (run npm run dev or npm start first)`);
  }
}

/**
 * Starts the embedded development database when none is configured; `stop` is a no-op otherwise.
 * By default creates what is missing (cluster, database, app role). `existingOnly`: opens the
 * existing cluster and database and changes nothing; rejects with NoDatabaseError when either
 * is missing.
 */
export async function openDatabase(
  log: (line: string) => void,
  options: { existingOnly?: boolean } = {},
): Promise<DatabaseUrls & { exited: RunningPostgres['exited']; stop(): Promise<void> }> {
  const configured = configuredDatabaseUrls();
  if (configured) return { ...configured, exited: new Promise(() => undefined), stop: async () => undefined };
  const existingOnly = options.existingOnly ?? false;
  log(`${existingOnly ? 'opening' : 'starting'} embedded PostgreSQL in ${path.relative(process.cwd(), EMBEDDED_DIR)}/`);
  let server: RunningPostgres;
  try {
    server = await startEmbeddedPostgres({ dir: EMBEDDED_DIR, persistent: true, existingOnly, passwords: embeddedPasswords(!existingOnly), log });
  } catch (error) {
    throw error instanceof NoClusterError ? new NoDatabaseError() : error;
  }
  if (existingOnly) {
    if (!(await databaseExists(server.url('postgres'), EMBEDDED_DATABASE))) {
      await server.stop();
      throw new NoDatabaseError();
    }
  } else {
    await ensureDatabase(server.url('postgres'), EMBEDDED_DATABASE);
  }
  return {
    ...embeddedDatabaseUrls(server, EMBEDDED_DATABASE),
    exited: server.exited,
    stop: async () => {
      await server.stop();
      // A server another process runs (reused through its port file) keeps running.
      if (server.pid !== undefined) log('PostgreSQL stopped');
    },
  };
}

/**
 * The embedded cluster's passwords from secrets.json (generated there when `create`). Read only
 * and none stored yet: the cluster predates them and is on the public ones, which
 * startEmbeddedPostgres tries after these stand-ins.
 */
function embeddedPasswords(create: boolean): EmbeddedPasswords {
  const secrets = localSecrets({ create });
  return {
    superuser: secrets.EMBEDDED_POSTGRES_PASSWORD ?? randomPassword(),
    app: secrets.EMBEDDED_POSTGRES_APP_PASSWORD ?? randomPassword(),
    ...(secrets.EMBEDDED_POSTGRES_INIT_PASSWORD ? { init: secrets.EMBEDDED_POSTGRES_INIT_PASSWORD } : {}),
  };
}

async function databaseExists(adminUrl: string, database: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return Boolean((await client.query('select 1 from pg_database where datname = $1', [database])).rowCount);
  } finally {
    await client.end();
  }
}

/**
 * Runs `run` on the configured database, or on the embedded one (started for the duration if
 * stopped). `existingOnly` is for scripts that only read: no secrets file, cluster, database or
 * role is created or changed, and a missing one rejects with NoDatabaseError.
 */
export async function withDatabase<T>(
  run: (urls: DatabaseUrls) => Promise<T>,
  log: (line: string) => void = console.log,
  options: { existingOnly?: boolean } = {},
): Promise<T> {
  applyLocalSecrets({ inngestKeys: true, create: !options.existingOnly });
  applyLocalUrl();
  const database = await openDatabase(log, options);
  try {
    return await run(database);
  } finally {
    await database.stop();
  }
}

/**
 * One line for an operator about why a database script failed, without a stack trace: a missing
 * database, a missing table (the migrations have not run), a server that does not answer, or
 * the error's own message.
 */
export function describeScriptFailure(error: unknown): string {
  if (error instanceof NoDatabaseError) return error.message;
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  const text = typeof message === 'string' ? message : String(error);
  // 42P01 undefined_table (pg); P2021 "table does not exist" (Prisma).
  if (code === '42P01' || code === 'P2021') return `the database has no such table (${text.split('\n')[0]}): its migrations have not run (npm run db:migrate, or npm run dev / npm start)`;
  if (code === 'ECONNREFUSED') return `cannot connect to the database (${text.split('\n')[0]})`;
  return text.trim() || 'failed';
}
