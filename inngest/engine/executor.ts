// Drives runs. A worker claims one due queue entry (FOR UPDATE SKIP LOCKED) with a lease —
// its claim id and the lease's end, which also becomes the entry's due time — applies what
// happened to the run meanwhile (signals, elapsed sleeps and timeouts), and commits that at
// once. It then calls the app with no transaction open and no connection held, renewing the
// lease (and the run's concurrency slots) while the call runs, and records the answer in a
// second transaction that first checks, under the entry's row lock, that the claim is still
// its own. So:
// - a step's result is stored, and the run's next due time set, atomically with each other,
//   and only by the worker whose claim is current: a result is recorded once;
// - a worker killed mid-call leaves nothing half-written; its claim lapses and any worker
//   takes the run (the interrupted step runs again, as on Inngest: steps are at-least-once,
//   completed steps never repeat);
// - no two workers, in any number of engine processes, drive one run at the same time, and a
//   slow app holds no database connection.
// A call may checkpoint (EngineTuning.checkpointing): the SDK then runs the function's
// consecutive steps in that one call and POSTs each result to the engine (recordCheckpoint),
// which stores it under the same fence, in its own transaction; the call's answer then says
// only what comes next (a sleep, a wait, the run's end), and is recorded as above.
import { randomUUID } from 'node:crypto';
import { backoffDelay, parseDuration, sleepEnd } from './duration';
import { errorMessage, json, type ServingContext } from './context';
import { compileExpression, ExpressionError } from './expression';
import { callFunction, stepUrl, toSerializedError, type CallRequest, type CallResult, type StepOp } from './protocol';
import type { StepRow as StoredStepRow } from './read';
import { finishRun, invokeFunction, loadFunction, moveDue, type EventPayload, type RunOutcome, type SerializedError } from './runs';
import { inline, transaction, Tx } from './tx';

interface RunRow {
  id: string;
  function_id: string;
  status: string;
  event: EventPayload;
  attempt: number;
  request_version: number;
  disable_immediate: boolean;
  call_pending: boolean;
  concurrency: { key: string; limit: number }[];
  parent_run_id: string | null;
  parent_step_id: string | null;
  url: string | null;
  max_attempts: number | null;
  /** The run's priority factor (s) as its queue row holds it (Inngest's `priority.run`; 0 for none). */
  priority_s: number;
}

/** A step as the driver holds it (start and end times are written, never read back). */
type StepRow = Omit<StoredStepRow, 'started_at' | 'ended_at'>;

type StepResult = { data: unknown } | { error: unknown };

interface SignalRow {
  id: number;
  kind: 'event' | 'invoke-result' | 'cancel';
  step_id: string | null;
  payload: unknown;
}

const PENDING = new Set(['sleeping', 'waiting', 'invoking']);

export type DriveOutcome = 'finished' | 'due-now' | 'later';

/** Ops that report what already ran (a step's result, the run's end), as opposed to what to start. */
const RESULT_OPS = new Set(['StepRun', 'StepFailed', 'RunComplete']);

/** A step row's columns as the driver reads them (StepRow). */
const STEP_ROW_COLUMNS = 'step_id, name, op, status, opts, data, error, attempts, position, due_at, child_run_id';
/** The columns every insert of a step writes: the run, the row, when it started and ended. */
const STEP_INSERT = `insert into inngest_engine.steps (run_id, ${STEP_ROW_COLUMNS}, started_at, ended_at)`;

/** One claimed run, for the length of one transaction. */
class RunDriver {
  private changed = false;
  private finished = false;
  private unreachable: string | null = null;
  private retryAt = Infinity;
  private nextPosition: number;
  private readonly planned: StepOp[] = [];

  constructor(
    private readonly ctx: ServingContext,
    private tx: Tx,
    private readonly run: RunRow,
    private readonly steps: Map<string, StepRow>,
    private readonly signals: SignalRow[],
    /** Commits the claim's transaction before the first call and returns the one that records its answer. */
    private readonly handOver: (claimTx: Tx) => Promise<Tx>,
    /** This worker's claim on the run: the `qi_id` a checkpointing call sends back (recordCheckpoint). */
    private readonly claimId: string,
  ) {
    this.nextPosition = Math.max(0, ...[...steps.values()].map((step) => (step.position ?? -1) + 1));
  }

  private get maxAttempts(): number {
    return this.run.max_attempts ?? 1;
  }

