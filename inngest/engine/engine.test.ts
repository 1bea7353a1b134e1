// The engine against the real SDK: functions served by `inngest/next` over HTTP on
// 127.0.0.1, the engine in-process on this file's database. Functions here exist only for
// these tests.
import { InngestTestEngine } from '@inngest/test';
import { Inngest, NonRetriableError } from 'inngest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveFunctions, serveRouteHandlers, silentLogger, startInngestForTests, waitFor, type InngestTestHarness } from './testing';
import { listOperatorActions, listRuns } from './read';
import { cancelRun, invoke, OperatorError, operatorContext, rerun, sendEvent, type Operator } from './operator';
import { ingestEvents } from './runs';
import { Tx } from './tx';

// Failing steps are the point of several tests; the SDK need not print each one.
const client = new Inngest({ id: 'engine-test', logger: silentLogger });

/** Executions of each step, by run id, as the app saw them. */
const executions = new Map<string, string[]>();
function executed(runId: string, step: string): void {
  executions.set(runId, [...(executions.get(runId) ?? []), step]);
}

const memo = client.createFunction({ id: 'memo', triggers: [{ event: 'test/memo' }] }, async ({ event, step, runId }) => {
  const a = await step.run('a', () => {
    executed(runId, 'a');
    return (event.data as { n: number }).n + 1;
  });
  const b = await step.run('b', () => {
    executed(runId, 'b');
    return a * 2;
  });
  await step.sleepUntil('until-past', new Date(Date.now() - 1000));
  const c = await step.run('c', () => {
    executed(runId, 'c');
    return { a, b };
  });
  return c;
});

let flakyCalls = 0;
const flaky = client.createFunction({ id: 'flaky', retries: 3, triggers: [{ event: 'test/flaky' }] }, async ({ step }) => {
  return step.run('unstable', () => {
    flakyCalls++;
    if (flakyCalls < 3) throw new Error(`transient failure ${flakyCalls}`);
    return 'recovered';
  });
});

const doomed = client.createFunction(
  {
    id: 'doomed',
    retries: 2,
    triggers: [{ event: 'test/doomed' }],
    onFailure: async ({ event, error, step }) => {
      return step.run('record-failure', () => ({ message: error.message, failedFunction: event.data.function_id, original: event.data.event.data }));
    },
  },
  async ({ step, runId }) => {
    await step.run('always-fails', () => {
      executed(runId, 'always-fails');
      throw new TypeError('still broken');
    });
  },
);

const refuser = client.createFunction(
  { id: 'refuser', triggers: [{ event: 'test/refuse' }], onFailure: async ({ error }) => ({ handled: error.message }) },
  async ({ step, runId }) => {
    await step.run('refuse', () => {
      executed(runId, 'refuse');
      throw new NonRetriableError('bad input, do not retry');
    });
  },
);

const approval = client.createFunction({ id: 'approval', triggers: [{ event: 'test/approval.start' }] }, async ({ event, step }) => {
  const data = event.data as { orderId: string; timeout: string };
  const approved = await step.waitForEvent('wait-approval', { event: 'test/approved', match: 'data.orderId', timeout: data.timeout });
  return { approvedBy: approved ? (approved.data as { by: string }).by : null };
});

const child = client.createFunction({ id: 'child', triggers: [] }, async ({ event }) => {
  const data = event.data as { x: number; _inngest?: { source_fn_id?: string } };
  return { doubled: data.x * 2, source: data._inngest?.source_fn_id ?? null };
});
const parent = client.createFunction({ id: 'parent', triggers: [{ event: 'test/parent' }] }, async ({ step }) => {
  return step.invoke('call-child', { function: child, data: { x: 21 } });
});

const parallel = client.createFunction({ id: 'parallel', triggers: [{ event: 'test/parallel' }] }, async ({ step, runId }) => {
  const [p1, p2] = await Promise.all([
    step.run('p1', () => {
      executed(runId, 'p1');
      return 1;
    }),
    step.run('p2', () => {
      executed(runId, 'p2');
      return 2;
    }),
  ]);
  const sum = await step.run('sum', () => {
    executed(runId, 'sum');
    return p1 + p2;
  });
  return { p1, p2, sum };
});

