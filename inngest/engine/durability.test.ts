// The engine's durability and sharing guarantees: an engine process SIGKILLed mid-sleep or
// mid-step and started again continues every run from its last stored step, never running a
// stored step again and never cutting a sleep short; and several engines draining one
// database never drive one run at the same time.
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';
import { Inngest } from 'inngest';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { freePort } from '../../scripts/lib/postgres';
import { startEngine, type RunningEngine } from './engine';
import { runsForEvent } from './read';
import { pointClientAtEngine, serveFunctions, serveRouteHandlers, silentLogger, testEngineKeys, waitFor, type ServedApp, testPool } from './testing';

const databaseUrl = process.env.DATABASE_URL!;
const client = new Inngest({ id: 'durability-test', logger: silentLogger });

/** When each step started executing in the app, by run and step name. */
const executions = new Map<string, number[]>();
function executed(runId: string, step: string): void {
  const key = `${runId}/${step}`;
  executions.set(key, [...(executions.get(key) ?? []), Date.now()]);
}

const napper = client.createFunction({ id: 'napper', triggers: [{ event: 'test/nap' }] }, async ({ step, runId }) => {
  await step.run('before', () => executed(runId, 'before'));
  await step.sleep('nap', '2s');
  await step.run('after', () => executed(runId, 'after'));
  return 'rested';
});

const chain = client.createFunction({ id: 'chain', triggers: [{ event: 'test/chain' }] }, async ({ step, runId }) => {
  const slowStep = (name: string, result: () => unknown) =>
    step.run(name, async () => {
      executed(runId, name);
      await new Promise((resolve) => setTimeout(resolve, 15));
      return result();
    });
  const nonce = await slowStep('first', () => Math.random());
  const echoed = await slowStep('second', () => nonce);
  const again = await slowStep('third', () => echoed);
  return { nonce, again };
});

/** The first execution of `woken`'s step, held until the test releases it: set by the test. */
let holdWoken: { started: boolean; released: Promise<void> } | null = null;
const woken = client.createFunction({ id: 'woken', triggers: [{ event: 'test/woken' }] }, async ({ step, runId }) => {
  await step.sleep('nap', '1s');
  await step.run('slow', async () => {
    executed(runId, 'slow');
    const hold = holdWoken;
    holdWoken = null;
    if (hold) {
      hold.started = true;
      await hold.released;
    }
  });
  return 'woke';
});

/** A step executing twice at once, or twice at all, would show here. */
const running = new Map<string, number>();
let overlaps = 0;
const drain = client.createFunction({ id: 'drain', triggers: [{ event: 'test/drain' }] }, async ({ step, runId }) => {
  await step.run('work', async () => {
    running.set(runId, (running.get(runId) ?? 0) + 1);
    if (running.get(runId)! > 1) overlaps++;
    executed(runId, 'work');
    await new Promise((resolve) => setImmediate(resolve));
    running.set(runId, running.get(runId)! - 1);
  });
  return 'drained';
});

let app: ServedApp;
/** Calls to run a function that the app answered, from any engine. */
let callsReceived = 0;
let enginePort: number;
let db: pg.Pool;

beforeAll(async () => {
  app = await serveRouteHandlers();
  enginePort = await freePort();
  // The engine processes get the keys through the environment they inherit.
  testEngineKeys();
  pointClientAtEngine(client, `http://127.0.0.1:${enginePort}`);
  const handlers = serveFunctions({ client, functions: [napper, chain, drain, woken] });
  app.setHandlers({
    GET: handlers.GET,
    PUT: handlers.PUT,
    POST: (request) => {
      callsReceived++;
      return handlers.POST(request);
    },
  });
  db = testPool(databaseUrl, 3);
});

afterAll(async () => {
  await app?.close();
  await db?.end();
});

/** The engine as its own process (cli.ts), listening on `enginePort`. */
async function startEngineProcess(): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', path.resolve(import.meta.dirname, 'cli.ts'), '--database-url', databaseUrl, '--app-url', app.url, '--port', String(enginePort), '--workers', '8', '--sync'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let errors = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    errors += chunk.toString();
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('"url"')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`engine process exited (${code}): ${errors}`)));
  });
  return child;
}

