// Read-only views of the engine's tables, for the dashboard and for tests.
import { concurrencyLimits, type FunctionConfig } from './config';
import { isFailureHandler, type EventPayload } from './runs';
import type { Queryable } from './tx';

export type RunStatus = 'queued' | 'running' | 'waiting' | 'completed' | 'failed' | 'cancelled';
export const RUN_STATUSES: RunStatus[] = ['queued', 'running', 'waiting', 'completed', 'failed', 'cancelled'];
/** The statuses of a run that has ended. */
export const ENDED_STATUSES: ReadonlySet<RunStatus> = new Set<RunStatus>(['completed', 'failed', 'cancelled']);

/** A row of `inngest_engine.steps`. */
export interface StepRow {
  step_id: string;
  name: string;
  op: string;
  status: 'retrying' | 'sleeping' | 'waiting' | 'invoking' | 'completed' | 'failed';
  opts: Record<string, unknown> | null;
  data: unknown;
  error: unknown;
  attempts: number;
  position: number | null;
  due_at: Date | null;
  child_run_id: string | null;
  started_at: Date;
  ended_at: Date | null;
}

/**
 * What a completed run's output reports about the thing it worked on, so an operator sees a
 * failed payment in a list of green "Completed" runs: the function did complete, but the
 * payment it settled failed. Read from an output object by convention (runResultOf).
 */
export interface RunResult {
  /** The output's `status` (e.g. `FAILED`, `COMPLETED`), else its `outcome` when a string, else `FAILED`/`OK` from `outcome.ok`. */
  status: string;
  /** What the status is about: `payment` when the output names a `paymentId`, `lease` for a `leaseId`, else null. */
  subject: 'payment' | 'lease' | null;
  /** The failure's code (a bank's return or ISO code such as AC04), from `outcome.code` or `code`. */
  code: string | null;
  /** The failure's reason in words, from `outcome.reason` or `reason`. */
  reason: string | null;
  /** True when the output reports a failure: `outcome.ok` false, or a status in FAILURE_STATUSES. */
  failed: boolean;
}

/** Output statuses that mean the work failed (compared case-insensitively). */
const FAILURE_STATUSES = new Set(['FAILED', 'FAILURE', 'ERROR', 'RETURNED', 'REJECTED', 'DECLINED', 'DEFAULTED']);

/**
 * The fields of a completed run's output that runResultOf reads, projected in SQL so a list
 * never loads a large output: an object of at most these keys, or null.
 */
const RESULT_FIELDS_SQL = `case when status = 'completed' and jsonb_typeof(output) = 'object' then jsonb_strip_nulls(jsonb_build_object(
    'status', output->'status', 'outcome', output->'outcome', 'code', output->'code', 'reason', output->'reason',
    'paymentId', output->'paymentId', 'leaseId', output->'leaseId')) end as result_fields`;

const textOf = (value: unknown): string | null => (typeof value === 'string' && value.trim() ? value : null);

/**
 * What a completed run's output reports (RunResult), or null when it reports nothing this
 * reads: an output that is not an object, or carries no `status` and no `outcome`.
 */
export function runResultOf(output: unknown): RunResult | null {
  if (!output || typeof output !== 'object' || Array.isArray(output)) return null;
  const fields = output as Record<string, unknown>;
  const outcome = fields.outcome && typeof fields.outcome === 'object' && !Array.isArray(fields.outcome) ? (fields.outcome as Record<string, unknown>) : null;
  const ok = typeof outcome?.ok === 'boolean' ? outcome.ok : null;
  const status = textOf(fields.status) ?? textOf(fields.outcome) ?? (ok === null ? null : ok ? 'OK' : 'FAILED');
  if (!status) return null;
  return {
    status,
    subject: textOf(fields.paymentId) ? 'payment' : textOf(fields.leaseId) ? 'lease' : null,
    code: textOf(outcome?.code) ?? textOf(fields.code),
    reason: textOf(outcome?.reason) ?? textOf(fields.reason),
    failed: ok === false || FAILURE_STATUSES.has(status.toUpperCase()),
  };
}

