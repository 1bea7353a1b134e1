// Events in, runs out: storing received events (de-duplicated by the sender's id for 24 h),
// matching them to function triggers, waiting steps and cancelOn rules, creating runs, and
// finishing runs (with the `inngest/function.*` lifecycle events Inngest emits). Everything
// here runs inside the caller's transaction, so an event, the runs it starts and the
// signals it sends commit together or not at all.
import { defineFunction, triggerNamesFor, type FunctionConfig, type FunctionDefinition } from './config';
import { DAY_MS, errorMessage, json, type EngineContext } from './context';
import { compileExpression, ExpressionError } from './expression';
import { ulid } from './ids';
import { Tx, type Queryable } from './tx';

/** An event as functions receive it. */
export interface EventPayload {
  id: string;
  name: string;
  data: Record<string, unknown>;
  ts: number;
  user?: Record<string, unknown>;
  v?: string;
}

export interface SerializedError {
  name: string;
  message: string;
  stack?: string;
  [key: string]: unknown;
}

export class EventError extends Error {}

export const FUNCTION_FAILED = 'inngest/function.failed';

/** An onFailure handler: its trigger is another function's `inngest/function.failed` (the SDK's `<id>-failure`). It runs when that function fails, never by an operator's invoke. */
export function isFailureHandler(config: FunctionConfig): boolean {
  return config.triggers.some((trigger) => 'event' in trigger && trigger.event === FUNCTION_FAILED);
}
export const FUNCTION_FINISHED = 'inngest/function.finished';
export const FUNCTION_CANCELLED = 'inngest/function.cancelled';
export const FUNCTION_INVOKED = 'inngest/function.invoked';
export const SCHEDULED_TIMER = 'inngest/scheduled.timer';
const LIFECYCLE_EVENTS = new Set([FUNCTION_FAILED, FUNCTION_FINISHED, FUNCTION_CANCELLED]);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Checks one event as sent to the event API and fills in what Inngest fills in. */
/** Longest event `name` and `id` (both are indexed; an index row holds a few kilobytes). */
const MAX_EVENT_KEY_LENGTH = 512;

function normalizeEvent(raw: unknown, now: number): EventPayload & { senderId: boolean } {
  if (!isRecord(raw)) throw new EventError('each event must be an object');
  const { name, data, id, ts, user, v } = raw;
  if (typeof name !== 'string' || !name.trim()) throw new EventError('each event needs a non-empty `name`');
  if (name.length > MAX_EVENT_KEY_LENGTH) throw new EventError(`an event's \`name\` may be at most ${MAX_EVENT_KEY_LENGTH} characters`);
  if (data !== undefined && data !== null && !isRecord(data)) throw new EventError(`event "${name}": \`data\` must be an object`);
  if (id !== undefined && (typeof id !== 'string' || !id || id.length > MAX_EVENT_KEY_LENGTH)) throw new EventError(`event "${name}": \`id\` must be a non-empty string of at most ${MAX_EVENT_KEY_LENGTH} characters`);
  if (ts !== undefined && (typeof ts !== 'number' || !Number.isFinite(ts))) throw new EventError(`event "${name}": \`ts\` must be a number of milliseconds`);
  if (user !== undefined && !isRecord(user)) throw new EventError(`event "${name}": \`user\` must be an object`);
  if (v !== undefined && typeof v !== 'string') throw new EventError(`event "${name}": \`v\` must be a string`);
  const payload: EventPayload & { senderId: boolean } = {
    id: (id as string | undefined) ?? ulid(now),
    name,
    data: (data as Record<string, unknown> | undefined) ?? {},
    ts: (ts as number | undefined) ?? now,
    senderId: id !== undefined,
  };
  if (user) payload.user = user;
  if (v !== undefined) payload.v = v as string;
  return payload;
}

const definitions = new Map<string, FunctionDefinition>();

/** A synced function's parsed config, cached per sync. */
export async function loadFunction(db: Queryable, id: string): Promise<FunctionDefinition | null> {
  const { rows } = await db.query<{ config: unknown; updated_at: Date }>('select config, updated_at from inngest_engine.functions where id = $1', [id]);
  const row = rows[0];
  return row ? definitionFromRow(id, row.config, row.updated_at) : null;
}

function definitionFromRow(id: string, config: unknown, updatedAt: Date): FunctionDefinition {
  const cacheKey = `${id}@${updatedAt.getTime()}`;
  let definition = definitions.get(cacheKey);
  if (!definition) {
    definition = defineFunction(config);
    if (definitions.size > 500) definitions.clear();
    definitions.set(cacheKey, definition);
  }
  return definition;
}