  async drive(): Promise<DriveOutcome> {
    await this.applySignals();
    if (this.finished) return 'finished';
    this.applyTimers();
    if (!this.run.url) {
      await this.finish({
        status: 'failed',
        error: { name: 'Error', message: `Function "${this.run.function_id}" is no longer part of any synced app` },
      });
      return 'finished';
    }
    if (!this.run.call_pending && !this.changed) return this.reschedule();
    if (!(await this.acquireConcurrency())) {
      this.saveRun(this.run.status === 'queued' ? 'queued' : 'running', this.ctx.now() + this.ctx.tuning.concurrencyRetryMs, true);
      // A run waiting for a concurrency slot waits in order, without its priority: kept, the
      // factor would bring it back ahead of every other run each time it is due again, and
      // workers would spend themselves claiming it while other functions' runs wait.
      this.tx.defer('update inngest_engine.queue set priority_s = 0 where run_id = $1 and priority_s > 0', [this.run.id]);
      return 'later';
    }
    if (this.run.status === 'queued') {
      this.tx.defer('update inngest_engine.runs set started_at = $2 where id = $1', [this.run.id, new Date(this.ctx.now())]);
    }
    const startedAt = this.ctx.now();
    // What changed before this call (elapsed timers, signals) is sent with it; only what the
    // call itself memoizes makes the run due again at once. A call that reports a new sleep,
    // wait or invoke leaves the run waiting for it, so a run sleeping twice costs three calls.
    this.changed = false;
    this.tx = await this.handOver(this.tx);
    // Parallel steps (disable_immediate) are called one by one and never checkpoint (nor would the SDK).
    const checkpoint = this.ctx.tuning.checkpointing && !this.run.disable_immediate ? { fnId: this.run.function_id, queueItemId: this.claimId } : null;
    const result = await this.call('step', this.run.attempt, checkpoint);
    if (checkpoint) await this.takeCheckpointedSteps();
    await this.handleResult(result, null, startedAt);
    if (!this.finished && !this.unreachable && this.planned.length) await this.runPlannedSteps();
    return this.reschedule();
  }

  /**
   * The steps the call checkpointed (recordCheckpoint stored them, numbered after every step
   * this driver knows): known from now on, sent back with any later call. They do not make the
   * run due at once: the SDK went on past them, and the call's answer says what comes next.
   * The first statement of the recording transaction, so it also checks the claim (the fence).
   */
  private async takeCheckpointedSteps(): Promise<void> {
    const { rows } = await this.tx.query<StepRow>(
      `select ${STEP_ROW_COLUMNS}
         from inngest_engine.steps where run_id = $1 and position >= $2 order by position`,
      [this.run.id, this.nextPosition],
    );
    for (const row of rows) {
      this.steps.set(row.step_id, row);
      this.nextPosition = Math.max(this.nextPosition, (row.position ?? -1) + 1);
    }
  }

  private async finish(outcome: RunOutcome): Promise<void> {
    this.finished = true;
    await finishRun(this.ctx, this.tx, this.run, outcome);
  }

  /** Applies what happened to the run while it was not held (the claim took these signals). */
  private async applySignals(): Promise<void> {
    for (const signal of this.signals) {
      if (signal.kind === 'cancel') {
        await this.finish({ status: 'cancelled' });
        return;
      }
      const step = signal.step_id ? this.steps.get(signal.step_id) : undefined;
      if (signal.kind === 'event' && step?.status === 'waiting') {
        this.memo(step.step_id, step, { data: signal.payload });
      } else if (signal.kind === 'invoke-result' && step?.status === 'invoking') {
        this.memo(step.step_id, step, signal.payload as StepResult);
      }
    }
  }

  private applyTimers(): void {
    const now = this.ctx.now();
    for (const step of this.steps.values()) {
      if (!step.due_at || step.due_at.getTime() > now || !PENDING.has(step.status)) continue;
      if (step.status === 'sleeping') {
        this.memo(step.step_id, step, { data: null });
      } else if (step.status === 'waiting') {
        this.tx.defer('delete from inngest_engine.waiters where run_id = $1 and step_id = $2', [this.run.id, step.step_id]);
        this.memo(step.step_id, step, { data: null });
      } else {
        // Inngest's own error for this case (pkg/execution SdkInvokeTimeoutError).
        this.memo(step.step_id, step, { error: { name: 'InngestInvokeTimeoutError', message: 'Timed out waiting for invoked function to complete' } });
      }
    }
  }

  /**
   * Leases a slot of each of the run's concurrency limits for the claim (slots: createRun);
   * renewed with the claim, released when the call is recorded (driveOneRun).
   */
  private async acquireConcurrency(): Promise<boolean> {
    const now = this.ctx.now();
    for (const { key, limit } of this.run.concurrency) {
      const { rowCount } = await this.tx.query(
        `update inngest_engine.concurrency_slots set run_id = $3, held_until = $4
          where (key, slot) = (select key, slot from inngest_engine.concurrency_slots
                                where key = $1 and slot < $2 and (run_id is null or held_until <= $5)
                                order by slot limit 1 for update skip locked)`,
        [key, limit, this.run.id, new Date(now + this.ctx.tuning.claimLeaseMs), new Date(now)],
      );
      if (!rowCount) return false;
    }
    return true;
  }