const cancellable = client.createFunction(
  { id: 'cancellable', triggers: [{ event: 'test/cancellable' }], cancelOn: [{ event: 'test/cancel', match: 'data.orderId' }] },
  async ({ step, runId }) => {
    await step.run('first', () => executed(runId, 'first'));
    await step.sleep('long-nap', '1h');
    await step.run('never', () => executed(runId, 'never'));
  },
);

const once = client.createFunction({ id: 'once-per-user', idempotency: 'event.data.userId', triggers: [{ event: 'test/once' }] }, async ({ event }) => event.data);

const inFlight = new Map<string, number>();
const maxInFlight = new Map<string, number>();
const serialized = client.createFunction(
  { id: 'serialized', concurrency: { limit: 1, key: 'event.data.account' }, triggers: [{ event: 'test/serialized' }] },
  async ({ event, step }) => {
    const account = (event.data as { account: string }).account;
    await step.run('work', async () => {
      inFlight.set(account, (inFlight.get(account) ?? 0) + 1);
      maxInFlight.set(account, Math.max(maxInFlight.get(account) ?? 0, inFlight.get(account)!));
      await new Promise((resolve) => setTimeout(resolve, 30));
      inFlight.set(account, inFlight.get(account)! - 1);
    });
  },
);

const announcer = client.createFunction({ id: 'announcer', triggers: [{ event: 'test/announce' }] }, async ({ step }) => {
  return step.sendEvent('notify', { name: 'test/announced', data: { hello: 'world' } });
});
const listener = client.createFunction({ id: 'listener', triggers: [{ event: 'test/announced' }] }, async ({ event }) => event.data);

const filtered = client.createFunction({ id: 'filtered', triggers: [{ event: 'test/filtered', if: 'event.data.ok == true' }] }, async () => 'matched');

/** Answers as settle-payment does: the function completes whatever the bank said, and its output says what happened to the payment. */
const settles = client.createFunction({ id: 'settles', triggers: [{ event: 'test/settle' }] }, async ({ event }) => {
  const data = event.data as { paymentId: string; ok: boolean };
  return data.ok
    ? { paymentId: data.paymentId, settled: true, status: 'COMPLETED', outcome: { ok: true } }
    : { paymentId: data.paymentId, settled: true, status: 'FAILED', outcome: { ok: false, code: 'AC04', reason: 'Closed account' } };
});

const functions = [memo, flaky, doomed, refuser, approval, child, parent, parallel, cancellable, once, serialized, announcer, listener, filtered, settles];

let harness: InngestTestHarness;

beforeAll(async () => {
  harness = await startInngestForTests({ client, functions });
});

afterAll(async () => {
  await harness?.stop();
});

async function startRun(name: string, data: Record<string, unknown> = {}, id?: string) {
  const { ids } = await client.send({ name, data, ...(id ? { id } : {}) });
  const runs = await waitFor(async () => {
    const found = await harness.runsForEvent(ids[0]!);
    return found.length ? found : null;
  }, `a run for ${name}`);
  return runs[0]!;
}

