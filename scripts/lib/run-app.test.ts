// `npm start` as a supervisor sees it: the real runner (scripts/start.ts) on the production
// build with its embedded PostgreSQL and local engine, whose processes are killed one at a
// time. Whatever is killed, nothing is left running, the port is free, a runner whose child
// died exits non-zero, and a restart right after a SIGKILL comes up on the same port.
// Needs a production build: uses .next when present, otherwise builds it first.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '@/inngest/engine/testing';
import { freePort } from './postgres';
import { portIsFree } from './processes';

const ROOT = path.resolve(import.meta.dirname, '../..');
// Starting the stack on a loaded 2-core machine (initdb, migrations, next start) takes a while.
const START_TIMEOUT_MS = 180_000;
const GONE_TIMEOUT_MS = 60_000;

interface Proc {
  pid: number;
  /** Start time in clock ticks since boot: a recycled pid has another. */
  startTime: string;
  command: string;
}

function readProc(pid: number): (Proc & { ppid: number }) | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name is in parentheses and may contain spaces: fields start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const state = fields[0];
    if (state === 'Z' || state === 'X') return null;
    const command = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ').trim();
    return { pid, ppid: Number(fields[1]), startTime: fields[19]!, command };
  } catch {
    return null;
  }
}

function allProcs(): (Proc & { ppid: number })[] {
  return fs
    .readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map((name) => readProc(Number(name)))
    .filter((proc): proc is Proc & { ppid: number } => proc !== null);
}

/** `pid` and every process below it. */
function tree(pid: number): Proc[] {
  const procs = allProcs();
  const found: Proc[] = [];
  const queue = [pid];
  while (queue.length) {
    const current = queue.shift()!;
    const proc = procs.find((p) => p.pid === current);
    if (proc) found.push(proc);
    queue.push(...procs.filter((p) => p.ppid === current).map((p) => p.pid));
  }
  return found;
}

function stillRunning(procs: Proc[]): Proc[] {
  return procs.filter((proc) => readProc(proc.pid)?.startTime === proc.startTime);
}

interface Runner {
  child: ChildProcess;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Every process writing to the runner's stdout and stderr has closed them: all output is in. */
  outputClosed: Promise<void>;
}

/** Starts scripts/start.ts directly under node (with tsx's loader), or `viaNpm`: `npm start` itself. */
function startRunner(dataDir: string, port: number, options: { viaNpm?: boolean; env?: Record<string, string> } = {}): Runner {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    NEXTAUTH_URL: `http://localhost:${port}`,
    DIRECTPAY_DATA_DIR: dataDir,
    SETTLEMENT_TIME_SCALE: '0.01',
  };
  // The runner must start its own PostgreSQL and engine, with its own keys: nothing of this test file's.
  // DIRECTPAY_DEMO_SEED unset: `npm start` seeds no demo users (their passwords are public).
  for (const name of ['DIRECTPAY_DEMO_SEED', 'DATABASE_URL', 'NODE_ENV', 'INNGEST_SIGNING_KEY', 'INNGEST_EVENT_KEY', 'INNGEST_BASE_URL', 'INNGEST_DEV', 'INNGEST_SERVE_ORIGIN', 'INNGEST_SERVE_PATH', 'OPERATOR_DASHBOARD']) {
    delete env[name];
  }
  Object.assign(env, options.env);
  const child = options.viaNpm
    ? spawn('npm', ['start', '--silent'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] })
    : spawn(process.execPath, ['--conditions=react-server', '--import', 'tsx', 'scripts/start.ts'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-200_000);
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const outputClosed = Promise.all([child.stdout!, child.stderr!].map((stream) => new Promise<void>((resolve) => stream.once('close', () => resolve())))).then(() => undefined);
  return { child, output: () => output, exited, outputClosed };
}

async function healthy(runner: Runner, port: number): Promise<void> {
  await waitFor(
    async () => {
      if (runner.child.exitCode !== null || runner.child.signalCode !== null) throw new Error(`the runner exited while starting:\n${runner.output()}`);
      try {
        return (await fetch(`http://127.0.0.1:${port}/api/health`)).ok;
      } catch {
        return false;
      }
    },
    `the app on port ${port} to answer`,
    START_TIMEOUT_MS,
    250,
  );
}