export interface RunSummary {
  id: string;
  functionId: string;
  status: RunStatus;
  /** A completed run's reported result (runResultOf); null for other runs and outputs that report none. */
  result: RunResult | null;
  eventId: string | null;
  eventName: string;
  /** The triggering event's data (for links to what the run concerns). */
  eventData: unknown;
  createdAt: Date;
  startedAt: Date | null;
  endedAt: Date | null;
}

export interface StepView {
  id: string;
  name: string;
  op: string;
  status: string;
  input: unknown;
  output: unknown;
  error: unknown;
  attempts: number;
  position: number | null;
  dueAt: Date | null;
  childRunId: string | null;
  startedAt: Date;
  endedAt: Date | null;
}

export interface AttemptView {
  stepId: string | null;
  attempt: number;
  outcome: 'ok' | 'error' | 'failed';
  error: unknown;
  startedAt: Date;
  endedAt: Date;
}

export interface RunTrace extends RunSummary {
  event: EventPayload;
  output: unknown;
  error: unknown;
  parentRunId: string | null;
  /** The run an operator reran to start this one, or null. */
  rerunOfRunId: string | null;
  /** Runs an operator started by rerunning this one, oldest first. */
  rerunRunIds: string[];
  steps: StepView[];
  attempts: AttemptView[];
}

interface RunRow {
  id: string;
  function_id: string;
  status: RunStatus;
  event_internal_id: string | null;
  event: EventPayload;
  created_at: Date;
  started_at: Date | null;
  ended_at: Date | null;
  result_fields: unknown;
}

const RUN_COLUMNS = `id, function_id, status, event_internal_id, event, created_at, started_at, ended_at, ${RESULT_FIELDS_SQL}`;

function toSummary(row: RunRow): RunSummary {
  return {
    id: row.id,
    functionId: row.function_id,
    status: row.status,
    result: runResultOf(row.result_fields),
    eventId: row.event_internal_id,
    eventName: row.event.name,
    eventData: row.event.data,
    createdAt: row.created_at,
    startedAt: row.started_at,
    endedAt: row.ended_at,
  };
}

export interface RunFilter {
  functionId?: string;
  status?: RunStatus;
  from?: Date;
  to?: Date;
  /** Only runs created before this one (paging, newest first). */
  beforeId?: string;
  /**
   * Only runs whose triggering event names one of these ids as `paymentId`, `leaseId` or
   * `installmentId`, in its data or in the event an `inngest/function.*` event carries (the runs
   * about one payment or lease; the app's dashboard widens a lease to its payments and
   * installments, inngest/dashboard.ts).
   */
  concerns?: string | string[];
  limit?: number;
}

/** The fields of an event's data that name what its runs concern (RunFilter.concerns). */
const CONCERN_KEYS = ['paymentId', 'leaseId', 'installmentId'] as const;

export async function listRuns(db: Queryable, filter: RunFilter = {}): Promise<RunSummary[]> {
  const conditions: string[] = [];
  const params: unknown[] = [];
  const add = (sql: string, value: unknown) => {
    params.push(value);
    conditions.push(sql.replace('?', `$${params.length}`));
  };
  if (filter.functionId) add('function_id = ?', filter.functionId);
  if (filter.status) add('status = ?', filter.status);
  if (filter.from) add('created_at >= ?', filter.from);
  if (filter.to) add('created_at < ?', filter.to);
  if (filter.beforeId) add('id < ?', filter.beforeId);
  const concerns = ([] as string[]).concat(filter.concerns ?? []);
  if (concerns.length) {
    const named = CONCERN_KEYS.flatMap((key) => [`event->'data'->>'${key}'`, `event->'data'->'event'->'data'->>'${key}'`]);
    add(`array[${named.join(', ')}] && ?::text[]`, concerns);
  }
  params.push(Math.min(filter.limit ?? 50, 500));
  const { rows } = await db.query<RunRow>(
    `select ${RUN_COLUMNS} from inngest_engine.runs ${conditions.length ? `where ${conditions.join(' and ')}` : ''}
      order by created_at desc, id desc limit $${params.length}`,
    params,
  );
  return rows.map(toSummary);
}