  private memoized(): { id: string; result: StepResult }[] {
    return [...this.steps.values()]
      .filter((step) => step.status === 'completed' || step.status === 'failed')
      .sort((a, b) => (a.position ?? 0) - (b.position ?? 0))
      .map((step) => ({ id: step.step_id, result: step.status === 'completed' ? { data: step.data } : { error: step.error } }));
  }

  /**
   * One call to the app, under a fresh request id (sent as X-Request-Id, so the app's log line
   * for it carries the same id) and logged with it: run, function, step, attempt, outcome, ms.
   */
  private async call(stepId: string, attempt: number, checkpoint: CallRequest['checkpoint'] = null): Promise<CallResult> {
    const requestId = randomUUID();
    let startedAt = 0;
    const result = await this.ctx.calls.run(async () => {
      startedAt = performance.now();
      const answer = await callFunction(
        stepUrl(this.run.url!, stepId),
        {
          event: this.run.event,
          steps: this.memoized(),
          runId: this.run.id,
          attempt,
          maxAttempts: this.maxAttempts,
          disableImmediateExecution: this.run.disable_immediate,
          version: this.run.request_version,
          checkpoint,
        },
        { signingKey: this.ctx.keys.signingKey, requestId, timeoutMs: this.ctx.tuning.callTimeoutMs, abort: this.ctx.abort, now: this.ctx.now() },
      );
      // Before this call's place is given back: the next call starts only as the app allows.
      if (answer.kind !== 'unreachable') this.ctx.calls.setBusy(answer.appBusy === true);
      return answer;
    }, this.run.priority_s);
    this.ctx.log('call', {
      requestId,
      runId: this.run.id,
      functionId: this.run.function_id,
      step: stepId,
      attempt,
      outcome: result.kind,
      // What the call reported, by name: "StepRun submit-to-rail", "Sleep wait-for-settlement", … (at most 10).
      ...(result.kind === 'ops' ? { ops: result.ops.slice(0, 10).map((op) => `${op.op} ${op.displayName ?? op.name ?? op.id}`) } : {}),
      ...(result.kind === 'error' ? { error: result.error.message } : {}),
      durationMs: Math.round((performance.now() - startedAt) * 10) / 10,
    });
    return result;
  }

  private async handleResult(result: CallResult, plannedStepId: string | null, startedAt: number): Promise<void> {
    if (result.kind === 'unreachable') {
      this.unreachable = result.message;
      this.ctx.log(`the app at ${new URL(this.run.url!).origin} is unreachable (${result.message}); its runs will be tried again shortly`);
      return;
    }
    if (result.version !== null) this.run.request_version = result.version;
    if (result.kind === 'complete') {
      await this.finish({ status: 'completed', output: result.data });
      return;
    }
    if (result.kind === 'error') {
      if (result.unknownFunction) this.ctx.requestResync();
      const planned = plannedStepId ? this.steps.get(plannedStepId) : undefined;
      if (plannedStepId && result.retriable) {
        this.stepError(plannedStepId, planned ?? null, result.error, result.retryAfterMs, true, startedAt);
        return;
      }
      this.recordAttempt(plannedStepId, plannedStepId ? (planned?.attempts ?? 0) : this.run.attempt, result.retriable ? 'error' : 'failed', result.error, startedAt);
      this.run.attempt += 1;
      if (!result.retriable || this.run.attempt >= this.maxAttempts) {
        await this.finish({ status: 'failed', error: result.error });
        return;
      }
      this.retryAt = Math.min(this.retryAt, this.ctx.now() + this.retryDelay(this.run.attempt - 1, result.retryAfterMs));
      return;
    }
    // More than one thing to start at once is parallelism: from now on each is called on its own
    // (Inngest's disable_immediate). Results a checkpointing SDK held and reports together (its
    // buffered steps, RunComplete) are not.
    if (result.ops.filter((op) => !RESULT_OPS.has(op.op)).length > 1) this.run.disable_immediate = true;
    if (!result.ops.length) {
      await this.handleResult(
        { kind: 'error', error: { name: 'Error', message: 'The SDK answered without any step operation' }, retriable: true, retryAfterMs: null, version: null, unknownFunction: false },
        plannedStepId,
        startedAt,
      );
      return;
    }
    for (const op of result.ops) {
      if (this.finished) return;
      await this.handleOp(op, result.retryAfterMs, plannedStepId !== null, startedAt);
    }
  }

  private retryDelay(retryIndex: number, retryAfterMs: number | null): number {
    return retryAfterMs !== null ? Math.round(retryAfterMs * this.ctx.tuning.backoffScale) : backoffDelay(retryIndex, this.ctx.tuning.backoffScale);
  }

