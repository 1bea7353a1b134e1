// What an operator can do from the dashboard: send an event, invoke a function, cancel a
// run, run a finished run again. Each is one transaction on the engine's tables; the
// engines' workers pick the work up from the queue like any other.
import type pg from 'pg';
import { DEFAULT_TUNING, type EngineContext } from './context';
import { ENDED_STATUSES, type RunStatus } from './read';
import { createRun, finishRun, ingestEvents, insertSignal, invokeFunction, loadFunction, touchRuns, type EventPayload } from './runs';
import { transaction } from './tx';

export class OperatorError extends Error {}

/** An engine context for a process that only writes work for the engines (no workers to wake). */
export function operatorContext(pool: pg.Pool, log: (line: string) => void = () => undefined): EngineContext {
  return {
    pool,
    now: Date.now,
    log,
    tuning: DEFAULT_TUNING,
    wake: () => undefined,
    requestResync: () => undefined,
    abort: new AbortController().signal,
  };
}

export function sendEvent(ctx: EngineContext, event: { name: string; data: Record<string, unknown> }): Promise<{ ids: string[]; runIds: string[] }> {
  return transaction(ctx.pool, (tx) => ingestEvents(ctx, tx, [event]));
}

export function invoke(ctx: EngineContext, functionId: string, data: Record<string, unknown>): Promise<string> {
  return transaction(ctx.pool, async (tx) => {
    const fn = await loadFunction(tx, functionId);
    if (!fn) throw new OperatorError(`No synced function "${functionId}"`);
    const runId = await invokeFunction(ctx, tx, fn, { data }, null);
    if (!runId) throw new OperatorError(`"${functionId}" skipped the invocation: its idempotency key was already used in the last 24 hours`);
    return runId;
  });
}

/**
 * Cancels an unfinished run. A run waiting in the queue ends now; one being driven right
 * now ends as soon as its current call returns (the cancellation waits as a signal).
 */
export function cancelRun(ctx: EngineContext, runId: string): Promise<void> {
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
  });
}

/** Starts a new run of the same function with the same event (idempotency keys do not stop it), recorded as a rerun of `runId`. */
export function rerun(ctx: EngineContext, runId: string): Promise<string> {
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
    const newRunId = await createRun(ctx, tx, fn, run.event, run.event_internal_id, { rerunOf: runId });
    return newRunId!;
  });
}