/** The run's processes once the app answers: the runner, Next, PostgreSQL and its backends (and the tsx wrapper). */
function processesOf(runner: Runner) {
  const all = tree(runner.child.pid!);
  // Under npm, the runner is its child running scripts/start.ts.
  const runnerProc = all.find((proc) => proc.pid !== runner.child.pid && proc.command.includes('scripts/start.ts')) ?? all[0]!;
  const direct = allProcs().filter((proc) => proc.ppid === runnerProc.pid);
  // Next renames itself `next-server (v…)` once it runs.
  const next = direct.find((proc) => /next-server|next(\/dist\/bin\/next)? start/.test(proc.command));
  const postgres = direct.find((proc) => /\/postgres -D /.test(proc.command));
  if (!next || !postgres) throw new Error(`expected Next and PostgreSQL under the runner, found: ${direct.map((p) => p.command).join(' | ')}`);
  return { all, runner: runnerProc, next, postgres };
}

async function nothingLeft(procs: Proc[], port: number, output: () => string): Promise<void> {
  await waitFor(async () => stillRunning(procs).length === 0, 'every process of the run to end', GONE_TIMEOUT_MS, 100).catch((error: unknown) => {
    throw new Error(`${String(error)}; still running: ${stillRunning(procs).map((p) => `${p.pid} ${p.command}`).join(' | ')}\n${output()}`);
  });
  expect(await portIsFree(port), `port ${port} is free`).toBe(true);
}

const dataDirs: string[] = [];
const runners: Runner[] = [];
/** One data directory for every run here, created, migrated and seeded once (a first start does all that). */
let dataDir: string;
/** What the first start printed. */
let firstOutput = '';

beforeAll(async () => {
  if (!fs.existsSync(path.join(ROOT, '.next/BUILD_ID'))) {
    const build = spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } });
    if (build.status !== 0) throw new Error('npm run build failed');
  }
  // The first start of a data directory runs initdb and the migrations; the tests then share it.
  dataDir = freshDataDir();
  const port = await freePort();
  const first = startRunner(dataDir, port);
  runners.push(first);
  await healthy(first, port);
  // Read before stopping: only the last 200,000 characters are kept, and stopping can print more.
  firstOutput = first.output();
  first.child.kill('SIGTERM');
  expect(await first.exited).toEqual({ code: 0, signal: null });
}, 1_500_000);

/** Stops whatever a test left running (a failed one), so the next one starts from nothing. */
async function stopRunners(): Promise<void> {
  for (const runner of runners.splice(0)) {
    if (runner.child.exitCode === null && runner.child.signalCode === null) {
      runner.child.kill('SIGTERM');
      await runner.exited;
    }
  }
}

afterEach(stopRunners, 120_000);

afterAll(async () => {
  await stopRunners();
  for (const dir of dataDirs) fs.rmSync(dir, { recursive: true, force: true });
}, 120_000);

function freshDataDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'directpay-run-app-'));
  // Under root, PostgreSQL runs as the `postgres` user, which must reach its directory inside.
  fs.chmodSync(dir, 0o755);
  dataDirs.push(dir);
  return dir;
}