  private async handleOp(op: StepOp, retryAfterMs: number | null, planned: boolean, startedAt: number): Promise<void> {
    const known = this.steps.get(op.id);
    switch (op.op) {
      case 'StepRun':
        this.recordAttempt(op.id, known?.attempts ?? 0, 'ok', null, startedAt);
        this.memo(op.id, known ?? stepRowOf(op), { data: op.data ?? null }, startedAt);
        if (!planned) this.run.attempt = 0;
        return;
      case 'StepFailed':
        this.recordAttempt(op.id, known?.attempts ?? 0, 'failed', op.error, startedAt);
        this.memo(op.id, known ?? stepRowOf(op), { error: op.error }, startedAt, (known?.attempts ?? 0) + 1);
        if (!planned) this.run.attempt = 0;
        return;
      case 'StepError':
        this.stepError(op.id, known ?? stepRowOf(op), toSerializedError(op.error, 'step failed'), retryAfterMs, planned, startedAt);
        return;
      case 'StepPlanned':
        if (known?.status !== 'completed' && known?.status !== 'failed') this.planned.push(op);
        return;
      case 'Sleep':
        if (!known) this.startSleep(op);
        return;
      case 'WaitForEvent':
        if (!known) this.startWait(op);
        return;
      case 'InvokeFunction':
        if (!known) await this.startInvoke(op);
        return;
      case 'RunComplete':
        // A checkpointing call's end: the function returned `data`.
        await this.finish({ status: 'completed', output: op.data ?? null });
        return;
      default:
        await this.finish({
          status: 'failed',
          error: {
            name: 'UnsupportedStepError',
            message: `Step "${op.displayName ?? op.name ?? op.id}" uses the ${op.op} operation, which the local Inngest engine does not implement`,
          },
        });
    }
  }

  private stepError(stepId: string, step: StepRow | null, error: SerializedError, retryAfterMs: number | null, planned: boolean, startedAt: number): void {
    const row = step ?? { ...stepRowOf({ id: stepId, op: 'StepRun' }) };
    const attempts = row.attempts + 1;
    this.recordAttempt(stepId, row.attempts, 'error', error, startedAt);
    if (attempts >= this.maxAttempts) {
      // The SDK normally says StepFailed itself on the last attempt; this covers it not doing so.
      this.memo(stepId, row, { error }, startedAt, attempts);
      if (!planned) this.run.attempt = 0;
      return;
    }
    const dueAt = this.ctx.now() + this.retryDelay(attempts - 1, retryAfterMs);
    this.saveStep({ ...row, status: 'retrying', error, attempts, due_at: new Date(dueAt) }, startedAt);
    if (!planned) this.run.attempt = attempts;
    this.retryAt = Math.min(this.retryAt, dueAt);
  }

  private startSleep(op: StepOp): void {
    const now = this.ctx.now();
    const end = sleepEnd(op.name ?? '', now);
    const step: StepRow = { ...stepRowOf(op), op: 'Sleep', opts: { ...op.opts, duration: op.name } };
    if (end === null) {
      this.memo(op.id, step, { error: { name: 'Error', message: `"${op.name}" is neither a duration nor a date` } });
      return;
    }
    this.saveStep({ ...step, status: 'sleeping', due_at: new Date(end) });
    // A sleepUntil in the past ends at once, as on Inngest.
    if (end <= now) this.memo(op.id, this.steps.get(op.id)!, { data: null });
  }

  private startWait(op: StepOp): void {
    const timeout = typeof op.opts?.timeout === 'string' ? parseDuration(op.opts.timeout) : null;
    const condition = typeof op.opts?.if === 'string' ? op.opts.if : null;
    const step: StepRow = { ...stepRowOf(op), op: 'WaitForEvent', opts: { event: op.name, ...op.opts } };
    let problem = timeout === null ? `waitForEvent needs a timeout, got ${JSON.stringify(op.opts?.timeout)}` : null;
    if (condition) {
      try {
        compileExpression(condition);
      } catch (error) {
        if (!(error instanceof ExpressionError)) throw error;
        problem = `the local Inngest engine cannot evaluate this waitForEvent condition: ${error.message}`;
      }
    }
    if (problem || timeout === null) {
      this.memo(op.id, step, { error: { name: 'Error', message: problem ?? 'invalid waitForEvent' } });
      return;
    }
    const dueAt = new Date(this.ctx.now() + timeout);
    this.saveStep({ ...step, status: 'waiting', due_at: dueAt });
    this.tx.defer('insert into inngest_engine.waiters (run_id, kind, step_id, event_name, expression, expires_at) values ($1, $2, $3, $4, $5, $6)', [
      this.run.id,
      'step',
      op.id,
      op.name,
      condition,
      dueAt,
    ]);
  }

