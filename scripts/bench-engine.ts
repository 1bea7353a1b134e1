// npm run bench:engine — how fast the local Inngest engine drives runs on this machine:
//  1. throughput: runs/second completed for a 3-step function without sleeps;
//  2. sleep precision: delay between a sleep's due time and the start of the step after it
//     (p50/p95).
// The app (SDK serve handler, inngest/next) runs in a child process, as it would beside
// `next`, and the engine in this one; PostgreSQL is embedded (or DATABASE_URL's server,
// on a scratch database). Options: --runs N (default 2000), --sleepers N (default 200)
// started over --sleep-spread seconds (default 10), --workers N (default 8), --app-cpu-prof DIR
// (a CPU profile of the app process).
import { spawn } from 'node:child_process';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { Inngest } from 'inngest';
import pg from 'pg';
import { startEngine } from '../inngest/engine/engine';
import { pointClientAtEngine, serveFunctions, serveRouteHandlers, silentLogger, testEngineKeys, waitFor } from '../inngest/engine/testing';
import { migrateAll } from './lib/migrate-all';
import { startBenchDatabase } from './lib/bench/servers';
import { freePort } from './lib/postgres';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    runs: { type: 'string', default: '2000' },
    sleepers: { type: 'string', default: '200' },
    'sleep-spread': { type: 'string', default: '10' },
    workers: { type: 'string', default: '8' },
    'engine-url': { type: 'string' },
    /** Writes a CPU profile of the app process here (`node --cpu-prof`); profile the engine with `node --cpu-prof` yourself. */
    'app-cpu-prof': { type: 'string' },
  },
});

const client = new Inngest({ id: 'bench', logger: silentLogger });
const threeSteps = client.createFunction({ id: 'three-steps', triggers: [{ event: 'bench/three-steps' }] }, async ({ event, step }) => {
  const a = await step.run('a', () => (event.data as { n: number }).n);
  const b = await step.run('b', () => a + 1);
  return step.run('c', () => b + 1);
});
const sleeper = client.createFunction({ id: 'sleeper', triggers: [{ event: 'bench/sleeper' }] }, async ({ step }) => {
  await step.run('before', () => null);
  await step.sleep('nap', '2s');
  // The moment the step after the sleep starts, measured in the app.
  return step.run('after', () => Date.now());
});