async function kill(child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

async function runFor(eventId: string): Promise<string | undefined> {
  return (await runsForEvent(db, eventId))[0]?.id;
}

describe('engine durability', () => {
  // Each test starts engine processes (tsx compiles each one); on a loaded 2-core machine one
  // start can take over 10 s, so the timeouts are sized for three or four of them.
  it('continues a sleeping run after the engine is SIGKILLed, without cutting the sleep short', { timeout: 90_000 }, async () => {
    let engine = await startEngineProcess();
    try {
      const { ids } = await client.send({ name: 'test/nap', data: {} });
      const runId = await waitFor(() => runFor(ids[0]!), 'the run');
      const sleep = await waitFor(async () => {
        const { rows } = await db.query<{ due_at: Date }>("select due_at from inngest_engine.steps where run_id = $1 and status = 'sleeping'", [runId]);
        return rows[0];
      }, 'the sleep to start');
      await kill(engine);
      engine = await startEngineProcess();
      await waitFor(async () => {
        const { rows } = await db.query<{ status: string }>('select status from inngest_engine.runs where id = $1', [runId]);
        return rows[0]?.status === 'completed';
      }, 'the run to complete');
      expect(executions.get(`${runId}/before`)).toHaveLength(1);
      const after = executions.get(`${runId}/after`)!;
      expect(after).toHaveLength(1);
      expect(after[0]!).toBeGreaterThanOrEqual(sleep.due_at.getTime());
    } finally {
      await kill(engine);
    }
  });

  it('calls again a run whose engine died mid-call right after the sleep before it ended: the next engine does not leave it waiting', { timeout: 120_000 }, async () => {
    let engine = await startEngineProcess();
    let release = () => undefined as void;
    const hold = { started: false, released: new Promise<void>((resolve) => (release = resolve)) };
    holdWoken = hold;
    try {
      const { ids } = await client.send({ name: 'test/woken', data: {} });
      const runId = await waitFor(() => runFor(ids[0]!), 'the run');
      // The claim that applied the ended nap is committed; the call it made is in the app's step.
      await waitFor(async () => hold.started, 'the step after the nap to start', 60_000);
      await kill(engine);
      release();
      engine = await startEngineProcess();
      await waitFor(async () => {
        const { rows } = await db.query<{ status: string }>('select status from inngest_engine.runs where id = $1', [runId]);
        return rows[0]?.status === 'completed';
      }, 'the run to complete', 60_000);
      expect(executions.get(`${runId}/slow`)!.length).toBeGreaterThanOrEqual(1);
    } finally {
      release();
      await kill(engine);
    }
  });

  it('never runs a stored step again when the engine is SIGKILLed mid-step, and finishes every run', { timeout: 120_000 }, async () => {
    let engine = await startEngineProcess();
    const events = Array.from({ length: 40 }, (_, n) => ({ name: 'test/chain', data: { n } }));
    try {
      const { ids } = await client.send(events);
      const progress = async () =>
        (
          await db.query<{ steps: number; runs: number }>(
            `select (select count(*)::int from inngest_engine.steps s join inngest_engine.runs r on r.id = s.run_id
                      where r.function_id = 'durability-test-chain' and s.status = 'completed') as steps,
                    (select count(*)::int from inngest_engine.runs where function_id = 'durability-test-chain' and status = 'completed') as runs`,
          )
        ).rows[0]!;
      // Kill once the first steps are stored, and again half-way through the 120 steps.
      for (const steps of [1, 60]) {
        await waitFor(async () => (await progress()).steps >= steps, `${steps} stored steps`);
        await kill(engine);
        // Mid-way: runs were still unfinished when the engine died.
        expect((await progress()).runs).toBeLessThan(events.length);
        engine = await startEngineProcess();
      }
      const runIds = await Promise.all(ids.map((id) => waitFor(() => runFor(id), 'a run')));
      await waitFor(async () => {
        const { rows } = await db.query<{ done: number }>("select count(*)::int as done from inngest_engine.runs where id = any($1) and status = 'completed'", [runIds]);
        return rows[0]!.done === runIds.length;
      }, 'every chain run to complete');

      const { rows: steps } = await db.query<{ run_id: string; name: string; ended_at: Date }>(
        "select run_id, name, ended_at from inngest_engine.steps where run_id = any($1) and status = 'completed'",
        [runIds],
      );
      expect(steps).toHaveLength(runIds.length * 3);
      for (const step of steps) {
        // An execution that started after the step's result was stored would be a completed step running twice.
        const starts = executions.get(`${step.run_id}/${step.name}`)!;
        expect(starts.filter((start) => start > step.ended_at.getTime()), `${step.run_id}/${step.name}`).toEqual([]);
      }
      const { rows: outputs } = await db.query<{ output: { nonce: number; again: number } }>('select output from inngest_engine.runs where id = any($1)', [runIds]);
      for (const { output } of outputs) expect(output.again).toBe(output.nonce);
    } finally {
      await kill(engine);
    }
  });

  it('drains 1,000 runs with two engine processes, each run completed once and no step run twice', async () => {
    // One engine in its own process (receiving the events), one in this process.
    const child = await startEngineProcess();
    let local: RunningEngine | undefined;
    // The engine calls the app with node:http; calls made from this process are the local engine's.
    const requests = vi.spyOn(http, 'request');
    try {
      callsReceived = 0;
      local = await startEngine({ databaseUrl, ...testEngineKeys(), appUrl: app.url, workers: 4, log: () => undefined });
      const total = 1_000;
      for (let batch = 0; batch < total / 100; batch++) {
        await client.send(Array.from({ length: 100 }, (_, n) => ({ name: 'test/drain', data: { n: batch * 100 + n } })));
      }
      await waitFor(
        async () => {
          const { rows } = await db.query<{ done: number }>(
            "select count(*)::int as done from inngest_engine.runs where function_id = 'durability-test-drain' and status = 'completed'",
          );
          return rows[0]!.done === total;
        },
        '1,000 runs to complete',
        // About 40 s on the 2-core machine when quiet; over 100 s at load 30 (other builds and suites).
        240_000,
        200,
      );
      const { rows } = await db.query<{ runs: number; events: number; completed: number }>(
        `select count(*)::int as runs, count(distinct event_internal_id)::int as events, count(*) filter (where status = 'completed')::int as completed
           from inngest_engine.runs where function_id = 'durability-test-drain'`,
      );
      expect(rows[0]).toEqual({ runs: total, events: total, completed: total });
      const { rows: runIds } = await db.query<{ id: string }>("select id from inngest_engine.runs where function_id = 'durability-test-drain'");
      const executedOnce = runIds.filter(({ id }) => executions.get(`${id}/work`)?.length === 1);
      expect(executedOnce).toHaveLength(total);
      expect(overlaps).toBe(0);
      const localCalls = requests.mock.calls.filter(([target]) => String(target).startsWith(`${app.url}?fnId=`)).length;
      expect(localCalls, 'calls by the engine in this process').toBeGreaterThan(0);
      expect(callsReceived - localCalls, 'calls by the engine process').toBeGreaterThan(0);
    } finally {
      requests.mockRestore();
      await local?.stop();
      await kill(child);
    }
  }, 300_000);
});