  private async startInvoke(op: StepOp): Promise<void> {
    const opts = op.opts ?? {};
    const targetId = typeof opts.function_id === 'string' ? opts.function_id : '';
    const step: StepRow = { ...stepRowOf(op), op: 'InvokeFunction', opts };
    const target = await loadFunction(this.tx, targetId);
    if (!target) {
      this.memo(op.id, step, { error: { name: 'Error', message: `could not find function "${targetId}" to invoke; is its app synced?` } });
      return;
    }
    const timeout = typeof opts.timeout === 'string' ? parseDuration(opts.timeout) : null;
    const payload = (typeof opts.payload === 'object' && opts.payload !== null ? opts.payload : {}) as { data?: unknown; v?: unknown; user?: unknown };
    const childId = await invokeFunction(this.ctx, this.tx, target, payload, { functionId: this.run.function_id, runId: this.run.id }, { runId: this.run.id, stepId: op.id });
    if (!childId) {
      this.memo(op.id, step, { error: { name: 'Error', message: `Function "${targetId}" skipped the invocation (idempotency key already used)` } });
      return;
    }
    this.saveStep({ ...step, status: 'invoking', child_run_id: childId, due_at: timeout === null ? null : new Date(this.ctx.now() + timeout) });
  }

  /** Calls each planned (parallel) step that is due, a bounded number at a time. */
  private async runPlannedSteps(): Promise<void> {
    const now = this.ctx.now();
    const due: StepOp[] = [];
    for (const op of new Map(this.planned.map((item) => [item.id, item])).values()) {
      const step = this.steps.get(op.id);
      if (step?.status === 'retrying' && step.due_at && step.due_at.getTime() > now) {
        this.retryAt = Math.min(this.retryAt, step.due_at.getTime());
      } else {
        due.push(op);
      }
    }
    this.run.disable_immediate = true;
    for (let i = 0; i < due.length && !this.finished && !this.unreachable; i += this.ctx.tuning.maxParallelSteps) {
      const batch = due.slice(i, i + this.ctx.tuning.maxParallelSteps);
      const startedAt = this.ctx.now();
      const results = await Promise.all(batch.map((op) => this.call(op.id, this.steps.get(op.id)?.attempts ?? 0)));
      for (const [index, result] of results.entries()) {
        if (this.finished || this.unreachable) break;
        const op = batch[index]!;
        if (!this.steps.has(op.id)) this.steps.set(op.id, stepRowOf(op));
        await this.handleResult(result, op.id, startedAt);
      }
    }
  }

  private saveStep(step: StepRow, startedAt: number = this.ctx.now(), endedAt: number | null = null): void {
    this.steps.set(step.step_id, step);
    this.tx.defer(
      `${STEP_INSERT}
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
       on conflict (run_id, step_id) do update set status = excluded.status, data = excluded.data, error = excluded.error,
         attempts = excluded.attempts, position = excluded.position, due_at = excluded.due_at, ended_at = excluded.ended_at`,
      [
        this.run.id,
        step.step_id,
        step.name,
        step.op,
        step.status,
        json(step.opts),
        json(step.data),
        json(step.error),
        step.attempts,
        step.position,
        step.due_at,
        step.child_run_id,
        new Date(startedAt),
        endedAt === null ? null : new Date(endedAt),
      ],
    );
  }

  /** Stores a step's final result; it is sent back to the app from now on. */
  private memo(stepId: string, step: StepRow, result: StepResult, startedAt?: number, attempts?: number): void {
    const failed = 'error' in result;
    const final: StepRow = {
      ...step,
      step_id: stepId,
      status: failed ? 'failed' : 'completed',
      data: failed ? null : (result.data ?? null),
      error: failed ? result.error : null,
      attempts: attempts ?? step.attempts,
      position: this.nextPosition++,
    };
    this.saveStep(final, startedAt, this.ctx.now());
    this.changed = true;
  }

  private recordAttempt(stepId: string | null, attempt: number, outcome: 'ok' | 'error' | 'failed', error: unknown, startedAt: number): void {
    this.tx.defer('insert into inngest_engine.attempts (run_id, step_id, attempt, outcome, error, started_at, ended_at) values ($1, $2, $3, $4, $5, $6, $7)', [
      this.run.id,
      stepId,
      attempt,
      outcome,
      json(error ?? undefined),
      new Date(startedAt),
      new Date(this.ctx.now()),
    ]);
  }

  /** Sets when the run is next due, and why. */
  private reschedule(): DriveOutcome {
    if (this.finished) return 'finished';
    const now = this.ctx.now();
    if (this.unreachable) {
      this.saveRun('running', now + this.ctx.tuning.unreachableRetryMs, true);
      return 'later';
    }
    if (this.changed) {
      this.saveRun('running', now, true);
      return 'due-now';
    }
    let retry = this.retryAt;
    let pending = Infinity;
    for (const step of this.steps.values()) {
      const at = step.due_at?.getTime();
      if (at === undefined) continue;
      if (step.status === 'retrying') retry = Math.min(retry, at);
      else if (PENDING.has(step.status)) pending = Math.min(pending, at);
    }
    const callPending = retry <= pending;
    const dueAt = Math.min(retry, pending);
    this.saveRun(callPending ? 'running' : 'waiting', dueAt, callPending);
    return dueAt <= now ? 'due-now' : 'later';
  }

