// What the engine costs the app and the database: calls per run as Inngest makes them, idle
// workers that wait instead of polling in a loop, and history kept only for its retention.
import { Inngest, referenceFunction } from 'inngest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteExpiredHistory } from './engine';
import { fenceSql } from './executor';
import { hashedSigningKey } from './signing';
import { silentLogger, startInngestForTests, waitFor, type InngestTestHarness } from './testing';

const client = new Inngest({ id: 'calls-test', logger: silentLogger });

/** Calls of each function body, by run id, as the app saw them. */
const calls = new Map<string, number>();
const count = (runId: string) => calls.set(runId, (calls.get(runId) ?? 0) + 1);

// The function: Inngest makes 3 calls ([] → sleep a; [a] → sleep b; [a, b] → done).
const twoSleeps = client.createFunction({ id: 'two-sleeps', triggers: [{ event: 'test/two-sleeps' }] }, async ({ step, runId }) => {
  count(runId);
  await step.sleep('a', '1s');
  await step.sleep('b', '1s');
  return 'done';
});

// A step that takes 2 s in the app: meanwhile the parent's row is the only one due after now.
const slowChild = client.createFunction({ id: 'slow-child', triggers: [] }, async ({ step }) => {
  await step.run('slow-step', () => new Promise((resolve) => setTimeout(resolve, 2_000)));
  return 'awake';
});
// An invoke without a timeout: the parent's queue row is due at 'infinity' until the child ends.
const waitingParent = client.createFunction({ id: 'waiting-parent', triggers: [{ event: 'test/waiting-parent' }] }, async ({ step }) => {
  return step.invoke('call-slow-child', { function: slowChild, data: {} });
});
const missingTarget = client.createFunction({ id: 'missing-target', triggers: [{ event: 'test/missing-target' }] }, async ({ step }) => {
  try {
    await step.invoke('call-nobody', { function: referenceFunction({ functionId: 'nobody' }), data: {} });
    return 'invoked';
  } catch (error) {
    return (error as Error).message;
  }
});

const longNap = client.createFunction({ id: 'long-nap', triggers: [{ event: 'test/long-nap' }] }, async ({ step }) => {
  await step.sleep('nap', '1h');
});

// Six parallel steps that each take a while in the app: how many calls are in flight at once.
const inFlight = { now: 0, most: 0 };
const wideFanOut = client.createFunction({ id: 'wide-fan-out', triggers: [{ event: 'test/wide-fan-out' }] }, async ({ step }) => {
  const slow = (id: string) =>
    step.run(id, async () => {
      inFlight.most = Math.max(inFlight.most, ++inFlight.now);
      await new Promise((resolve) => setTimeout(resolve, 300));
      inFlight.now--;
      return id;
    });
  return Promise.all(['p1', 'p2', 'p3', 'p4', 'p5', 'p6'].map(slow));
});

// Three steps, a sleep, a fourth: with checkpointing, one call runs a, b, c (posting each
// result to the engine) and reports the sleep; a second runs d and ends the run.
const checkpointed = client.createFunction({ id: 'checkpointed', triggers: [{ event: 'test/checkpointed' }] }, async ({ step, runId }) => {
  count(runId);
  const a = await step.run('a', () => 1);
  const b = await step.run('b', () => a + 1);
  const c = await step.run('c', () => ({ sum: a + b }));
  await step.sleep('nap', '1s');
  const d = await step.run('d', () => c.sum * 10);
  return { a, b, c, d };
});

// The same with the SDK holding results (bufferedSteps): the three steps before the nap reach
// the engine in one checkpoint (forced by the sleep), the two after it with the run's end in
// the call's answer.
const buffered = client.createFunction(
  { id: 'buffered', triggers: [{ event: 'test/buffered' }], checkpointing: { bufferedSteps: 10 } },
  async ({ step, runId }) => {
    count(runId);
    const a = await step.run('a', () => 1);
    const b = await step.run('b', () => a + 1);
    const c = await step.run('c', () => a + b);
    await step.sleep('nap', '1s');
    const d = await step.run('d', () => c * 10);
    const e = await step.run('e', () => d + 1);
    return { a, b, c, d, e };
  },
);

