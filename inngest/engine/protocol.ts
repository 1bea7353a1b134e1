// One call to the app's serve endpoint, as Inngest makes it (INNGEST_PROTOCOL.md, "Call
// loop"), and what its answer means. Never sends `ctx.fn_id` (it would switch the SDK to
// checkpointing against an API we do not serve) nor `use_api: true`.
import { parseRetryAfter } from './duration';
import type { EventPayload, SerializedError } from './runs';

export interface StepOp {
  id: string;
  op: string;
  name?: string;
  displayName?: string;
  opts?: Record<string, unknown>;
  data?: unknown;
  error?: unknown;
  userland?: { id: string; index?: number };
}

export interface CallRequest {
  event: EventPayload;
  /** Memoized results by hashed step id, in the order they completed. */
  steps: { id: string; result: { data: unknown } | { error: unknown } }[];
  runId: string;
  attempt: number;
  maxAttempts: number;
  disableImmediateExecution: boolean;
  version: number;
}

export type CallResult =
  /** The function returned: the run is complete. */
  | { kind: 'complete'; data: unknown; version: number | null }
  /** Steps ran, failed or were found (206). */
  | { kind: 'ops'; ops: StepOp[]; retryAfterMs: number | null; version: number | null }
  /** The function itself threw, or the call failed at HTTP level. */
  | { kind: 'error'; error: SerializedError; retriable: boolean; retryAfterMs: number | null; version: number | null; unknownFunction: boolean }
  /** No answer at all: the app is down, restarting, or the call timed out. */
  | { kind: 'unreachable'; message: string };

/** The serve URL with `stepId` replaced (the synced URL carries `stepId=step`). */
export function stepUrl(functionUrl: string, stepId: string): string {
  const url = new URL(functionUrl);
  url.searchParams.set('stepId', stepId);
  return url.toString();
}

export function toSerializedError(body: unknown, fallback: string): SerializedError {
  if (typeof body === 'object' && body !== null && !Array.isArray(body)) {
    const record = body as Record<string, unknown>;
    const message = typeof record.message === 'string' ? record.message : typeof record.error === 'string' ? record.error : fallback;
    const error: SerializedError = { name: typeof record.name === 'string' && record.name ? record.name : 'Error', message };
    if (typeof record.stack === 'string') error.stack = record.stack;
    if (record.cause !== undefined) error.cause = record.cause;
    return error;
  }
  return { name: 'Error', message: typeof body === 'string' && body ? body : fallback };
}

export async function callFunction(url: string, request: CallRequest, options: { timeoutMs: number; abort: AbortSignal; now: number }): Promise<CallResult> {
  const body = {
    event: request.event,
    events: [request.event],
    steps: Object.fromEntries(request.steps.map((step) => [step.id, step.result])),
    ctx: {
      run_id: request.runId,
      attempt: request.attempt,
      max_attempts: request.maxAttempts,
      disable_immediate_execution: request.disableImmediateExecution,
      use_api: false,
      stack: { stack: request.steps.map((step) => step.id), current: request.steps.length },
    },
    version: request.version,
  };
  let response: Response;
  let text: string;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.any([options.abort, AbortSignal.timeout(options.timeoutMs)]),
    });
    text = await response.text();
  } catch (error) {
    if (options.abort.aborted) throw error;
    const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
    return { kind: 'unreachable', message: `${error instanceof Error ? error.message : String(error)}${cause}` };
  }
  const versionHeader = Number(response.headers.get('x-inngest-req-version'));
  const version = Number.isInteger(versionHeader) && response.headers.has('x-inngest-req-version') ? versionHeader : null;
  const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), options.now);
  let parsed: unknown = undefined;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    parsed = text;
  }
  if (response.status === 200) return { kind: 'complete', data: parsed ?? null, version };
  if (response.status === 206 && Array.isArray(parsed)) return { kind: 'ops', ops: parsed as StepOp[], retryAfterMs, version };
  const error = toSerializedError(parsed, `the app answered HTTP ${response.status}`);
  // The SDK marks final failures (NonRetriableError, last attempt, uncaught step failure).
  const retriable = response.headers.get('x-inngest-no-retry') !== 'true';
  const unknownFunction = response.status === 500 && /was not found in this app/.test(error.message);
  return { kind: 'error', error, retriable, retryAfterMs, version, unknownFunction };
}