/** Runs started by the event(s) carrying this id (the id functions see). */
export async function runsForEvent(db: Queryable, eventId: string): Promise<RunSummary[]> {
  const { rows } = await db.query<RunRow>(
    `select ${RUN_COLUMNS} from inngest_engine.runs
      where event_internal_id in (select internal_id from inngest_engine.events where id = $1)
      order by created_at, id`,
    [eventId],
  );
  return rows.map(toSummary);
}

export async function getRunTrace(db: Queryable, runId: string): Promise<RunTrace | null> {
  const { rows } = await db.query<RunRow & { output: unknown; error: unknown; parent_run_id: string | null; rerun_of_run_id: string | null; rerun_run_ids: string[] }>(
    `select ${RUN_COLUMNS}, output, error, parent_run_id, rerun_of_run_id,
            array(select rerun.id from inngest_engine.runs rerun where rerun.rerun_of_run_id = runs.id order by rerun.id) as rerun_run_ids
       from inngest_engine.runs where id = $1`,
    [runId],
  );
  const run = rows[0];
  if (!run) return null;
  const { rows: steps } = await db.query<StepRow>('select * from inngest_engine.steps where run_id = $1 order by started_at, position nulls last', [runId]);
  const { rows: attempts } = await db.query<{ step_id: string | null; attempt: number; outcome: AttemptView['outcome']; error: unknown; started_at: Date; ended_at: Date }>(
    'select step_id, attempt, outcome, error, started_at, ended_at from inngest_engine.attempts where run_id = $1 order by id',
    [runId],
  );
  return {
    ...toSummary(run),
    event: run.event,
    output: run.output,
    error: run.error,
    parentRunId: run.parent_run_id,
    rerunOfRunId: run.rerun_of_run_id,
    rerunRunIds: run.rerun_run_ids,
    steps: steps.map((step) => ({
      id: step.step_id,
      name: step.name,
      op: step.op,
      status: step.status,
      input: step.opts,
      output: step.data,
      error: step.error,
      attempts: step.attempts,
      position: step.position,
      dueAt: step.due_at,
      childRunId: step.child_run_id,
      startedAt: step.started_at,
      endedAt: step.ended_at,
    })),
    attempts: attempts.map((attempt) => ({
      stepId: attempt.step_id,
      attempt: attempt.attempt,
      outcome: attempt.outcome,
      error: attempt.error,
      startedAt: attempt.started_at,
      endedAt: attempt.ended_at,
    })),
  };
}

export interface EventView {
  internalId: string;
  id: string;
  name: string;
  payload: EventPayload;
  receivedAt: Date;
  runCount: number;
}

interface EventRow {
  internal_id: string;
  id: string;
  name: string;
  payload: EventPayload;
  received_at: Date;
  run_count: number;
}

function toEventView(row: EventRow): EventView {
  return { internalId: row.internal_id, id: row.id, name: row.name, payload: row.payload, receivedAt: row.received_at, runCount: row.run_count };
}

const EVENT_COLUMNS = `e.internal_id, e.id, e.name, e.payload, e.received_at,
  (select count(*)::int from inngest_engine.runs r where r.event_internal_id = e.internal_id) as run_count`;

/** The event stream, newest first; `beforeId` pages on (internal ids sort by time). */
export interface EventFilter {
  name?: string;
  /** Event names to leave out (e.g. the `inngest/function.finished` that ends every run). */
  excludeNames?: string[];
  beforeId?: string;
  limit?: number;
}

export async function listEvents(db: Queryable, filter: EventFilter = {}): Promise<EventView[]> {
  const conditions: string[] = [];
  const params: unknown[] = [];
  if (filter.name) {
    params.push(filter.name);
    conditions.push(`e.name = $${params.length}`);
  }
  if (filter.excludeNames?.length) {
    params.push(filter.excludeNames);
    conditions.push(`e.name <> all($${params.length})`);
  }
  if (filter.beforeId) {
    params.push(filter.beforeId);
    conditions.push(`e.internal_id < $${params.length}`);
  }
  params.push(Math.min(filter.limit ?? 50, 500));
  const { rows } = await db.query<EventRow>(
    `select ${EVENT_COLUMNS} from inngest_engine.events e ${conditions.length ? `where ${conditions.join(' and ')}` : ''}
      order by e.received_at desc, e.internal_id desc limit $${params.length}`,
    params,
  );
  return rows.map(toEventView);
}