// A backlog of one function (mail to many), and after it one run of a prioritized function (a
// settlement: Inngest's priority.run) and one of a plain one.
const backlog = client.createFunction({ id: 'backlog', triggers: [{ event: 'test/backlog' }] }, async ({ step }) => {
  await step.run('slow-send', () => new Promise((resolve) => setTimeout(() => resolve('sent'), 100)));
});
const urgent = client.createFunction({ id: 'urgent', triggers: [{ event: 'test/urgent' }], priority: { run: "event.data.how == 'urgent' ? 600 : 0" } }, async ({ step }) =>
  step.run('settle', () => 'settled'),
);

// A prioritized function limited to one run at a time: while its runs wait for the slot, they
// must not keep the workers from another function's runs.
const prioLimited = client.createFunction(
  { id: 'prio-limited', triggers: [{ event: 'test/prio-limited' }], priority: { run: '600' }, concurrency: { limit: 1 } },
  async ({ step }) => step.run('slow', () => new Promise((resolve) => setTimeout(() => resolve('done'), 100))),
);

// A step whose result the engine cannot store (a NUL; JSON nested past 256 levels).
const unstorableRuns = new Map<string, number>();
const unstorableResult = client.createFunction({ id: 'unstorable-result', retries: 2, triggers: [{ event: 'test/unstorable' }] }, async ({ event, step, runId }) => {
  await step.run('a', () => {
    unstorableRuns.set(runId, (unstorableRuns.get(runId) ?? 0) + 1);
    if ((event.data as { kind: string }).kind === 'nul') return 'a\u0000b';
    let deep: unknown = 'bottom';
    for (let i = 0; i < 300; i++) deep = { d: deep };
    return deep;
  });
  await step.sleep('nap', '1s');
});

// Errors whose words the engine cannot store as sent (a NUL in the message): in a step, and
// thrown by the function itself.
const nulErrorRuns = new Map<string, number>();
const nulError = client.createFunction({ id: 'nul-error', retries: 1, triggers: [{ event: 'test/nul-error' }] }, async ({ event, step, runId }) => {
  if ((event.data as { where: string }).where === 'function') throw new Error('bad\u0000byte in the function');
  await step.run('a', () => {
    nulErrorRuns.set(runId, (nulErrorRuns.get(runId) ?? 0) + 1);
    throw new Error('bad\u0000byte in a step');
  });
});

/** What the app answers as X-App-Busy (users' requests in flight). */
let appBusy = false;

let harness: InngestTestHarness;
const POLL_MS = 250;
const WORKERS = 4;

beforeAll(async () => {
  harness = await startInngestForTests({
    client,
    functions: [twoSleeps, slowChild, waitingParent, missingTarget, longNap, wideFanOut, checkpointed, buffered, backlog, urgent, prioLimited, unstorableResult, nulError],
    engine: { workers: WORKERS, tuning: { pollMs: POLL_MS } },
    appBusy: () => appBusy,
  });
});

afterAll(async () => {
  await harness?.stop();
});

async function start(name: string, data: Record<string, unknown> = {}) {
  const { ids } = await client.send({ name, data });
  const [run] = await waitFor(async () => {
    const runs = await harness.runsForEvent(ids[0]!);
    return runs.length ? runs : null;
  }, `a run for ${name}`);
  return run!;
}

/** The steps each checkpoint of `runId` carried, in order (the engine's `checkpoint` lines). */
function checkpointsOf(runId: string): number[] {
  return harness.logs
    .filter((line) => line.startsWith('checkpoint '))
    .map((line) => JSON.parse(line.slice('checkpoint '.length)) as { runId: string; steps: number })
    .filter((line) => line.runId === runId)
    .map((line) => line.steps);
}