  private saveRun(status: 'queued' | 'running' | 'waiting', dueAt: number, callPending: boolean): void {
    this.tx.defer(
      `update inngest_engine.runs set status = $2, attempt = $3, request_version = $4, disable_immediate = $5, call_pending = $6
        where id = $1`,
      [this.run.id, status, this.run.attempt, this.run.request_version, this.run.disable_immediate, callPending],
    );
    // No due time (an invoke without timeout): only a signal will wake the run. The claim ends.
    this.tx.defer(`update inngest_engine.queue set due_at = coalesce($2, 'infinity'::timestamptz), claimed_by = null, claimed_until = null where run_id = $1`, [
      this.run.id,
      Number.isFinite(dueAt) ? new Date(dueAt) : null,
    ]);
  }
}

/** A step the SDK reported, as the engine first stores it (not yet run to an end). */
function stepRowOf(op: StepOp): StepRow {
  return {
    step_id: op.id,
    name: op.displayName ?? op.name ?? op.userland?.id ?? op.id,
    op: typeof op.opts?.type === 'string' ? op.opts.type : op.op,
    status: 'retrying',
    opts: op.opts ?? null,
    data: null,
    error: null,
    attempts: 0,
    position: null,
    due_at: null,
    child_run_id: null,
  };
}

// Claiming a run: lease its queue entry (SKIP LOCKED: another worker's claim transaction
// may hold it for a moment), then, in a second statement sent in the same round trip, read
// the run, its function's URL and retry limit, its steps, and take the signals waiting for
// it. The read must be a separate statement: under READ COMMITTED a statement sees the
// database as of its start, so a read in the claiming statement could predate the commit of
// the worker that held the run just before — and miss the step that worker stored.
//
// Which run: the oldest due, unless a prioritized one (Inngest's `priority.run`: a factor of P
// seconds, queue.priority_s) is due that was queued at most P seconds after it: that one goes
// first (a settlement ahead of the mail queued just before it). One probe of the partial index
// of prioritized rows, then the oldest due row; the second is not run when the first claims.
// `preferred`: a run this worker just drove that is due again at once (its next step).
function claimSql(preferred: boolean): string {
  const due = preferred
    ? `due as (
      select run_id from inngest_engine.queue where due_at <= $1 and run_id = $4 for update skip locked
    )`
    : `oldest as (
      select due_at from inngest_engine.queue where due_at <= $1 order by due_at limit 1
    ), ahead as (
      select run_id from inngest_engine.queue
       where priority_s > 0 and due_at <= $1 and due_at - priority_s * interval '1 second' <= (select due_at from oldest)
       order by due_at limit 1 for update skip locked
    ), in_order as (
      select run_id from inngest_engine.queue
       where due_at <= $1 and not exists (select 1 from ahead)
       order by due_at limit 1 for update skip locked
    ), due as (
      select run_id from ahead union all select run_id from in_order
    )`;
  return `with ${due}, claimed as (
      update inngest_engine.queue q set claimed_by = $2, claimed_until = $3, due_at = $3
        from due where q.run_id = due.run_id returning q.run_id
    )
    select set_config('inngest_engine.claimed_run', coalesce((select run_id from claimed), ''), true)`;
}

/** What `inngest_engine.fence` raises when the claim is no longer the worker's. */
const CLAIM_LOST = 'inngest-engine: claim lost';

/**
 * The first statement of a transaction that records a call or a checkpoint: the claim must
 * still be ours, and the run's queue row stays locked to the transaction's end
 * (`inngest_engine.fence`, migration 20261130150000). The ids travel as escaped literals in
 * a plain call, never inside a dollar-quoted body. Exported for its test.
 */
export function fenceSql(runId: string, claimId: string): string {
  return inline('select inngest_engine.fence($1, $2)', [runId, claimId]);
}

const READ_CLAIMED_SQL = `with claimed as (
    select current_setting('inngest_engine.claimed_run', true) as run_id
  ), taken as (
    delete from inngest_engine.signals where run_id = (select run_id from claimed) returning id, kind, step_id, payload
  )
  select
    (select row_to_json(r) from (
       select r.id, r.function_id, r.status, r.event, r.attempt, r.request_version, r.disable_immediate, r.call_pending,
              r.concurrency, r.parent_run_id, r.parent_step_id, f.url, f.max_attempts,
              coalesce((select q.priority_s from inngest_engine.queue q where q.run_id = r.id), 0) as priority_s
         from inngest_engine.runs r left join inngest_engine.functions f on f.id = r.function_id
        where r.id = c.run_id) r) as run,
    (select coalesce(json_agg(s), '[]'::json) from (
       select ${STEP_ROW_COLUMNS}
         from inngest_engine.steps where run_id = c.run_id) s) as steps,
    (select coalesce(json_agg(t order by t.id), '[]'::json) from taken t) as signals
  from claimed c where c.run_id <> ''`;