export interface IngestResult {
  ids: string[];
  runIds: string[];
}

/**
 * Stores events and acts on them: resolves matching waits and cancellations, then starts
 * the runs their triggers ask for. A repeated sender id within 24 hours is answered with
 * the same id and otherwise ignored.
 */
export async function ingestEvents(ctx: EngineContext, tx: Tx, rawEvents: unknown[]): Promise<IngestResult> {
  const now = ctx.now();
  const events: { payload: EventPayload; internalId: string }[] = [];
  const ids: string[] = [];
  for (const raw of rawEvents) {
    const { senderId, ...payload } = normalizeEvent(raw, now);
    ids.push(payload.id);
    const internalId = senderId ? ulid(now) : payload.id;
    if (senderId) {
      const { rowCount } = await tx.query(
        `insert into inngest_engine.event_ids (id, internal_id, expires_at) values ($1, $2, $3)
         on conflict (id) do update set internal_id = excluded.internal_id, expires_at = excluded.expires_at
         where inngest_engine.event_ids.expires_at <= $4`,
        [payload.id, internalId, new Date(now + DAY_MS), new Date(now)],
      );
      if (!rowCount) continue;
    }
    storeEvent(ctx, tx, payload, internalId);
    events.push({ payload, internalId });
  }
  if (!events.length) return { ids, runIds: [] };

  // Waits first: a run started by this very event must not be cancelled by it.
  const signalled = await resolveWaiters(ctx, tx, events.map((event) => event.payload));

  const names = [...new Set(events.flatMap((event) => triggerNamesFor(event.payload.name)))];
  const { rows: triggers } = await tx.query<{ function_id: string; event_name: string; expression: string | null; config: unknown; updated_at: Date }>(
    `select t.function_id, t.event_name, t.expression, f.config, f.updated_at
       from inngest_engine.triggers t join inngest_engine.functions f on f.id = t.function_id
      where t.event_name = any($1)`,
    [names],
  );
  const runIds: string[] = [];
  for (const { payload, internalId } of events) {
    const candidates = new Set(triggerNamesFor(payload.name));
    const started = new Set<string>();
    for (const trigger of triggers) {
      if (!candidates.has(trigger.event_name) || started.has(trigger.function_id)) continue;
      if (trigger.expression && !compileExpression(trigger.expression).matches({ event: payload })) continue;
      started.add(trigger.function_id);
      const fn = definitionFromRow(trigger.function_id, trigger.config, trigger.updated_at);
      const runId = await createRun(ctx, tx, fn, payload, internalId);
      if (runId) runIds.push(runId);
    }
  }
  touchRuns(ctx, tx, signalled);
  return { ids, runIds };
}

/** Stores a received event, or one the engine itself emits (lifecycle, cron, invoke); returns its internal id. */
function storeEvent(ctx: EngineContext, tx: Tx, payload: EventPayload, internalId: string = ulid(ctx.now())): string {
  tx.defer('insert into inngest_engine.events (internal_id, id, name, payload, received_at) values ($1, $2, $3, $4, $5)', [
    internalId,
    payload.id,
    payload.name,
    json(payload),
    new Date(ctx.now()),
  ]);
  return internalId;
}

/**
 * Turns events that match waiting steps or cancelOn rules into signals; returns the runs to
 * wake. Candidates are read without locks and their conditions evaluated here; then only the
 * matched waiters are claimed, by deleting them (SKIP LOCKED). A matched waiter that cannot
 * be claimed is held by a transaction that removes it too: another intake whose event also
 * matched it (that event resolves the wait, as on Inngest one event does), or the worker
 * holding its run (ending the wait by its timeout, or ending the run). Waiting for that lock
 * could wait on a call to the app that is itself sending this event. Waiters are never
 * updated, so a condition evaluated on the unlocked read still holds for the row claimed.
 */