describe('engine calls', () => {
  it('calls a function that sleeps twice exactly 3 times', async () => {
    const run = await start('test/two-sleeps');
    const trace = await harness.waitForEnd(run.id);
    expect(trace.status).toBe('completed');
    expect(trace.output).toBe('done');
    expect(calls.get(run.id)).toBe(3);
  });

  it('keeps idle workers to one poll per interval while a run waits on an invoke without timeout', async () => {
    const run = await start('test/waiting-parent');
    await waitFor(async () => (await harness.trace(run.id)).steps.some((step) => step.status === 'invoking'), 'the parent to wait on its child');
    const before = harness.engine.stats();
    const started = performance.now();
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const elapsed = performance.now() - started;
    const polls = harness.engine.stats().emptyPolls - before.emptyPolls;
    // Each worker polls at most once per interval (plus wakes for the child's steps); a spinning
    // worker polls thousands of times a second.
    expect(polls).toBeLessThanOrEqual(WORKERS * Math.ceil(elapsed / POLL_MS) + 4);
    expect(harness.logs.filter((line) => line.startsWith('worker error'))).toEqual([]);
    const trace = await harness.waitForEnd(run.id);
    expect(trace.output).toBe('awake');
  });

  it('keeps calls to the app in flight within the worker count, a run\'s parallel steps included', async () => {
    const run = await start('test/wide-fan-out');
    const trace = await harness.waitForEnd(run.id);
    expect(trace.output).toEqual(['p1', 'p2', 'p3', 'p4', 'p5', 'p6']);
    expect(inFlight.most).toBeGreaterThan(1);
    expect(inFlight.most).toBeLessThanOrEqual(WORKERS);
  });

  it('keeps one call in flight while the app answers X-App-Busy: 1, and the worker count again once it answers 0', async () => {
    appBusy = true;
    inFlight.most = 0;
    try {
      const busyRun = await start('test/wide-fan-out');
      const busyTrace = await harness.waitForEnd(busyRun.id);
      expect(busyTrace.output).toEqual(['p1', 'p2', 'p3', 'p4', 'p5', 'p6']);
      expect(inFlight.most).toBe(1);
    } finally {
      appBusy = false;
    }
    inFlight.most = 0;
    const freeRun = await start('test/wide-fan-out');
    expect((await harness.waitForEnd(freeRun.id)).output).toEqual(['p1', 'p2', 'p3', 'p4', 'p5', 'p6']);
    expect(inFlight.most).toBeGreaterThan(1);
    expect(inFlight.most).toBeLessThanOrEqual(WORKERS);
  });

  it('starts a run with priority.run ahead of a backlog queued before it; one without waits its turn', async () => {
    const BACKLOG = 40;
    /** Backlog runs that ended before `runId` did, and how many there are. */
    const endedBefore = async (runId: string) => {
      const trace = await harness.waitForEnd(runId);
      expect(trace.status).toBe('completed');
      const { rows } = await harness.db.query<{ done: number; total: number }>(
        "select count(*) filter (where status = 'completed' and ended_at <= $1)::int as done, count(*)::int as total from inngest_engine.runs where function_id like '%-backlog' and created_at > $2",
        [trace.endedAt, since],
      );
      return rows[0]!;
    };
    const since = new Date(Date.now() - 1);
    const queueBacklog = async () => {
      await client.send(Array.from({ length: BACKLOG }, (_, n) => ({ name: 'test/backlog', data: { n } })));
      await waitFor(async () => (await harness.db.query("select 1 from inngest_engine.runs where function_id like '%-backlog' and status <> 'queued' and created_at > $1 limit 1", [since])).rowCount || null, 'the backlog to start');
    };
    await queueBacklog();
    const prioritized = await endedBefore((await start('test/urgent', { how: 'urgent' })).id);
    expect(prioritized.total).toBe(BACKLOG);
    expect(prioritized.done).toBeLessThan(BACKLOG / 4);
    // The same function with a factor of 0: first come, first served.
    const plain = await endedBefore((await start('test/urgent', { how: 'whenever' })).id);
    expect(plain.done).toBeGreaterThan(BACKLOG * 0.75);
    await waitFor(async () => (await harness.db.query("select 1 from inngest_engine.runs where function_id like '%-backlog' and status <> 'completed' limit 1")).rowCount === 0 || null, 'the backlog to drain', 30_000);
  });

  it('while the app is busy (one call at a time), lets a prioritized run call next, ahead of runs claimed before it', async () => {
    // Every worker holds a claimed backlog run: one calling, the rest waiting for the one place.
    // The prioritized run is claimed by the first worker to finish; it must then call next,
    // not after the runs the other workers claimed before it (3 of them with 4 workers).
    const BACKLOG = 12;
    const since = new Date(Date.now() - 1);
    appBusy = true;
    try {
      await client.send(Array.from({ length: BACKLOG }, (_, n) => ({ name: 'test/backlog', data: { n } })));
      await waitFor(async () => (await harness.db.query("select 1 from inngest_engine.runs where function_id like '%-backlog' and status = 'completed' and created_at > $1 limit 1", [since])).rowCount || null, 'the backlog to be under way');
      const urgentRun = await start('test/urgent', { how: 'urgent' });
      const trace = await harness.waitForEnd(urgentRun.id);
      expect(trace.status).toBe('completed');
      // Backlog runs that ended between its claim (started_at) and its end.
      const { rows } = await harness.db.query<{ done: number }>(
        `select count(*)::int as done from inngest_engine.runs b, inngest_engine.runs u
          where u.id = $1 and b.function_id like '%-backlog' and b.created_at > $2 and b.status = 'completed' and b.ended_at > u.started_at and b.ended_at <= u.ended_at`,
        [urgentRun.id, since],
      );
      // The call in flight when it was claimed, and the one let in as that worker recorded its
      // answer, at most; in arrival order it waited for every other worker's claimed run too.
      expect(rows[0]!.done).toBeLessThanOrEqual(2);
    } finally {
      appBusy = false;
    }
    await waitFor(async () => (await harness.db.query("select 1 from inngest_engine.runs where function_id like '%-backlog' and status <> 'completed' limit 1")).rowCount === 0 || null, 'the backlog to drain', 30_000);
  });

  it('queues a prioritized run turned away for want of a concurrency slot again without its factor', async () => {
    const since = new Date(Date.now() - 1);
    const BLOCKED = 30;
    await client.send(Array.from({ length: BLOCKED }, (_, n) => ({ name: 'test/prio-limited', data: { n } })));
    await waitFor(async () => (await harness.db.query("select 1 from inngest_engine.runs where function_id like '%-prio-limited' and status <> 'queued' and created_at > $1 limit 1", [since])).rowCount || null, 'the first to start');
    // A run turned away for want of the slot is queued again without its factor.
    await waitFor(
      async () => (await harness.db.query("select 1 from inngest_engine.queue q join inngest_engine.runs r on r.id = q.run_id where r.function_id like '%-prio-limited' and q.priority_s = 0 limit 1")).rowCount || null,
      'a run turned away by the limit to lose its priority',
    );
    const trace = await harness.waitForEnd((await start('test/urgent', { how: 'whenever' })).id);
    const { rows } = await harness.db.query<{ done: number }>(
      "select count(*)::int as done from inngest_engine.runs where function_id like '%-prio-limited' and status = 'completed' and ended_at <= $1 and created_at > $2",
      [trace.endedAt, since],
    );
    // Another function's run then gets through. (With this file's 4 workers it also got
    // through before the fix; the attack that found it used 2 and 250 runs: 24 s. The factor's
    // reset above is what fails without the fix.)
    expect(rows[0]!.done).toBeLessThan(BLOCKED / 3);
    await waitFor(async () => (await harness.db.query("select 1 from inngest_engine.runs where function_id like '%-prio-limited' and status <> 'completed' limit 1")).rowCount === 0 || null, 'the limited runs to drain', 30_000);
  });

  it('fails a run at once when the app answers a result the engine cannot store, without running the step again', async () => {
    for (const kind of ['nul', 'deep']) {
      const run = await start('test/unstorable', { kind });
      const trace = await harness.waitForEnd(run.id);
      expect(trace.status, kind).toBe('failed');
      expect(JSON.stringify(trace.error), kind).toMatch(/UnstorableResultError|cannot store/);
      expect(unstorableRuns.get(run.id), kind).toBe(1);
    }
  });

  it('stores an error whose message holds a NUL with U+FFFD in its place, and retries as for any error', async () => {
    const inStep = await start('test/nul-error', { where: 'step' });
    const stepTrace = await harness.waitForEnd(inStep.id);
    expect(stepTrace.status).toBe('failed');
    expect(nulErrorRuns.get(inStep.id)).toBe(2);
    expect(JSON.stringify(stepTrace.error)).toContain('bad\ufffdbyte in a step');
    const inFunction = await start('test/nul-error', { where: 'function' });
    const functionTrace = await harness.waitForEnd(inFunction.id);
    expect(functionTrace.status).toBe('failed');
    expect(JSON.stringify(functionTrace.error)).toContain('bad\ufffdbyte in the function');
  });

  it('fails an invoke of an unknown function with the Dev Server\'s "could not find function"', async () => {
    const run = await start('test/missing-target');
    const trace = await harness.waitForEnd(run.id);
    expect(trace.output).toMatch(/^could not find function "calls-test-nobody"/);
  });
});