/** Claims one due run (preferring `preferredRunId`) and drives it through one call. */
export async function driveOneRun(ctx: ServingContext, preferredRunId: string | null): Promise<{ runId: string; outcome: DriveOutcome } | null> {
  // The claim's transaction; after the hand-over, the recording one (its connection taken lazily).
  let tx = new Tx(ctx.pool);
  let runId: string | null = null;
  const claimId = randomUUID();
  let renewal: NodeJS.Timeout | undefined;
  try {
    const now = new Date(ctx.now());
    const leaseEnd = () => new Date(ctx.now() + ctx.tuning.claimLeaseMs);
    type Claim = { run: RunRow; steps: (Omit<StepRow, 'due_at'> & { due_at: string | null })[]; signals: SignalRow[] };
    const claim = async (preferred: string | null) => {
      tx.defer(claimSql(preferred !== null), preferred !== null ? [now, claimId, leaseEnd(), preferred] : [now, claimId, leaseEnd()]);
      return (await tx.query<Claim>(READ_CLAIMED_SQL)).rows[0];
    };
    let claimed = preferredRunId ? await claim(preferredRunId) : undefined;
    claimed ??= await claim(null);
    if (!claimed) {
      await tx.rollback();
      return null;
    }
    const run = claimed.run;
    runId = run.id;
    // Before the first call: commit the claim (with what was applied to the run meanwhile),
    // give the connection back, and keep the lease alive while calls run. The recording
    // transaction starts with the fence and takes a connection only once the answer is in.
    const handOver = async (claimTx: Tx): Promise<Tx> => {
      // A call is owed from here until its answer is recorded (saveRun then says what is next):
      // if this worker dies mid-call, the next claimer must call again. Without this, a run
      // whose claim applied an elapsed sleep and whose worker then died kept `call_pending`
      // false, and the next claimer, seeing nothing changed and nothing pending, left it waiting
      // forever (the fresh-clone CI's "timed out waiting for the settlement sleep").
      claimTx.defer('update inngest_engine.runs set call_pending = true where id = $1 and not call_pending', [run.id]);
      await claimTx.commit();
      claimTx.release();
      renewal = setInterval(
        () => {
          ctx.pool
            .query(
              inline(
                `update inngest_engine.queue set claimed_until = $3, due_at = $3 where run_id = $1 and claimed_by = $2;
                 update inngest_engine.concurrency_slots set held_until = $3 where run_id = $1`,
                [run.id, claimId, leaseEnd()],
              ),
            )
            .catch(() => undefined);
        },
        Math.max(10, ctx.tuning.claimLeaseMs / 4),
      );
      tx = new Tx(ctx.pool);
      tx.defer(fenceSql(run.id, claimId));
      return tx;
    };
    // Timestamps come back as JSON text from row_to_json.
    const steps = claimed.steps.map((step): StepRow => ({ ...step, due_at: step.due_at === null ? null : new Date(step.due_at) }));
    const outcome = await new RunDriver(ctx, tx, run, new Map(steps.map((step) => [step.step_id, step])), claimed.signals, handOver, claimId).drive();
    if (run.concurrency.length) tx.defer('update inngest_engine.concurrency_slots set run_id = null, held_until = null where run_id = $1', [run.id]);
    await tx.commit();
    clearInterval(renewal);
    if (outcome === 'later') {
      // A signal that arrived while we held the run could not move its due time; do it now.
      const client = await tx.connection();
      const { rowCount } = await client.query('select 1 from inngest_engine.signals where run_id = $1 limit 1', [runId]);
      if (rowCount) {
        await moveDue(client, [runId], new Date(ctx.now()));
        ctx.wake();
      }
    }
    return { runId, outcome };
  } catch (error) {
    clearInterval(renewal);
    await tx.rollback().catch(() => undefined);
    if (ctx.abort.aborted) return null;
    if (runId && errorMessage(error).includes(CLAIM_LOST)) {
      // Our lease lapsed (a call outlived it without renewal) and another worker took the run:
      // its claim decides what is recorded; this answer is dropped.
      ctx.log(`run ${runId}: the claim lapsed during a call; another worker drives the run and this call's answer is not recorded`);
      return { runId, outcome: 'later' };
    }
    if (runId) {
      // A bug or a database error: log it, and keep the run from being retried in a hot loop.
      ctx.log(`run ${runId}: engine error, retrying in 10 s: ${error instanceof Error ? (error.stack ?? error.message) : errorMessage(error)}`);
      await ctx.pool
        .query(
          inline(
            `update inngest_engine.queue set due_at = $3, claimed_by = null, claimed_until = null where run_id = $1 and (claimed_by is null or claimed_by = $2);
             update inngest_engine.concurrency_slots set run_id = null, held_until = null where run_id = $1`,
            [runId, claimId, new Date(ctx.now() + 10_000)],
          ),
        )
        .catch(() => undefined);
      return { runId, outcome: 'later' };
    }
    throw error;
  } finally {
    tx.release();
  }
}