async function resolveWaiters(ctx: EngineContext, tx: Tx, events: EventPayload[]): Promise<string[]> {
  const { rows: waiters } = await tx.query<{ id: string; event_name: string; expression: string | null; run_event: unknown }>(
    `select w.id, w.event_name, w.expression, r.event as run_event
       from inngest_engine.waiters w join inngest_engine.runs r on r.id = w.run_id
      where w.event_name = any($1) and (w.expires_at is null or w.expires_at > $2)
      order by w.id`,
    [[...new Set(events.map((event) => event.name))], new Date(ctx.now())],
  );
  // Each waiter goes to the first event of the batch that matches it.
  const matches = new Map<string, EventPayload>();
  for (const event of events) {
    for (const waiter of waiters) {
      if (matches.has(waiter.id) || waiter.event_name !== event.name) continue;
      if (waiter.expression) {
        let matched: boolean;
        try {
          matched = compileExpression(waiter.expression).matches({ event: waiter.run_event, async: event });
        } catch (error) {
          if (!(error instanceof ExpressionError)) throw error;
          matched = false;
        }
        if (!matched) continue;
      }
      matches.set(waiter.id, event);
    }
  }
  if (!matches.size) return [];
  const { rows: claimed } = await tx.query<{ id: string; run_id: string; kind: 'step' | 'cancel'; step_id: string | null }>(
    `delete from inngest_engine.waiters
      where id in (select id from inngest_engine.waiters where id = any($1::bigint[]) for update skip locked)
      returning id, run_id, kind, step_id`,
    [[...matches.keys()]],
  );
  const byId = new Map(claimed.map((waiter) => [waiter.id, waiter]));
  const woken: string[] = [];
  // Signals in the order matched (events in order, then waiters oldest first).
  for (const [id, event] of matches) {
    const waiter = byId.get(id);
    if (!waiter) continue;
    if (waiter.kind === 'cancel') {
      insertSignal(ctx, tx, waiter.run_id, 'cancel', null, { event });
    } else {
      insertSignal(ctx, tx, waiter.run_id, 'event', waiter.step_id, event);
    }
    woken.push(waiter.run_id);
  }
  return woken;
}

/** Leaves a signal for an unfinished run (a finished one has no queue entry and ignores it). */
export function insertSignal(ctx: EngineContext, tx: Tx, runId: string, kind: 'event' | 'invoke-result' | 'cancel', stepId: string | null, payload: unknown): void {
  tx.defer(
    `insert into inngest_engine.signals (run_id, kind, step_id, payload, created_at)
     select $1, $2, $3, $4, $5 where exists (select 1 from inngest_engine.queue where run_id = $1)`,
    [runId, kind, stepId, json(payload), new Date(ctx.now())],
  );
}

/**
 * Sets when runs are next due: brought forward to `at` (never later), or with `postpone`
 * set to `at` whatever it was. A run under a live claim, or whose queue entry is locked, is
 * skipped: a worker holds it, and looks for signals after it records its call
 * (driveOneRun). In a Tx the statement is deferred (and the promise resolved at once).
 */
export function moveDue(db: Queryable, runIds: string[], at: Date, { postpone = false } = {}): Promise<void> {
  const text = `update inngest_engine.queue set due_at = $2
      where run_id in (select run_id from inngest_engine.queue where run_id = any($1) ${postpone ? '' : 'and due_at > $2'}
                         and (claimed_until is null or claimed_until <= $2) for update skip locked)`;
  const values = [[...new Set(runIds)], at];
  if (db instanceof Tx) {
    db.defer(text, values);
    return Promise.resolve();
  }
  return db.query(text, values).then(() => undefined);
}

/** Makes runs with new signals due now. */
export function touchRuns(ctx: EngineContext, tx: Tx, runIds: string[]): void {
  if (!runIds.length) return;
  void moveDue(tx, runIds, new Date(ctx.now()));
  tx.afterCommit(ctx.wake);
}

/** An idempotency or concurrency key: the expression's value for the event, as text. Throws ExpressionError. */
function keyValue(expression: string, event: EventPayload): string {
  const value = compileExpression(expression).value({ event });
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** Inngest's bounds on a priority factor (seconds). */
const MAX_PRIORITY_S = 600;

/**
 * The run's priority factor in seconds (Inngest's `priority.run`): the expression's value for
 * the event, an integer from 0 to 600; the run goes ahead of every run queued up to that long
 * before it (executor.ts claimSql). Inngest also takes negative factors (run later); the local
 * engine does not delay runs, and reads one as 0, with a warning. A value that is not a number,
 * or an expression that fails, is 0 as on Inngest, with a warning.
 */
function priorityOf(ctx: EngineContext, fn: FunctionDefinition, event: EventPayload): number {
  if (!fn.priority) return 0;
  let value: unknown;
  try {
    value = compileExpression(fn.priority).value({ event });
  } catch (error) {
    ctx.log(`function ${fn.id}: priority not computed (${errorMessage(error)}); the run has none`);
    return 0;
  }
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    ctx.log(`function ${fn.id}: priority.run gave ${typeof value === 'number' ? String(value) : JSON.stringify(value)}, not a finite number of seconds; the run has none`);
    return 0;
  }
  if (value < 0) ctx.log(`function ${fn.id}: a negative priority (${value} s) is read as 0 by the local engine, which does not delay runs`);
  return Math.min(MAX_PRIORITY_S, Math.max(0, Math.trunc(value)));
}