describe.skipIf(process.platform !== 'linux')('npm start: processes that stop together', () => {
  it('says the runs dashboard is off without OPERATOR_DASHBOARD (it answers 404), instead of linking to it, and seeds no demo users (public passwords); its PostgreSQL directory is not world-writable', () => {
    expect(firstOutput).toContain('runs dashboard off (/dev/inngest; OPERATOR_DASHBOARD=true shows it to operators)');
    expect(firstOutput).toContain('demo users off (DIRECTPAY_DEMO_SEED=true seeds them; their passwords are public)');
    expect(firstOutput).not.toContain('landlord-demo-2026');
    // The embedded server's directory holds the port file the runner trusts: nobody else writes there.
    expect(fs.statSync(path.join(dataDir, 'postgres')).mode & 0o777).toBe(0o755);
    expect(firstOutput).not.toMatch(/http:\/\/localhost:\d+\/dev\/inngest/);
  });

  it('SIGKILL of `npm start` (the runner\'s parent) ends the runner, Next and PostgreSQL, and frees the port', { timeout: 600_000 }, async () => {
    const port = await freePort();
    const runner = startRunner(dataDir, port, { viaNpm: true });
    runners.push(runner);
    await healthy(runner, port);
    const { all, runner: inner } = processesOf(runner);
    expect(inner.pid).not.toBe(runner.child.pid);

    runner.child.kill('SIGKILL');
    expect((await runner.exited).signal).toBe('SIGKILL');
    await nothingLeft(all, port, runner.output);
  });

  it('SIGTERM to `npm start` (a supervisor stopping it) stops the runner, Next and PostgreSQL cleanly', { timeout: 600_000 }, async () => {
    // npm passes the signal to its script's process; through a shell (no `exec`) it reached only
    // the shell, and the runner, Next and PostgreSQL ran on (found reviewing the portal). Through
    // the `tsx` command, which SIGKILLs its child when the child has not reported the relayed
    // signal within 30 ms, a loaded machine lost the clean stop (this test failed in CI so).
    const port = await freePort();
    const runner = startRunner(dataDir, port, { viaNpm: true });
    runners.push(runner);
    await healthy(runner, port);
    const all = tree(runner.child.pid!);
    expect(all.some((proc) => /\/postgres -D /.test(proc.command))).toBe(true);
    // An idle keep-alive connection outlives Node's 5 s default (KEEP_ALIVE_TIMEOUT_MS): the next
    // request 6 s later goes on the same socket (an e2e request met a reset one in CI).
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const get = () =>
      new Promise<boolean>((resolve, reject) => {
        const request = http.get({ host: '127.0.0.1', port, path: '/api/health', agent }, (response) => {
          response.resume();
          response.on('end', () => resolve(request.reusedSocket));
        });
        request.on('error', reject);
      });
    expect(await get()).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 6_000));
    expect(await get()).toBe(true);
    agent.destroy();

    runner.child.kill('SIGTERM');
    await runner.exited;
    await nothingLeft(all, port, runner.output);
    // npm may end before the runner's last lines are read from the pipe they share.
    await runner.outputClosed;
    expect(runner.output()).toContain('PostgreSQL stopped');
  });

  it('a second npm start on the same data directory is refused, and the first runs on (found by a stranger: the second adopted the first one\'s PostgreSQL and was left without it)', { timeout: 600_000 }, async () => {
    const port = await freePort();
    const runner = startRunner(dataDir, port);
    runners.push(runner);
    await healthy(runner, port);
    const second = startRunner(dataDir, await freePort());
    runners.push(second);
    expect(await second.exited).toEqual({ code: 1, signal: null });
    expect(second.output()).toMatch(new RegExp(`could not start: another npm start or npm run dev \\(pid \\d+\\) runs on ${dataDir.replaceAll('/', '\\/')}`));
    expect((await fetch(`http://127.0.0.1:${port}/api/health`)).status).toBe(200);
    runner.child.kill('SIGTERM');
    expect(await runner.exited).toEqual({ code: 0, signal: null });
    expect(fs.existsSync(path.join(dataDir, 'runner.pid'))).toBe(false);
  });

  it('a SIGKILLed runner takes Next and PostgreSQL with it; a restart at once comes up on the same port and stops cleanly', { timeout: 600_000 }, async () => {
    const port = await freePort();
    const runner = startRunner(dataDir, port);
    runners.push(runner);
    await healthy(runner, port);
    const { all } = processesOf(runner);

    // The issue's case: the next start failed with EADDRINUSE while the orphaned Next kept the port.
    runner.child.kill('SIGKILL');
    expect((await runner.exited).signal).toBe('SIGKILL');
    // Restarted at once, while Next may still be closing the port and PostgreSQL shutting down.
    const again = startRunner(dataDir, port);
    runners.push(again);
    // Nobody signals the old Next and PostgreSQL but the kernel: they end on their own.
    await waitFor(async () => stillRunning(all).length === 0, "the killed run's processes to end", GONE_TIMEOUT_MS, 100).catch((error: unknown) => {
      throw new Error(`${String(error)}; still running: ${stillRunning(all).map((p) => `${p.pid} ${p.command}`).join(' | ')}`);
    });
    await healthy(again, port);

    const restarted = processesOf(again).all;
    again.child.kill('SIGTERM');
    expect(await again.exited).toEqual({ code: 0, signal: null });
    await nothingLeft(restarted, port, again.output);
  });

  for (const victim of ['next', 'postgres'] as const) {
    it(`a killed ${victim === 'next' ? 'Next' : 'PostgreSQL'} ends the whole run with a non-zero exit and leaves nothing behind`, { timeout: 600_000 }, async () => {
      const port = await freePort();
      const runner = startRunner(dataDir, port);
      runners.push(runner);
      await healthy(runner, port);
      const processes = processesOf(runner);

      process.kill(processes[victim].pid, 'SIGKILL');
      const exit = await runner.exited;
      expect(exit.signal).toBeNull();
      expect(exit.code).not.toBe(0);
      await nothingLeft(processes.all, port, runner.output);
      await runner.outputClosed;
      expect(runner.output()).toContain(`${victim === 'next' ? 'Next' : 'PostgreSQL'} ended unexpectedly (killed by SIGKILL)`);
    });
  }
});

