// Read-only views of the engine's tables, for the dashboard and for tests.
import type { Queryable } from './tx';
import type { EventPayload } from './runs';

export type RunStatus = 'queued' | 'running' | 'waiting' | 'completed' | 'failed' | 'cancelled';
export const RUN_STATUSES: RunStatus[] = ['queued', 'running', 'waiting', 'completed', 'failed', 'cancelled'];

export interface RunSummary {
  id: string;
  functionId: string;
  status: RunStatus;
  eventId: string | null;
  eventName: string;
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
}

const RUN_COLUMNS = 'id, function_id, status, event_internal_id, event, created_at, started_at, ended_at';

function toSummary(row: RunRow): RunSummary {
  return {
    id: row.id,
    functionId: row.function_id,
    status: row.status,
    eventId: row.event_internal_id,
    eventName: row.event.name,
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
  limit?: number;
}

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
  const { rows } = await db.query<RunRow & { output: unknown; error: unknown; parent_run_id: string | null }>(
    `select ${RUN_COLUMNS}, output, error, parent_run_id from inngest_engine.runs where id = $1`,
    [runId],
  );
  const run = rows[0];
  if (!run) return null;
  const { rows: steps } = await db.query<{
    step_id: string;
    name: string;
    op: string;
    status: string;
    opts: unknown;
    data: unknown;
    error: unknown;
    attempts: number;
    position: number | null;
    due_at: Date | null;
    child_run_id: string | null;
    started_at: Date;
    ended_at: Date | null;
  }>('select * from inngest_engine.steps where run_id = $1 order by started_at, position nulls last', [runId]);
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