export interface ParentLink {
  runId: string;
  stepId: string;
}

/**
 * Creates a run of `fn` for `event`, queued to start now. Returns null when the function's
 * idempotency key already started a run in the last 24 hours (unless `rerunOf`, the id of the
 * run an operator asked to run again: they mean it, and the new run records which run it reran).
 */
export async function createRun(
  ctx: EngineContext,
  tx: Tx,
  fn: FunctionDefinition,
  event: EventPayload,
  eventInternalId: string | null,
  options: { parent?: ParentLink; rerunOf?: string } = {},
): Promise<string | null> {
  const { parent } = options;
  const now = ctx.now();
  const runId = ulid(now);
  if (fn.idempotency && !options.rerunOf) {
    let key: string | null = null;
    try {
      key = keyValue(fn.idempotency, event);
    } catch (error) {
      // Inngest cannot compute the key either; the run goes ahead without one.
      ctx.log(`function ${fn.id}: idempotency key not computed for event ${event.id} (${errorMessage(error)}); starting the run without it`);
    }
    if (key !== null) {
      const { rowCount } = await tx.query(
        `insert into inngest_engine.idempotency_keys (function_id, key, run_id, expires_at) values ($1, $2, $3, $4)
         on conflict (function_id, key) do update set run_id = excluded.run_id, expires_at = excluded.expires_at
         where inngest_engine.idempotency_keys.expires_at <= $5`,
        [fn.id, key, runId, new Date(now + DAY_MS), new Date(now)],
      );
      if (!rowCount) return null;
    }
  }
  const concurrency = fn.concurrency.map((rule) => {
    let value = '';
    if (rule.key) {
      try {
        value = keyValue(rule.key, event);
      } catch (error) {
        ctx.log(`function ${fn.id}: concurrency key not computed for event ${event.id} (${errorMessage(error)}); using the empty key`);
      }
    }
    return { key: rule.scope === 'fn' ? `fn:${fn.id}:${value}` : `${rule.scope}:${value}`, limit: rule.limit };
  });
  tx.defer(
    `insert into inngest_engine.runs (id, function_id, status, event_internal_id, event, created_at, concurrency, parent_run_id, parent_step_id, rerun_of_run_id)
     values ($1, $2, 'queued', $3, $4, $5, $6, $7, $8, $9)`,
    [runId, fn.id, eventInternalId, json(event), new Date(now), json(concurrency), parent?.runId ?? null, parent?.stepId ?? null, options.rerunOf ?? null],
  );
  tx.defer('insert into inngest_engine.queue (run_id, due_at, priority_s) values ($1, $2, $3)', [runId, new Date(now), priorityOf(ctx, fn, event)]);
  // The slot rows a worker locks while it calls the app (executor.ts), made with the first
  // run of a key (or of a higher limit) and kept: checking for the last slot first leaves
  // existing rows untouched, so creating runs does not write them again.
  for (const { key, limit } of concurrency) {
    tx.defer(
      `insert into inngest_engine.concurrency_slots (key, slot) select $1, generate_series(0, $2 - 1)
        where not exists (select 1 from inngest_engine.concurrency_slots where key = $1 and slot = $2 - 1)
       on conflict do nothing`,
      [key, limit],
    );
  }
  for (const rule of fn.cancel) {
    tx.defer('insert into inngest_engine.waiters (run_id, kind, event_name, expression, expires_at) values ($1, $2, $3, $4, $5)', [
      runId,
      'cancel',
      rule.event,
      rule.if ?? null,
      rule.timeoutMs === undefined ? null : new Date(now + rule.timeoutMs),
    ]);
  }
  tx.afterCommit(ctx.wake);
  return runId;
}