/** A run, claim or step id as the engine and the SDK make them: letters, digits, `-`, `_`, `:`, `.`, at most 128. */
const ENGINE_ID = /^[\w:.-]{1,128}$/;
/** Steps one checkpoint may carry (the SDK sends one at a time by default). */
const MAX_CHECKPOINT_STEPS = 100;

/** A checkpoint the engine refuses: 400 for a body it cannot read, 409 for a stale claim. */
export class CheckpointError extends Error {
  constructor(
    readonly status: 400 | 409,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Stores the steps a checkpointing call ran (POST /v1/checkpoint/<runId>/async, body
 * `{ run_id, qi_id, steps: [StepRun ops] }`; INNGEST_PROTOCOL.md "Checkpointing"), each as the
 * step's final result, numbered in the order sent, with an `ok` attempt — what recording the
 * same ops from a call's answer would store — in one transaction (one round trip) that first
 * checks the fence: `qi_id` must still be the run's claim. Throws CheckpointError 409 when it
 * is not (another worker drives the run; the SDK stops, as on a stale dispatch) and 400 for a
 * body it cannot read. Only a new step or one waiting for its retry takes the result: one that
 * ended, sleeps, waits or invokes is left as it is. Returns the number of steps it carried.
 */
export async function recordCheckpoint(ctx: ServingContext, runId: string, body: unknown): Promise<number> {
  const record = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  const claimId = record.qi_id;
  const steps = record.steps;
  // Ids are the engine's own (a run's ULID, a claim's UUID, the SDK's hashed step ids): anything
  // else (empty, 100,000 characters, a NUL PostgreSQL cannot store) is refused before it
  // reaches a statement.
  if (!ENGINE_ID.test(runId) || typeof claimId !== 'string' || !ENGINE_ID.test(claimId) || !Array.isArray(steps) || (record.run_id !== undefined && record.run_id !== runId)) {
    throw new CheckpointError(400, 'a checkpoint needs run_id (this path\'s run), qi_id and a steps array');
  }
  const ops = steps as StepOp[];
  const readable = (op: unknown): op is StepOp => {
    if (typeof op !== 'object' || op === null) return false;
    const { id, op: code, name, displayName, opts } = op as Record<string, unknown>;
    return typeof id === 'string' && ENGINE_ID.test(id) && code === 'StepRun' && [name, displayName].every((text) => text === undefined || typeof text === 'string') && (opts === undefined || (typeof opts === 'object' && opts !== null && !Array.isArray(opts)));
  };
  const unreadable = ops.findIndex((op) => !readable(op));
  if (unreadable !== -1) throw new CheckpointError(400, `step ${unreadable} is not a StepRun op with an id of the SDK's form and string names`);
  if (ops.length > MAX_CHECKPOINT_STEPS) throw new CheckpointError(400, `at most ${MAX_CHECKPOINT_STEPS} steps per checkpoint`);
  const now = new Date(ctx.now());
  try {
    await transaction(ctx.pool, async (tx) => {
      tx.defer(fenceSql(runId, claimId));
      for (const op of ops) {
        const step = stepRowOf(op);
        tx.defer(
          `insert into inngest_engine.attempts (run_id, step_id, attempt, outcome, error, started_at, ended_at)
           select $1, $2, coalesce((select attempts from inngest_engine.steps where run_id = $1 and step_id = $2), 0), 'ok', null, $3, $3
            where not exists (select 1 from inngest_engine.steps where run_id = $1 and step_id = $2 and status <> 'retrying')`,
          [runId, op.id, now],
        );
        tx.defer(
          `${STEP_INSERT}
           values ($1, $2, $3, $4, 'completed', $5, $6, null, 0, (select coalesce(max(position), -1) + 1 from inngest_engine.steps where run_id = $1), null, null, $7, $7)
           on conflict (run_id, step_id) do update set status = 'completed', data = excluded.data, error = null, position = excluded.position, due_at = null, ended_at = excluded.ended_at
            where inngest_engine.steps.status = 'retrying'`,
          [runId, op.id, step.name, step.op, json(step.opts), json(op.data ?? null), now],
        );
      }
    });
  } catch (error) {
    if (errorMessage(error).includes(CLAIM_LOST)) throw new CheckpointError(409, `run ${runId} is no longer claimed by ${claimId}: another worker drives it`);
    throw error;
  }
  return ops.length;
}
