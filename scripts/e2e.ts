// npm run test:e2e — runs the Playwright suite against the production build on a fresh
// embedded database (or DATABASE_URL), exactly as `npm start` runs it. Extra arguments are
// passed to `playwright test`.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureDatabase, freePort, startEmbeddedPostgres, type RunningPostgres } from './lib/postgres';
import { configuredDatabaseUrls, embeddedDatabaseUrls } from './lib/database-url';
import { ensureChromium } from './lib/chromium';

if (!fs.existsSync('.next/BUILD_ID')) {
  console.error('No production build found: run `npm run build` first.');
  process.exit(2);
}
const chromiumProblem = ensureChromium();
if (chromiumProblem) {
  console.error(`error: ${chromiumProblem}`);
  process.exit(2);
}

let postgres: RunningPostgres | undefined;
let urls = configuredDatabaseUrls();
if (!urls) {
  postgres = await startEmbeddedPostgres({ dir: path.join(os.tmpdir(), `directpay-e2e-pg-${process.pid}`), persistent: false });
  await ensureDatabase(postgres.url('postgres'), 'directpay_e2e');
  urls = embeddedDatabaseUrls(postgres, 'directpay_e2e');
}
const databaseUrl = urls.appUrl;

const port = await freePort();
const baseUrl = `http://localhost:${port}`;
const app = spawn(process.execPath, ['--conditions=react-server', '--import', 'tsx', 'scripts/start.ts'], {
  stdio: ['ignore', 'pipe', 'pipe'],
  env: {
    ...process.env,
    // As in production: migrations as the owner, the app as the role that reads and writes rows.
    MIGRATION_DATABASE_URL: urls.migrationUrl,
    DATABASE_URL: databaseUrl,
    PORT: String(port),
    NEXTAUTH_URL: baseUrl,
    NEXTAUTH_SECRET: process.env.NEXTAUTH_SECRET ?? 'e2e-secret-e2e-secret-e2e-secret-0123456789',
    ACCOUNT_TOKEN_SECRET: process.env.ACCOUNT_TOKEN_SECRET ?? 'e2e-account-token-secret-0123456789abcdef',
    // The demo clock: one calendar day plays in 4 s, so ACH journeys (settle, return) finish in seconds.
    SETTLEMENT_TIME_SCALE: process.env.SETTLEMENT_TIME_SCALE ?? String(1 / 21_600),
    // Outcomes in e2e come only from the simulator's test accounts (…0001 fails), never by chance.
    BANK_SUCCESS_RATE: process.env.BANK_SUCCESS_RATE ?? '1',
    // The journeys sign in as the demo users, which `npm start` seeds only when asked.
    DIRECTPAY_DEMO_SEED: 'true',
    OPERATOR_DASHBOARD: 'true',
    // The seeded demo operator; the dashboard is a 404 for everyone else.
    OPERATOR_EMAILS: 'operator@directpay.test',
    // The webhook journey's receiver listens on 127.0.0.1, which production otherwise refuses.
    WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
    // Every journey signs up its own users and signs in, all from this machine's address (the
    // suite signs in more than 50 times within 15 minutes).
    SIGN_UPS_PER_ADDRESS_PER_HOUR: '1000',
    SIGN_INS_PER_ADDRESS_PER_15_MINUTES: '1000',
  },
});
fs.mkdirSync('test-results', { recursive: true });
const appLog = fs.createWriteStream('test-results/e2e-app.log');
app.stdout!.pipe(appLog);
app.stderr!.pipe(appLog);

let exitCode = 1;
try {
  await waitForHealth(`${baseUrl}/api/health`, app);
  exitCode = await run('npx', ['playwright', 'test', ...process.argv.slice(2)], { ...process.env, E2E_BASE_URL: baseUrl, DATABASE_URL: databaseUrl });
} finally {
  await stop(app);
  await postgres?.stop();
}
process.exit(exitCode);

async function waitForHealth(url: string, child: ChildProcess): Promise<void> {
  // Migrations, the seed and the first Next start on a busy 2-core machine.
  const deadline = Date.now() + 180_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the app exited early (code ${child.exitCode}); see test-results/e2e-app.log`);
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`the app did not become healthy at ${url}; see test-results/e2e-app.log`);
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: 'inherit', env });
    child.on('exit', (code) => resolve(code ?? 1));
  });
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