/** A new renter signed up and signed in through the app's own doors (tRPC auth.signUp, next-auth's credentials callback): its session cookie. */
async function signedUpCookie(base: string): Promise<string> {
  const email = `frozen-${Date.now()}@example.com`;
  const password = 'a long passphrase for this test';
  const signUp = await fetch(`${base}/api/trpc/auth.signUp`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ json: { name: 'Frozen Tester', email, password, role: 'RENTER' } }),
  });
  expect(signUp.status, await signUp.text()).toBe(200);
  const csrf = await fetch(`${base}/api/auth/csrf`);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const csrfCookie = csrf.headers.getSetCookie().map((cookie) => cookie.split(';')[0]).join('; ');
  const signIn = await fetch(`${base}/api/auth/callback/credentials`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: csrfCookie },
    body: new URLSearchParams({ csrfToken, email, password, json: 'true' }),
  });
  const session = signIn.headers.getSetCookie().find((cookie) => cookie.startsWith('next-auth.session-token='));
  expect(session, `sign-in answered ${signIn.status}`).toBeDefined();
  return session!.split(';')[0]!;
}

describe.skipIf(process.platform !== 'linux')('npm start: a database that stops answering', () => {
  it('a page answers 503 with Retry-After within the statement deadline, where Next answered 500 (or waited out the freeze), and 200 once it answers again', { timeout: 600_000 }, async () => {
    const port = await freePort();
    // statement_timeout 1 s: the app gives up on a silent server after 6 s (server/db.ts withAnswerDeadline).
    const runner = startRunner(dataDir, port, { env: { DATABASE_STATEMENT_TIMEOUT_MS: '1000' } });
    runners.push(runner);
    await healthy(runner, port);
    const base = `http://127.0.0.1:${port}`;
    const cookie = await signedUpCookie(base);
    const page = () => fetch(`${base}/renter`, { headers: { cookie }, redirect: 'manual' });
    expect((await page()).status).toBe(200);

    const frozen = tree(processesOf(runner).postgres.pid);
    for (const proc of frozen) process.kill(proc.pid, 'SIGSTOP');
    try {
      const answer = await page();
      await answer.text();
      expect(answer.status).toBe(503);
      expect(answer.headers.get('retry-after')).toBe('5');
      expect(answer.headers.get('content-security-policy')).toBeTruthy();
    } finally {
      for (const proc of frozen) process.kill(proc.pid, 'SIGCONT');
    }
    await expect.poll(async () => (await page()).status, { timeout: 30_000 }).toBe(200);
    runner.child.kill('SIGTERM');
    expect(await runner.exited).toEqual({ code: 0, signal: null });
  });
});