/** Child process mode: serve the bench functions and print the serve URL. */
async function serveApp(engineUrl: string): Promise<void> {
  const app = await serveRouteHandlers();
  testEngineKeys();
  pointClientAtEngine(client, engineUrl);
  app.setHandlers(serveFunctions({ client, functions: [threeSteps, sleeper] }));
  console.log(JSON.stringify({ url: app.url }));
  // Exit (not die) on SIGTERM, so a --cpu-prof profile is written.
  process.once('SIGTERM', () => process.exit(0));
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function countCompleted(db: pg.Pool, functionId: string): Promise<number> {
  const { rows } = await db.query<{ done: number }>("select count(*)::int as done from inngest_engine.runs where function_id = $1 and status = 'completed'", [functionId]);
  return rows[0]!.done;
}

/** Gives up after 10 minutes: a bench that slow has found a bug, not a figure. */
async function waitForCompleted(db: pg.Pool, functionId: string, count: number): Promise<void> {
  await waitFor(async () => (await countCompleted(db, functionId)) >= count, `${count} completed ${functionId} runs`, 600_000, 50);
}

async function main(): Promise<void> {
  const runs = Number(values.runs);
  const sleepers = Number(values.sleepers);
  const database = `directpay_bench_${process.pid}`;
  const server = await startBenchDatabase([database]);
  const databaseUrl = server.url(database);
  await migrateAll(databaseUrl);
  const db = new pg.Pool({ connectionString: databaseUrl, max: 2 });

  const callMs: number[] = [];
  const enginePort = await freePort();
  const engineUrl = `http://127.0.0.1:${enginePort}`;
  const keys = testEngineKeys(); // before the app process starts: it inherits them
  const app = spawn(process.execPath, [...(values['app-cpu-prof'] ? ['--cpu-prof', '--cpu-prof-dir', values['app-cpu-prof']] : []), '--import', 'tsx', import.meta.filename, 'serve-app', '--engine-url', engineUrl], { stdio: ['ignore', 'pipe', 'inherit'] });
  const appUrl = await new Promise<string>((resolve, reject) => {
    app.stdout!.on('data', (chunk: Buffer) => {
      const match = /"url":"([^"]+)"/.exec(chunk.toString());
      if (match) resolve(match[1]!);
    });
    app.once('exit', (code) => reject(new Error(`bench app exited (${code})`)));
  });
  const driver = await startEngine({ databaseUrl, ...keys, appUrl, port: enginePort, workers: Number(values.workers), log: (line, fields) => {
      if (line === 'call' && fields) callMs.push(fields.durationMs as number);
    },
  });
  await driver.syncApp();

  pointClientAtEngine(client, driver.url);

  try {
    console.log(`engine bench: ${os.cpus().length} CPU(s), ${values.workers} workers, app in a child process`);
    // Warm-up: first calls compile and open connections.
    await client.send(Array.from({ length: 20 }, (_, n) => ({ name: 'bench/three-steps', data: { n } })));
    await waitForCompleted(db, 'bench-three-steps', 20);

    callMs.length = 0;
    const started = performance.now();
    const cpu = process.cpuUsage();
    for (let sent = 0; sent < runs; sent += 100) {
      await client.send(Array.from({ length: Math.min(100, runs - sent) }, (_, n) => ({ name: 'bench/three-steps', data: { n: sent + n } })));
    }
    await waitForCompleted(db, 'bench-three-steps', runs + 20);
    const seconds = (performance.now() - started) / 1000;
    const used = process.cpuUsage(cpu);
    console.log(`engine process CPU during throughput: ${((used.user + used.system) / 1e6).toFixed(1)} s`);
    console.log(`throughput: ${runs} runs of a 3-step function in ${seconds.toFixed(2)} s = ${(runs / seconds).toFixed(0)} runs/s (${((runs * 4) / seconds).toFixed(0)} calls/s)`);
    // A call's time as the engine saw it (request sent → answer read): the app's share of each
    // call; the rest of a worker's cycle is the engine's claim and record.
    const sortedCalls = [...callMs].sort((a, b) => a - b);
    const appSeconds = callMs.reduce((sum, ms) => sum + ms, 0) / 1000;
    console.log(
      `calls: ${callMs.length} (${(callMs.length / runs).toFixed(2)} per run), in the app p50 ${percentile(sortedCalls, 50)} ms, p95 ${percentile(sortedCalls, 95)} ms; ` +
        `workers spent ${((100 * appSeconds) / (seconds * Number(values.workers))).toFixed(0)}% of their time waiting for the app`,
    );

    // Sleepers start at a steady rate well below the throughput above, so the delay measured
    // is the engine noticing a due sleep, not a backlog of work.
    const spreadMs = Number(values['sleep-spread']) * 1000;
    for (let sent = 0; sent < sleepers; sent++) {
      await client.send({ name: 'bench/sleeper', data: {} });
      await new Promise((resolve) => setTimeout(resolve, spreadMs / sleepers));
    }
    await waitForCompleted(db, 'bench-sleeper', sleepers);
    const { rows } = await db.query<{ due_at: Date; after: number }>(
      `select s.due_at, (r.output)::text::bigint as after
         from inngest_engine.runs r join inngest_engine.steps s on s.run_id = r.id and s.op = 'Sleep'
        where r.function_id = 'bench-sleeper'`,
    );
    const delays = rows.map((row) => Number(row.after) - row.due_at.getTime()).sort((a, b) => a - b);
    console.log(
      `sleep precision over ${delays.length} sleeps: delay from due time to the next step p50 ${percentile(delays, 50)} ms, p95 ${percentile(delays, 95)} ms, max ${delays.at(-1)} ms`,
    );
  } finally {
    const appExited = new Promise((resolve) => app.once('exit', resolve));
    app.kill('SIGTERM');
    await appExited;
    await driver.stop();
    await db.end();
    await server.stop();
  }
}

if (positionals[0] === 'serve-app') {
  await serveApp(values['engine-url']!);
} else {
  await main();
  process.exit(0);
}
