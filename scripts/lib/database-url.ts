// For command-line scripts: the database to work on, as two connection strings.
// - MIGRATION_DATABASE_URL: the schema's owner; migrations run as it.
// - DATABASE_URL: the app's role, which may only read and write rows.
// Either alone does both jobs. Neither set: the embedded PostgreSQL under .data/ that
// `npm run dev` uses (started for the duration), as its superuser and as `directpay_app`.
import path from 'node:path';
import { ensureDatabase, startEmbeddedPostgres, type RunningPostgres } from './postgres';
import { applyLocalSecrets, DATA_DIR } from './local-secrets';

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

/** Starts the embedded development database when none is configured; `stop` is a no-op otherwise. */
export async function openDatabase(log: (line: string) => void): Promise<DatabaseUrls & { exited: RunningPostgres['exited']; stop(): Promise<void> }> {
  const configured = configuredDatabaseUrls();
  if (configured) return { ...configured, exited: new Promise(() => undefined), stop: async () => undefined };
  log(`starting embedded PostgreSQL in ${path.relative(process.cwd(), EMBEDDED_DIR)}/`);
  const server = await startEmbeddedPostgres({ dir: EMBEDDED_DIR, persistent: true, log });
  await ensureDatabase(server.url('postgres'), EMBEDDED_DATABASE);
  return {
    ...embeddedDatabaseUrls(server, EMBEDDED_DATABASE),
    exited: server.exited,
    stop: async () => {
      await server.stop();
      log('PostgreSQL stopped');
    },
  };
}

export async function withDatabase<T>(run: (urls: DatabaseUrls) => Promise<T>, log: (line: string) => void = console.log): Promise<T> {
  applyLocalSecrets();
  const database = await openDatabase(log);
  try {
    return await run(database);
  } finally {
    await database.stop();
  }
}
