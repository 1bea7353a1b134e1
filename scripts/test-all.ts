// npm test — every test: the Vitest suites (unit, domain, API, engine; real PostgreSQL), then
// the production build, the Playwright journeys in Chromium (installed from Debian's
// archive first when it is missing and we run as root: lib/chromium.ts) and the benchmark's
// smoke run. Prints one closing line
// "N passed, N failed" counted from the runners' own reports, and writes it to
// test-results/summary.json. Exits non-zero when anything failed.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { ensureChromium } from './lib/chromium';

fs.rmSync('test-results', { recursive: true, force: true });
fs.mkdirSync('test-results', { recursive: true });

const run = (command: string, args: string[]) => spawnSync(command, args, { stdio: 'inherit', env: process.env }).status ?? 1;
const readJson = (file: string) => (fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : null);

let passed = 0;
let failed = 0;
const problems: string[] = [];

const vitestStatus = run('npx', ['vitest', 'run']);
const vitest = readJson('test-results/vitest.json');
if (vitest) {
  passed += vitest.numPassedTests;
  failed += vitest.numFailedTests;
  // A suite that could not even load counts as a failure of its own.
  failed += vitest.numFailedTestSuites > 0 && vitest.numFailedTests === 0 ? vitest.numFailedTestSuites : 0;
}
if (!vitest || (vitestStatus !== 0 && failed === 0)) {
  failed += 1;
  problems.push('vitest did not complete');
}

const chromiumProblem = ensureChromium();
if (chromiumProblem) {
  failed += 1;
  problems.push(chromiumProblem);
} else if (run('npm', ['run', 'build']) !== 0) {
  failed += 1;
  problems.push('next build failed');
} else {
  const e2eStatus = run('npx', ['tsx', 'scripts/e2e.ts']);
  const playwright = readJson('test-results/playwright.json');
  if (playwright?.stats) {
    passed += playwright.stats.expected + playwright.stats.flaky;
    failed += playwright.stats.unexpected;
  }
  if (!playwright?.stats || (e2eStatus !== 0 && !playwright.stats.unexpected)) {
    failed += 1;
    problems.push('the Playwright suite did not complete');
  }
  // The benchmark in smoke mode (tiny counts) on the same build: every path it measures
  // answers without errors and its end checks hold. One test.
  if (run('npx', ['tsx', '--conditions=react-server', 'scripts/bench.ts', '--smoke']) === 0) {
    passed += 1;
  } else {
    failed += 1;
    problems.push('npm run bench -- --smoke failed');
  }
}

fs.writeFileSync('test-results/summary.json', JSON.stringify({ passed, failed, problems }));
for (const problem of problems) console.error(`error: ${problem}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