describe('local Inngest engine', () => {
  it('memoizes steps: each runs once and later calls get its stored result', async () => {
    const run = await startRun('test/memo', { n: 20 });
    const trace = await harness.waitForEnd(run.id);
    expect(trace.status).toBe('completed');
    expect(trace.output).toEqual({ a: 21, b: 42 });
    expect(executions.get(run.id)).toEqual(['a', 'b', 'c']);
    expect(trace.steps.map((step) => [step.name, step.status, step.position])).toEqual([
      ['a', 'completed', 0],
      ['b', 'completed', 1],
      ['until-past', 'completed', 2],
      ['c', 'completed', 3],
    ]);
  });

  it('retries a failing step with backoff until it succeeds', async () => {
    const run = await startRun('test/flaky');
    const trace = await harness.waitForEnd(run.id);
    expect(trace.status).toBe('completed');
    expect(trace.output).toBe('recovered');
    expect(trace.attempts.map((attempt) => [attempt.attempt, attempt.outcome])).toEqual([
      [0, 'error'],
      [1, 'error'],
      [2, 'ok'],
    ]);
    // Inngest's schedule (15 s, then 30 s, plus jitter) scaled by 1/1000 in tests.
    const [first, second, third] = trace.attempts;
    expect(second!.startedAt.getTime() - first!.endedAt.getTime()).toBeGreaterThanOrEqual(15);
    expect(third!.startedAt.getTime() - second!.endedAt.getTime()).toBeGreaterThanOrEqual(30);
  });

  it('fails a run for good after its last retry and runs its onFailure handler', async () => {
    const run = await startRun('test/doomed', { order: 7 });
    const trace = await harness.waitForEnd(run.id);
    expect(trace.status).toBe('failed');
    expect(trace.error).toMatchObject({ name: 'TypeError', message: 'still broken' });
    expect(executions.get(run.id)).toEqual(['always-fails', 'always-fails', 'always-fails']);
    expect(trace.attempts.filter((attempt) => attempt.stepId).map((attempt) => attempt.outcome)).toEqual(['error', 'error', 'failed']);

    const failed = await waitFor(async () => (await harness.runsForEvent(run.id)).find((candidate) => candidate.functionId === 'engine-test-doomed-failure'), 'the onFailure run');
    expect(failed.eventName).toBe('inngest/function.failed');
    const handler = await harness.waitForEnd(failed.id);
    expect(handler.output).toEqual({ message: 'still broken', failedFunction: 'engine-test-doomed', original: { order: 7 } });
  });

  it('lists the runs about one payment: the run its event started and the failure handler run it led to (the dashboard\'s Concerns)', async () => {
    const paymentId = crypto.randomUUID();
    const run = await startRun('test/doomed', { paymentId });
    await harness.waitForEnd(run.id);
    const handler = await waitFor(async () => (await harness.runsForEvent(run.id)).find((candidate) => candidate.functionId === 'engine-test-doomed-failure'), 'the onFailure run');
    await startRun('test/doomed', { paymentId: crypto.randomUUID() });
    const about = await listRuns(harness.db, { concerns: paymentId });
    expect(about.map((found) => found.id).sort()).toEqual([run.id, handler.id].sort());
    // Several ids at once, an installment's among them (autopay's events name the installment).
    const installmentId = crypto.randomUUID();
    const autopayLike = await startRun('test/once', { userId: crypto.randomUUID(), installmentId });
    const either = await listRuns(harness.db, { concerns: [paymentId, installmentId] });
    expect(either.map((found) => found.id).sort()).toEqual([run.id, handler.id, autopayLike.id].sort());
  });

  it("lists a completed run with what its output reports: a settlement whose payment failed reads as failed, with the bank's code", async () => {
    const paymentId = crypto.randomUUID();
    const failed = await startRun('test/settle', { paymentId, ok: false });
    const settled = await startRun('test/settle', { paymentId, ok: true });
    await harness.waitForEnd(failed.id);
    await harness.waitForEnd(settled.id);
    const listed = new Map((await listRuns(harness.db, { concerns: paymentId })).map((run) => [run.id, run]));
    expect(listed.get(failed.id)).toMatchObject({ status: 'completed', result: { status: 'FAILED', subject: 'payment', code: 'AC04', reason: 'Closed account', failed: true } });
    expect(listed.get(settled.id)).toMatchObject({ status: 'completed', result: { status: 'COMPLETED', subject: 'payment', code: null, failed: false } });
    expect((await harness.trace(failed.id)).result).toMatchObject({ status: 'FAILED', failed: true });
    // A run whose output reports no status or outcome has no result.
    const plain = await startRun('test/memo', { n: 1 });
    await harness.waitForEnd(plain.id);
    expect((await harness.trace(plain.id)).result).toBeNull();
  });

  it('does not retry a NonRetriableError', async () => {
    const run = await startRun('test/refuse');
    const trace = await harness.waitForEnd(run.id);
    expect(trace.status).toBe('failed');
    expect(trace.error).toMatchObject({ name: 'NonRetriableError', message: 'bad input, do not retry' });
    expect(executions.get(run.id)).toEqual(['refuse']);
    const failed = await waitFor(async () => (await harness.runsForEvent(run.id))[0], 'the onFailure run');
    expect((await harness.waitForEnd(failed.id)).output).toEqual({ handled: 'bad input, do not retry' });
  });

  it('de-duplicates events by id and answers the same id', async () => {
    const first = await client.send({ id: 'dedupe-1', name: 'test/once', data: { userId: 'dedupe-user' } });
    const second = await client.send({ id: 'dedupe-1', name: 'test/once', data: { userId: 'dedupe-user' } });
    expect(first.ids).toEqual(['dedupe-1']);
    expect(second.ids).toEqual(['dedupe-1']);
    const runs = await waitFor(async () => {
      const found = await harness.runsForEvent('dedupe-1');
      return found.length ? found : null;
    }, 'the run');
    expect(runs).toHaveLength(1);
    const { rows } = await harness.db.query('select count(*)::int as count from inngest_engine.events where id = $1', ['dedupe-1']);
    expect(rows[0].count).toBe(1);
  });

  it('starts one run per idempotency key', async () => {
    const first = await startRun('test/once', { userId: 'u-1', n: 1 });
    const { ids } = await client.send([
      { name: 'test/once', data: { userId: 'u-1', n: 2 } },
      { name: 'test/once', data: { userId: 'u-2', n: 3 } },
    ]);
    // Runs are created when the event is taken in, so the repeated key's absence of a run is final.
    expect(await harness.runsForEvent(ids[0]!)).toEqual([]);
    const [u2] = await harness.runsForEvent(ids[1]!);
    expect((await harness.waitForEnd(u2!.id)).output).toEqual({ userId: 'u-2', n: 3 });
    expect((await harness.waitForEnd(first.id)).output).toEqual({ userId: 'u-1', n: 1 });
  });

  it('starts a run only when the trigger expression holds', async () => {
    const { ids } = await client.send([
      { name: 'test/filtered', data: { ok: false } },
      { name: 'test/filtered', data: { ok: true } },
    ]);
    await waitFor(async () => (await harness.runsForEvent(ids[1]!)).length > 0, 'the matching run');
    expect(await harness.runsForEvent(ids[0]!)).toEqual([]);
  });

  it('resumes a waitForEvent with the matching event', async () => {
    const run = await startRun('test/approval.start', { orderId: 'o-1', timeout: '1h' });
    await waitFor(async () => (await harness.trace(run.id)).steps.some((step) => step.status === 'waiting'), 'the wait to start');
    await client.send([
      { name: 'test/approved', data: { orderId: 'o-2', by: 'someone else' } },
      { name: 'test/approved', data: { orderId: 'o-1', by: 'alice' } },
    ]);
    const trace = await harness.waitForEnd(run.id);
    expect(trace.output).toEqual({ approvedBy: 'alice' });
  });

  it('resumes a waitForEvent with null when it times out', async () => {
    const run = await startRun('test/approval.start', { orderId: 'o-3', timeout: '1s' });
    const trace = await harness.waitForEnd(run.id);
    expect(trace.output).toEqual({ approvedBy: null });
  });

  it('invokes another function and returns its result', async () => {
    const run = await startRun('test/parent');
    const trace = await harness.waitForEnd(run.id);
    expect(trace.status).toBe('completed');
    expect(trace.output).toEqual({ doubled: 42, source: 'engine-test-parent' });
    const invoke = trace.steps.find((step) => step.op === 'InvokeFunction')!;
    const childTrace = await harness.trace(invoke.childRunId!);
    expect(childTrace.eventName).toBe('inngest/function.invoked');
    expect(childTrace.parentRunId).toBe(run.id);
  });

  it('runs parallel steps, each once, then continues', async () => {
    const run = await startRun('test/parallel');
    const trace = await harness.waitForEnd(run.id);
    expect(trace.output).toEqual({ p1: 1, p2: 2, sum: 3 });
    expect([...executions.get(run.id)!].sort()).toEqual(['p1', 'p2', 'sum']);
  });

  it('cancels a run when its cancelOn event arrives', async () => {
    const other = await startRun('test/cancellable', { orderId: 'keep' });
    const run = await startRun('test/cancellable', { orderId: 'stop' });
    await waitFor(async () => (await harness.trace(run.id)).steps.some((step) => step.status === 'sleeping'), 'the run to sleep');
    await client.send({ name: 'test/cancel', data: { orderId: 'stop' } });
    // Waiters are matched when the event is taken in: the other run keeps its cancelOn waiter and has no signal.
    const { rows: kept } = await harness.db.query(
      `select (select count(*)::int from inngest_engine.waiters where run_id = $1 and kind = 'cancel') as waiters,
              (select count(*)::int from inngest_engine.signals where run_id = $1) as signals`,
      [other.id],
    );
    expect(kept[0]).toEqual({ waiters: 1, signals: 0 });
    const trace = await harness.waitForEnd(run.id);
    expect(trace.status).toBe('cancelled');
    expect(executions.get(run.id)).toEqual(['first']);
    const { rows } = await harness.db.query("select count(*)::int as count from inngest_engine.events where name = 'inngest/function.cancelled' and payload->'data'->>'run_id' = $1", [
      run.id,
    ]);
    expect(rows[0].count).toBe(1);
  });

  it('cancels each run by its own cancelOn event when two such events are taken in at once', async () => {
    const first = await startRun('test/cancellable', { orderId: 'together-1' });
    const second = await startRun('test/cancellable', { orderId: 'together-2' });
    // The first intake has claimed its waiter but not committed when the second one looks for its own.
    const ctx = operatorContext(harness.db);
    const clients = [await harness.db.connect(), await harness.db.connect()];
    try {
      const [firstIntake, secondIntake] = clients.map((connection) => new Tx(connection));
      await ingestEvents(ctx, firstIntake!, [{ name: 'test/cancel', data: { orderId: 'together-1' } }]);
      await ingestEvents(ctx, secondIntake!, [{ name: 'test/cancel', data: { orderId: 'together-2' } }]);
      await secondIntake!.commit();
      await firstIntake!.commit();
    } finally {
      for (const connection of clients) connection.release();
    }
    expect((await harness.waitForEnd(first.id)).status).toBe('cancelled');
    expect((await harness.waitForEnd(second.id)).status).toBe('cancelled');
  });

  it('never runs more steps at once than a concurrency key allows', async () => {
    await client.send(['a', 'a', 'a', 'a', 'b', 'b'].map((account) => ({ name: 'test/serialized', data: { account } })));
    await waitFor(async () => {
      const runs = await listRuns(harness.db, { functionId: 'engine-test-serialized' });
      return runs.length === 6 && runs.every((run) => run.status === 'completed');
    }, 'six serialized runs');
    expect(maxInFlight.get('a')).toBe(1);
    expect(maxInFlight.get('b')).toBe(1);
  });

  it('delivers events sent by step.sendEvent to their functions', async () => {
    const run = await startRun('test/announce');
    const trace = await harness.waitForEnd(run.id);
    const { ids } = trace.output as { ids: string[] };
    const listened = await waitFor(async () => (await harness.runsForEvent(ids[0]!))[0], 'the listener run');
    expect((await harness.waitForEnd(listened.id)).output).toEqual({ hello: 'world' });
  });

  it('refuses to sync a function using a setting it does not implement', async () => {
    const other = new Inngest({ id: 'throttled-app', logger: silentLogger });
    const throttled = other.createFunction({ id: 'throttled', throttle: { limit: 1, period: '1m' }, triggers: [{ event: 'test/throttled' }] }, async () => null);
    const app = await serveRouteHandlers();
    try {
      app.setHandlers(serveFunctions({ client: other, functions: [throttled] }));
      const response = await fetch(app.url, { method: 'PUT' });
      expect(response.status).toBe(400);
      expect(((await response.json()) as { message: string }).message).toContain('`throttle`');
      expect(harness.logs.some((line) => line.includes('refused to sync app "throttled-app"'))).toBe(true);
      const { rows } = await harness.db.query("select count(*)::int as count from inngest_engine.functions where app_id = 'throttled-app'");
      expect(rows[0].count).toBe(0);
    } finally {
      await app.close();
    }
  });
});