export async function getEvent(db: Queryable, internalId: string): Promise<(EventView & { runs: RunSummary[] }) | null> {
  const { rows } = await db.query<EventRow>(`select ${EVENT_COLUMNS} from inngest_engine.events e where e.internal_id = $1`, [internalId]);
  const row = rows[0];
  if (!row) return null;
  const { rows: runs } = await db.query<RunRow>(`select ${RUN_COLUMNS} from inngest_engine.runs where event_internal_id = $1 order by created_at, id`, [internalId]);
  return { ...toEventView(row), runs: runs.map(toSummary) };
}

export interface FunctionView {
  id: string;
  name: string;
  /** Trigger event names with their `if` filter, and cron schedules. */
  triggers: ({ event: string; expression?: string } | { cron: string })[];
  retries: number;
  concurrency: { limit: number; key?: string; scope?: string }[];
  idempotency?: string;
  cancelOn: { event: string; if?: string; timeout?: string }[];
  isFailureHandler: boolean;
}

export interface AppView {
  id: string;
  url: string;
  framework: string | null;
  sdk: string | null;
  syncedAt: Date;
  functions: FunctionView[];
}

/** Synced apps and their functions as registered (configs were validated at sync). */
export async function listApps(db: Queryable): Promise<AppView[]> {
  const { rows: apps } = await db.query<{ id: string; url: string; framework: string | null; sdk: string | null; synced_at: Date }>(
    'select id, url, framework, sdk, synced_at from inngest_engine.apps order by id',
  );
  const { rows: functions } = await db.query<{ id: string; app_id: string; name: string; max_attempts: number; config: FunctionConfig }>(
    'select id, app_id, name, max_attempts, config from inngest_engine.functions order by name',
  );
  return apps.map((app) => ({
    id: app.id,
    url: app.url,
    framework: app.framework,
    sdk: app.sdk,
    syncedAt: app.synced_at,
    functions: functions
      .filter((fn) => fn.app_id === app.id)
      .map((fn) => ({
        id: fn.id,
        name: fn.name,
        triggers: fn.config.triggers,
        retries: fn.max_attempts - 1,
        concurrency: concurrencyLimits(fn.config.concurrency),
        idempotency: fn.config.idempotency,
        cancelOn: fn.config.cancel ?? [],
        isFailureHandler: isFailureHandler(fn.config),
      })),
  }));
}

/** The actions operator_actions records (operator.ts), as its `action` column spells them. */
export type OperatorActionName = 'send-event' | 'invoke' | 'cancel' | 'rerun';

/** A row of operator_actions: who did what from the dashboard, on what, and what it made. */
export interface OperatorActionView {
  id: string;
  at: Date;
  operatorId: string;
  operatorEmail: string;
  action: OperatorActionName;
  runId: string | null;
  functionId: string | null;
  eventName: string | null;
  newRunIds: string[];
  eventIds: string[];
}

/** The most recent operator actions, newest first (at most `limit`, up to 200). */
export async function listOperatorActions(db: Queryable, limit = 20): Promise<OperatorActionView[]> {
  const { rows } = await db.query<{
    id: string;
    at: Date;
    operator_id: string;
    operator_email: string;
    action: OperatorActionName;
    run_id: string | null;
    function_id: string | null;
    event_name: string | null;
    new_run_ids: string[];
    event_ids: string[];
  }>(
    `select id::text, at, operator_id, operator_email, action, run_id, function_id, event_name, new_run_ids, event_ids
       from inngest_engine.operator_actions order by at desc, id desc limit $1`,
    [Math.min(Math.max(1, limit), 200)],
  );
  return rows.map((row) => ({
    id: row.id,
    at: row.at,
    operatorId: row.operator_id,
    operatorEmail: row.operator_email,
    action: row.action,
    runId: row.run_id,
    functionId: row.function_id,
    eventName: row.event_name,
    newRunIds: row.new_run_ids,
    eventIds: row.event_ids,
  }));
}