describe('engine claims', () => {
  it('takes over a run whose claim lapsed (its worker died), and lets no one else take a live one', async () => {
    const run = await start('test/two-sleeps');
    await waitFor(async () => (await harness.trace(run.id)).steps.some((step) => step.status === 'sleeping'), 'the first sleep');
    // A worker that claimed the run and died: its lease runs 1.5 s from now.
    const lapse = Date.now() + 1_500;
    await harness.db.query("update inngest_engine.queue set claimed_by = 'dead-worker', claimed_until = $2, due_at = $2 where run_id = $1", [run.id, new Date(lapse)]);
    const trace = await harness.waitForEnd(run.id);
    expect(trace.status).toBe('completed');
    // The second sleep was started only by a worker that took the run after the lease lapsed.
    const second = trace.steps.filter((step) => step.op === 'Sleep').map((step) => step.startedAt.getTime()).sort((a, b) => a - b)[1]!;
    expect(second).toBeGreaterThanOrEqual(lapse);
    expect(calls.get(run.id)).toBe(3);
  });
});

describe('engine checkpoints', () => {
  it('runs consecutive steps in one call, each result stored as it would be from an answer: two calls for three steps, a sleep and a step', async () => {
    const run = await start('test/checkpointed');
    const trace = await harness.waitForEnd(run.id);
    expect(trace.status).toBe('completed');
    expect(trace.output).toEqual({ a: 1, b: 2, c: { sum: 3 }, d: 30 });
    expect(trace.steps.map((step) => [step.name, step.status])).toEqual([
      ['a', 'completed'],
      ['b', 'completed'],
      ['c', 'completed'],
      ['nap', 'completed'],
      ['d', 'completed'],
    ]);
    expect(trace.attempts.map((attempt) => attempt.outcome)).toEqual(['ok', 'ok', 'ok', 'ok']);
    expect(calls.get(run.id)).toBe(2);
    expect(checkpointsOf(run.id)).toEqual([1, 1, 1, 1]);
  });

  it('takes results the SDK held and reports together: one checkpoint of three before a sleep, two steps and the end in an answer, and the run is not taken for parallel', async () => {
    const run = await start('test/buffered');
    const trace = await harness.waitForEnd(run.id);
    expect(trace.status).toBe('completed');
    expect(trace.output).toEqual({ a: 1, b: 2, c: 3, d: 30, e: 31 });
    expect(trace.steps.map((step) => [step.name, step.status])).toEqual(['a', 'b', 'c', 'nap', 'd', 'e'].map((name) => [name, 'completed']));
    expect(trace.attempts.map((attempt) => attempt.outcome)).toEqual(['ok', 'ok', 'ok', 'ok', 'ok']);
    expect(calls.get(run.id)).toBe(2);
    expect(checkpointsOf(run.id)).toEqual([3]);
    const { rows } = await harness.db.query<{ disable_immediate: boolean }>('select disable_immediate from inngest_engine.runs where id = $1', [run.id]);
    expect(rows[0]!.disable_immediate).toBe(false);
  });

  it('refuses a checkpoint without the SDK’s key (401), one it cannot read (400), and one whose claim is not the run’s (409), storing nothing', async () => {
    const run = await start('test/long-nap');
    await waitFor(async () => (await harness.trace(run.id)).steps.some((step) => step.status === 'sleeping'), 'the nap');
    const url = `${harness.engine.url}/v1/checkpoint/${run.id}/async`;
    const authorization = `Bearer ${hashedSigningKey(process.env.INNGEST_SIGNING_KEY!)}`;
    const step = { id: 'f'.repeat(40), op: 'StepRun', name: 'forged', data: 'forged' };
    const post = (body: unknown, headers: Record<string, string> = { authorization }) =>
      fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
    expect((await post({ run_id: run.id, qi_id: 'x', steps: [step] }, {})).status).toBe(401);
    expect((await post({ run_id: run.id, qi_id: 'x', steps: [step] }, { authorization: 'Bearer signkey-test-0000' })).status).toBe(401);
    expect((await post({ run_id: run.id, steps: [step] })).status).toBe(400);
    expect((await post({ run_id: 'another-run', qi_id: 'x', steps: [step] })).status).toBe(400);
    expect((await post({ run_id: run.id, qi_id: 'x', steps: [{ ...step, op: 'Sleep' }] })).status).toBe(400);
    // A stranger's probes that answered 500: a null step, a dollar-quote tag or a NUL in an id,
    // a non-string name, an id of no SDK's form.
    for (const body of [
      { run_id: run.id, qi_id: 'x', steps: [null] },
      { run_id: run.id, qi_id: 'x$fence$', steps: [step] },
      { run_id: run.id, qi_id: 'x\u0000y', steps: [step] },
      { run_id: run.id, qi_id: 'x', steps: [{ ...step, name: { a: 1 } }] },
      { run_id: run.id, qi_id: 'x', steps: [{ ...step, id: '' }] },
      { run_id: run.id, qi_id: 'x', steps: [{ ...step, id: 'h'.repeat(100_000) }] },
    ]) {
      expect((await post(body)).status, JSON.stringify(body).slice(0, 80)).toBe(400);
    }
    const dollarPath = await fetch(`${harness.engine.url}/v1/checkpoint/%24fence%24/async`, { method: 'POST', headers: { authorization }, body: JSON.stringify({ qi_id: 'x', steps: [step] }) });
    expect(dollarPath.status).toBe(400);
    const stale = await post({ run_id: run.id, qi_id: 'a-claim-long-gone', steps: [step] });
    expect(stale.status).toBe(409);
    const trace = await harness.trace(run.id);
    expect(trace.steps.map((s) => s.name)).toEqual(['nap']);
    expect(trace.attempts).toEqual([]);
  });
});

