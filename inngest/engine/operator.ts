// What an operator can do from the dashboard: send an event, invoke a function, cancel a
// run, run a finished run again. Each is one transaction on the engine's tables, which also
// records who did it (operator_actions; a refused action changes and records nothing); the
// engines' workers pick the work up from the queue like any other.
import type pg from 'pg';
import { DEFAULT_TUNING, unstorable, type EngineContext } from './context';
import type { FunctionDefinition } from './config';
import { ENDED_STATUSES, type OperatorActionName, type RunStatus } from './read';
import { createRun, finishRun, ingestEvents, insertSignal, invokeFunction, isFailureHandler, loadFunction, touchRuns, type EventPayload } from './runs';
import { transaction, type Tx } from './tx';

export class OperatorError extends Error {}

/** Who acts: the app's user id and email of the operator (opaque to the engine). */
export interface Operator {
  id: string;
  email: string;
}

/** What an action acted on and what it made; the columns of operator_actions it fills. */
interface ActionRecord {
  runId?: string;
  functionId?: string;
  eventName?: string;
  newRunIds?: string[];
  eventIds?: string[];
}

/** Records `action` by `by` in the action's own transaction (sent with its commit: no extra round trip). */
function recordAction(ctx: EngineContext, tx: Tx, by: Operator, action: OperatorActionName, record: ActionRecord): void {
  tx.defer(
    `insert into inngest_engine.operator_actions (at, operator_id, operator_email, action, run_id, function_id, event_name, new_run_ids, event_ids)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [new Date(ctx.now()), by.id, by.email, action, record.runId ?? null, record.functionId ?? null, record.eventName ?? null, record.newRunIds ?? [], record.eventIds ?? []],
  );
}

/**
 * An event only one party sends (`by`: "the bank"): never sent from the dashboard, and a function
 * it triggers never invoked by hand, since its data would say what that party decided. A run of
 * such a function is rerun (its event as that party sent it) only when `rerunnable`: a rerun
 * of a bank's return would reverse a payment a second time, while the app's own schedule
 * re-checks what its event says before it acts.
 */
export interface ReservedEvent {
  by: string;
  rerunnable: boolean;
}

/** The engine as an operator acts on it. `reservedEvent` says which events are reserved (null: an operator may send it). */
export type OperatorContext = EngineContext & { reservedEvent?: (name: string) => ReservedEvent | null };

/** An engine context for a process that only writes work for the engines (no workers to wake). */
export function operatorContext(pool: pg.Pool, log: (line: string) => void = () => undefined, options: { reservedEvent?: (name: string) => ReservedEvent | null } = {}): OperatorContext {
  return {
    ...options,
    pool,
    now: Date.now,
    log,
    tuning: DEFAULT_TUNING,
    wake: () => undefined,
    requestResync: () => undefined,
    abort: new AbortController().signal,
  };
}

/**
 * Why an operator may not start a run of `fn` by hand (`invoke` with data of their own, or
 * `rerun` with its run's event), or null: an onFailure handler (its payload names what failed:
 * it could fail a payment whose run is well), or a function an event reserved to another party
 * triggers (`reservedEvent`; a rerun only when not `rerunnable`).
 */
function startRefusal(ctx: OperatorContext, fn: FunctionDefinition, how: 'invoke' | 'rerun'): string | null {
  if (isFailureHandler(fn.config)) return `"${fn.id}" is an onFailure handler: it runs when its function fails, and is not started by hand`;
  for (const { event } of fn.events) {
    const reserved = ctx.reservedEvent?.(event);
    if (!reserved || (how === 'rerun' && reserved.rerunnable)) continue;
    return how === 'invoke' && reserved.rerunnable
      ? `"${fn.id}" runs on ${event}, which only ${reserved.by} sends: it is not invoked by hand (a run of it can be rerun)`
      : `"${fn.id}" runs on ${event}, which only ${reserved.by} sends: it is not started by hand`;
  }
  return null;
}

export function sendEvent(ctx: OperatorContext, by: Operator, event: { name: string; data: Record<string, unknown> }): Promise<{ ids: string[]; runIds: string[] }> {
  const reserved = ctx.reservedEvent?.(event.name);
  if (reserved) return Promise.reject(new OperatorError(`${event.name} is sent only by ${reserved.by}, not from here`));
  // What the engine's HTTP door refuses, refused here too: the insert would fail (found by a stranger: a 500).
  const problem = unstorable(event);
  if (problem) return Promise.reject(new OperatorError(`The event cannot be stored: ${problem}`));
  return transaction(ctx.pool, async (tx) => {
    const sent = await ingestEvents(ctx, tx, [event]);
    recordAction(ctx, tx, by, 'send-event', { eventName: event.name, eventIds: sent.ids, newRunIds: sent.runIds });
    return sent;
  });
}

export function invoke(ctx: OperatorContext, by: Operator, functionId: string, data: Record<string, unknown>): Promise<string> {
  const problem = unstorable({ functionId, data });
  if (problem) return Promise.reject(new OperatorError(`The payload cannot be stored: ${problem}`));
  return transaction(ctx.pool, async (tx) => {
    const fn = await loadFunction(tx, functionId);
    if (!fn) throw new OperatorError(`No synced function "${functionId}"`);
    const refused = startRefusal(ctx, fn, 'invoke');
    if (refused) throw new OperatorError(refused);
    const runId = await invokeFunction(ctx, tx, fn, { data }, null);
    if (!runId) throw new OperatorError(`"${functionId}" skipped the invocation: its idempotency key was already used in the last 24 hours`);
    recordAction(ctx, tx, by, 'invoke', { functionId, newRunIds: [runId] });
    return runId;
  });
}

/**
 * Cancels an unfinished run. A run waiting in the queue ends now; one being driven right
 * now ends as soon as its current call returns (the cancellation waits as a signal).
 */
export function cancelRun(ctx: EngineContext, by: Operator, runId: string): Promise<void> {
  return transaction(ctx.pool, async (tx) => {
    const { rows } = await tx.query<{ status: RunStatus; function_id: string; event: EventPayload; parent_run_id: string | null; parent_step_id: string | null }>(
      'select status, function_id, event, parent_run_id, parent_step_id from inngest_engine.runs where id = $1',
      [runId],
    );
    const run = rows[0];
    if (!run) throw new OperatorError(`No run ${runId}`);
    if (ENDED_STATUSES.has(run.status)) throw new OperatorError(`Run ${runId} has already ended (${run.status})`);
    // A run under a live claim is being driven: it takes the signal when its call returns.
    const { rowCount } = await tx.query(
      'select 1 from inngest_engine.queue where run_id = $1 and (claimed_until is null or claimed_until <= $2) for update skip locked',
      [runId, new Date(ctx.now())],
    );
    if (rowCount) {
      await finishRun(ctx, tx, { id: runId, ...run }, { status: 'cancelled' });
    } else {
      insertSignal(ctx, tx, runId, 'cancel', null, { by: 'operator' });
      touchRuns(ctx, tx, [runId]);
    }
    recordAction(ctx, tx, by, 'cancel', { runId, functionId: run.function_id });
  });
}

/** Starts a new run of the same function with the same event (idempotency keys do not stop it), recorded as a rerun of `runId`. */
export function rerun(ctx: OperatorContext, by: Operator, runId: string): Promise<string> {
  return transaction(ctx.pool, async (tx) => {
    const { rows } = await tx.query<{ function_id: string; event: EventPayload; event_internal_id: string | null; status: RunStatus }>(
      'select function_id, event, event_internal_id, status from inngest_engine.runs where id = $1',
      [runId],
    );
    const run = rows[0];
    if (!run) throw new OperatorError(`No run ${runId}`);
    if (!ENDED_STATUSES.has(run.status)) throw new OperatorError(`Run ${runId} has not ended yet; cancel it first`);
    const fn = await loadFunction(tx, run.function_id);
    if (!fn) throw new OperatorError(`Function "${run.function_id}" is no longer synced`);
    const refused = startRefusal(ctx, fn, 'rerun');
    if (refused) throw new OperatorError(refused);
    const newRunId = (await createRun(ctx, tx, fn, run.event, run.event_internal_id, { rerunOf: runId }))!;
    recordAction(ctx, tx, by, 'rerun', { runId, functionId: run.function_id, newRunIds: [newRunId] });
    return newRunId;
  });
}