/** Starts `fn` with the `inngest/function.invoked` event carrying `data`, as step.invoke does. */
export async function invokeFunction(
  ctx: EngineContext,
  tx: Tx,
  fn: FunctionDefinition,
  payload: { data?: unknown; v?: unknown; user?: unknown },
  source: { functionId: string; runId: string } | null,
  parent?: ParentLink,
): Promise<string | null> {
  const now = ctx.now();
  const data: Record<string, unknown> = isRecord(payload.data) ? { ...payload.data } : {};
  data._inngest = { fn_id: fn.id, ...(source ? { source_fn_id: source.functionId, source_run_id: source.runId } : {}) };
  const event: EventPayload = { id: ulid(now), name: FUNCTION_INVOKED, data, ts: now };
  if (typeof payload.v === 'string') event.v = payload.v;
  if (isRecord(payload.user)) event.user = payload.user;
  const internalId = storeEvent(ctx, tx, event);
  return createRun(ctx, tx, fn, event, internalId, { parent });
}

/** Starts a cron-triggered run with Inngest's `inngest/scheduled.timer` event. */
export async function startScheduledRun(ctx: EngineContext, tx: Tx, fn: FunctionDefinition, cron: string, scheduledAt: number): Promise<string | null> {
  const at = new Date(scheduledAt).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const event: EventPayload = { id: at, name: SCHEDULED_TIMER, data: { cron, scheduledAt: at, fireAt: at }, ts: scheduledAt };
  const internalId = storeEvent(ctx, tx, event);
  return createRun(ctx, tx, fn, event, internalId);
}

export type RunOutcome = { status: 'completed'; output: unknown } | { status: 'failed'; error: SerializedError } | { status: 'cancelled' };

export interface FinishingRun {
  id: string;
  function_id: string;
  event: EventPayload;
  parent_run_id: string | null;
  parent_step_id: string | null;
}

/**
 * Ends a run: stores its outcome, drops its queue entry and waits, hands the result to the
 * run that invoked it, and emits `inngest/function.finished` (+ `.failed` or `.cancelled`)
 * so onFailure handlers and other listeners run.
 */
export async function finishRun(ctx: EngineContext, tx: Tx, run: FinishingRun, outcome: RunOutcome): Promise<void> {
  const now = ctx.now();
  tx.defer('update inngest_engine.runs set status = $2, ended_at = $3, output = $4, error = $5 where id = $1', [
    run.id,
    outcome.status,
    new Date(now),
    outcome.status === 'completed' ? json(outcome.output ?? null) : null,
    outcome.status === 'failed' ? json(outcome.error) : null,
  ]);
  tx.defer('delete from inngest_engine.queue where run_id = $1', [run.id]);
  tx.defer('delete from inngest_engine.waiters where run_id = $1', [run.id]);
  tx.defer('delete from inngest_engine.signals where run_id = $1', [run.id]);

  if (run.parent_run_id && run.parent_step_id) {
    const result =
      outcome.status === 'completed'
        ? { data: outcome.output ?? null }
        : { error: outcome.status === 'failed' ? outcome.error : { name: 'Error', message: `Invoked function run ${run.id} was cancelled` } };
    insertSignal(ctx, tx, run.parent_run_id, 'invoke-result', run.parent_step_id, result);
    touchRuns(ctx, tx, [run.parent_run_id]);
  }

  // An operator at 3 a.m. greps for these: the run, its function and why.
  if (outcome.status === 'failed') {
    ctx.log('run failed', { runId: run.id, functionId: run.function_id, eventName: run.event.name, error: { name: outcome.error.name, message: outcome.error.message } }, 'error');
  } else if (outcome.status === 'cancelled') {
    ctx.log('run cancelled', { runId: run.id, functionId: run.function_id, eventName: run.event.name });
  }

  // Lifecycle events are not emitted for runs that a lifecycle event started, as on Inngest.
  if (LIFECYCLE_EVENTS.has(run.event.name)) return;
  const base = { function_id: run.function_id, run_id: run.id, event: run.event, events: [run.event] };
  const emitted: (Omit<EventPayload, 'id'> & { id?: string })[] = [
    {
      // No id: the intake gives it a fresh one without a de-duplication entry.
      name: FUNCTION_FINISHED,
      ts: now,
      data: { ...base, ...(outcome.status === 'completed' ? { result: outcome.output ?? null } : {}), ...(outcome.status === 'failed' ? { error: outcome.error } : {}) },
    },
  ];
  // The run id as event id keeps a re-finished run from starting its handlers twice.
  if (outcome.status === 'failed') emitted.push({ id: run.id, name: FUNCTION_FAILED, ts: now, data: { ...base, error: outcome.error } });
  if (outcome.status === 'cancelled') emitted.push({ id: run.id, name: FUNCTION_CANCELLED, ts: now, data: base });
  await ingestEvents(ctx, tx, emitted);
}