describe('engine HTTP and the fence', () => {
  it('fences with the ids as literals: a dollar-quote tag, quotes or a statement in an id read as "claim lost", nothing else runs', async () => {
    for (const [runId, claimId] of [
      ["r$fence$; drop table inngest_engine.queue; --", "c'$$x"],
      ['r', "'); delete from inngest_engine.runs; --"],
    ] as const) {
      const client = await harness.db.connect();
      try {
        await client.query('begin');
        await expect(client.query(fenceSql(runId, claimId))).rejects.toThrow('inngest-engine: claim lost');
      } finally {
        await client.query('rollback');
        client.release();
      }
    }
    expect((await harness.db.query<{ n: number }>("select count(*)::int as n from pg_tables where schemaname = 'inngest_engine' and tablename = 'queue'")).rows[0]!.n).toBe(1);
  });

  it('answers a body past 10 MB with 413 and closes that connection, so the caller\'s next request is served', async () => {
    const url = `${harness.engine.url}/e/${encodeURIComponent(process.env.INNGEST_EVENT_KEY!)}`;
    const huge = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'test/huge', data: { pad: 'x'.repeat(11 * 1024 * 1024) } }) });
    expect(huge.status).toBe(413);
    expect(huge.headers.get('connection')).toBe('close');
    expect(((await huge.json()) as { error: string }).error).toMatch(/too large/);
    const next = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'test/nobody-listens', data: {} }) });
    expect(next.status).toBe(200);
    expect(((await next.json()) as { ids: string[] }).ids).toHaveLength(1);
    const notJson = await fetch(url, { method: 'POST', body: '{"name":' });
    expect(notJson.status).toBe(400);
  });

  it('answers 400, without the database\'s words, to what PostgreSQL cannot store, on every endpoint; a caller that hangs up is not logged as the engine\'s failure', async () => {
    const eventUrl = `${harness.engine.url}/e/${encodeURIComponent(process.env.INNGEST_EVENT_KEY!)}`;
    const authorization = `Bearer ${hashedSigningKey(process.env.INNGEST_SIGNING_KEY!)}`;
    const deep = `${'{"d":'.repeat(10_000)}{}${'}'.repeat(10_000)}`;
    const probes: [string, string, Record<string, string>][] = [
      [eventUrl, JSON.stringify({ name: 'test/no\u0000body' }), {}],
      [eventUrl, JSON.stringify({ name: 'test/x', data: { s: 'a\u0000b' } }), {}],
      [eventUrl, '{"name":"test/x","data":{"s":"\\ud800"}}', {}],
      // A number JSON.parse reads as Infinity, which JSON.stringify writes as null: stored, the data would have changed.
      [eventUrl, '{"name":"test/x","data":{"amountCents":1e999}}', {}],
      [eventUrl, JSON.stringify({ name: 'test/x', id: 'i'.repeat(5_000) }), {}],
      [eventUrl, JSON.stringify({ name: 'n'.repeat(5_000) }), {}],
      [eventUrl, `{"name":"test/x","data":${deep}}`, {}],
      [`${harness.engine.url}/fn/register`, JSON.stringify({ url: 'http://x/\u0000', appName: 'a' }), { authorization }],
      [`${harness.engine.url}/v1/checkpoint/01RUN/async`, JSON.stringify({ qi_id: 'x', steps: [{ id: 'a', op: 'StepRun', name: 'n', data: 'a\u0000b' }] }), { authorization }],
    ];
    for (const [url, body, headers] of probes) {
      const answer = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
      const text = await answer.text();
      expect(answer.status, `${url} ${body.slice(0, 60)}`).toBe(400);
      expect(text).not.toMatch(/unicode escape|invalid (message|input|byte)|index row|stack|at .*\.ts/i);
    }
    expect(harness.logs.filter((line) => / failed: /.test(line))).toEqual([]);

    // A body cut short by the caller: no answer is owed, and nothing is logged as a failure.
    const { request } = await import('node:http');
    await new Promise<void>((resolve) => {
      const req = request(eventUrl, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': '1000' } });
      req.on('error', () => resolve());
      req.write('{"name":"te', () => {
        req.destroy();
        resolve();
      });
    });
    expect((await fetch(`${harness.engine.url}/health`)).status).toBe(200);
    // The abort reaches the engine a moment later; watch its log for a second (before the fix,
    // "event intake failed: Error: aborted" and a stack appeared within milliseconds).
    const watchUntil = Date.now() + 1_000;
    while (Date.now() < watchUntil && !harness.logs.some((line) => / failed: /.test(line))) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(harness.logs.filter((line) => / failed: /.test(line))).toEqual([]);
  });
});