describe('@inngest/test', () => {
  const greet = client.createFunction({ id: 'greet', triggers: [{ event: 'test/greet' }] }, async ({ event, step }) => {
    const name = await step.run('normalize-name', () => (event.data as { name: string }).name.trim().toUpperCase());
    return `Hello, ${name}`;
  });

  it('runs a function in-process, with real or mocked steps, for unit tests', async () => {
    const events: [{ name: string; data: { name: string } }] = [{ name: 'test/greet', data: { name: ' ada ' } }];
    const { result } = await new InngestTestEngine({ function: greet, events }).execute();
    expect(result).toBe('Hello, ADA');
    const { result: stepResult } = await new InngestTestEngine({ function: greet, events }).executeStep('normalize-name');
    expect(stepResult).toBe('ADA');
    const { result: mocked } = await new InngestTestEngine({ function: greet, events, steps: [{ id: 'normalize-name', handler: () => 'GRACE' }] }).execute();
    expect(mocked).toBe('Hello, GRACE');
  });
});

describe('operator actions (dashboard)', () => {
  const operator = () => operatorContext(harness.db);
  /** Each test acts as an operator of its own, so its records are told apart from the others'. */
  const operatorNamed = (name: string): Operator => ({ id: `operator-${name}-${crypto.randomUUID()}`, email: `${name}@ops.test` });
  const OPERATOR = operatorNamed('default');

  it('invokes a function with a payload', async () => {
    const runId = await invoke(operator(), OPERATOR, 'engine-test-child', { x: 5 });
    const trace = await harness.waitForEnd(runId);
    expect(trace.eventName).toBe('inngest/function.invoked');
    expect(trace.output).toEqual({ doubled: 10, source: null });
  });

  it('cancels a sleeping run, and refuses to cancel it twice', async () => {
    const run = await startRun('test/cancellable', { orderId: 'operator-cancel' });
    await waitFor(async () => (await harness.trace(run.id)).steps.some((step) => step.status === 'sleeping'), 'the run to sleep');
    await cancelRun(operator(), OPERATOR, run.id);
    expect((await harness.waitForEnd(run.id)).status).toBe('cancelled');
    await expect(cancelRun(operator(), OPERATOR, run.id)).rejects.toThrow(OperatorError);
  });

  it('reruns an ended run with the same event, past its idempotency key', async () => {
    const first = await startRun('test/once', { userId: 'rerun-user' });
    await harness.waitForEnd(first.id);
    const again = await rerun(operator(), OPERATOR, first.id);
    const trace = await harness.waitForEnd(again);
    expect(trace.status).toBe('completed');
    expect(trace.eventId).toBe(first.eventId);
    expect(trace.output).toEqual({ userId: 'rerun-user' });
    // Each side links to the other: the rerun names the run it reran, the original its reruns.
    expect(trace).toMatchObject({ rerunOfRunId: first.id, rerunRunIds: [] });
    const secondRerun = await rerun(operator(), OPERATOR, first.id);
    await harness.waitForEnd(secondRerun);
    expect(await harness.trace(first.id)).toMatchObject({ rerunOfRunId: null, rerunRunIds: [again, secondRerun] });
  });

  it('records each action with who did it, what it acted on and what it made; a refused action records nothing; the record is append-only', async () => {
    const by = operatorNamed('recorder');
    const invoked = await invoke(operator(), by, 'engine-test-child', { x: 1 });
    await harness.waitForEnd(invoked);
    const rerunId = await rerun(operator(), by, invoked);
    const sleeping = await startRun('test/cancellable', { orderId: 'recorded-cancel' });
    await cancelRun(operator(), by, sleeping.id);
    await harness.waitForEnd(sleeping.id);
    const sent = await sendEvent(operator(), by, { name: 'test/nobody-listens', data: {} });
    await expect(cancelRun(operator(), by, sleeping.id)).rejects.toThrow(OperatorError);
    await expect(invoke(operator(), by, 'engine-test-no-such-function', {})).rejects.toThrow(OperatorError);
    // An onFailure handler's payload names what failed: invoked or rerun by hand it could fail what has not (found by a stranger, twice).
    await expect(invoke(operator(), by, 'engine-test-doomed-failure', { event: { data: {} } })).rejects.toThrow('"engine-test-doomed-failure" is an onFailure handler: it runs when its function fails, and is not started by hand');
    const doomed = await startRun('test/doomed', { order: 'rerun-refused' });
    await harness.waitForEnd(doomed.id);
    const handlerRun = await waitFor(async () => (await harness.runsForEvent(doomed.id)).find((candidate) => candidate.functionId === 'engine-test-doomed-failure'), 'the onFailure run');
    await harness.waitForEnd(handlerRun.id);
    await expect(rerun(operator(), by, handlerRun.id)).rejects.toThrow('is an onFailure handler');
    // Events the app reserves to another party (the bank's answers): not sent from here, and what they trigger not started by hand.
    const reserving = operatorContext(harness.db, () => undefined, { reservedEvent: (name) => (name === 'test/refuse' ? { by: 'the bank', rerunnable: false } : null) });
    await expect(sendEvent(reserving, by, { name: 'test/refuse', data: {} })).rejects.toThrow('test/refuse is sent only by the bank, not from here');
    await expect(invoke(reserving, by, 'engine-test-refuser', {})).rejects.toThrow('"engine-test-refuser" runs on test/refuse, which only the bank sends: it is not started by hand');
    const refused = await startRun('test/refuse', { by: 'the sender' });
    await harness.waitForEnd(refused.id);
    await expect(rerun(reserving, by, refused.id)).rejects.toThrow('"engine-test-refuser" runs on test/refuse, which only the bank sends: it is not started by hand');
    // Reserved but rerunnable (the app's own schedule): not sent nor invoked with data of the operator's, but a run is rerun with its event.
    const rerunnable = operatorContext(harness.db, () => undefined, { reservedEvent: (name) => (name === 'test/refuse' ? { by: 'the schedule', rerunnable: true } : null) });
    await expect(sendEvent(rerunnable, by, { name: 'test/refuse', data: {} })).rejects.toThrow('test/refuse is sent only by the schedule, not from here');
    await expect(invoke(rerunnable, by, 'engine-test-refuser', {})).rejects.toThrow('which only the schedule sends: it is not invoked by hand (a run of it can be rerun)');
    const rerunOfReserved = await rerun(rerunnable, by, refused.id);
    expect((await harness.waitForEnd(rerunOfReserved)).status).toBe('failed');

    const mine = (await listOperatorActions(harness.db, 200)).filter((action) => action.operatorId === by.id);
    expect(mine.map(({ action, operatorEmail, runId, functionId, eventName, newRunIds, eventIds }) => ({ action, operatorEmail, runId, functionId, eventName, newRunIds, eventIds }))).toEqual([
      { action: 'rerun', operatorEmail: by.email, runId: refused.id, functionId: 'engine-test-refuser', eventName: null, newRunIds: [rerunOfReserved], eventIds: [] },
      { action: 'send-event', operatorEmail: by.email, runId: null, functionId: null, eventName: 'test/nobody-listens', newRunIds: [], eventIds: sent.ids },
      { action: 'cancel', operatorEmail: by.email, runId: sleeping.id, functionId: 'engine-test-cancellable', eventName: null, newRunIds: [], eventIds: [] },
      { action: 'rerun', operatorEmail: by.email, runId: invoked, functionId: 'engine-test-child', eventName: null, newRunIds: [rerunId], eventIds: [] },
      { action: 'invoke', operatorEmail: by.email, runId: null, functionId: 'engine-test-child', eventName: null, newRunIds: [invoked], eventIds: [] },
    ]);
    await expect(harness.db.query('update inngest_engine.operator_actions set operator_email = $1 where operator_id = $2', ['someone@else.test', by.id])).rejects.toThrow(/append-only|permission denied/);
    await expect(harness.db.query('delete from inngest_engine.operator_actions where operator_id = $1', [by.id])).rejects.toThrow(/append-only|permission denied/);
  });

  it('sends a test event that starts the functions it triggers', async () => {
    const { ids, runIds } = await sendEvent(operator(), OPERATOR, { name: 'test/announced', data: { from: 'operator' } });
    expect(runIds).toHaveLength(1);
    expect((await harness.waitForEnd(runIds[0]!)).output).toEqual({ from: 'operator' });
    expect((await harness.runsForEvent(ids[0]!)).map((run) => run.id)).toEqual(runIds);
  });
});