describe('engine retention', () => {
  it('deletes ended runs with their steps and events past the retention, never an unfinished run', async () => {
    const ended = await start('test/missing-target');
    await harness.waitForEnd(ended.id);
    const sleeping = await start('test/long-nap');
    await waitFor(async () => (await harness.trace(sleeping.id)).steps.some((step) => step.status === 'sleeping'), 'the long nap');
    const count = async (sql: string, runId: string) => (await harness.db.query<{ n: number }>(sql, [runId])).rows[0]!.n;
    const stepsOf = 'select count(*)::int as n from inngest_engine.steps where run_id = $1';
    const eventOf = 'select count(*)::int as n from inngest_engine.events e join inngest_engine.runs r on r.event_internal_id = e.internal_id where r.id = $1';
    expect(await count(stepsOf, ended.id)).toBeGreaterThan(0);

    // A cutoff just past now: everything ended is older than it.
    const deleted = await deleteExpiredHistory(harness.db, new Date(Date.now() + 1_000));
    expect(deleted.runs).toBeGreaterThan(0);
    expect(await count('select count(*)::int as n from inngest_engine.runs where id = $1', ended.id)).toBe(0);
    expect(await count(stepsOf, ended.id)).toBe(0);
    expect(await count('select count(*)::int as n from inngest_engine.runs where id = $1', sleeping.id)).toBe(1);
    expect(await count(stepsOf, sleeping.id)).toBe(1);
    expect(await count(eventOf, sleeping.id)).toBe(1);
  });
});
