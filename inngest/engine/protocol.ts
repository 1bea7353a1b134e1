// One call to the app's serve endpoint, as Inngest makes it (INNGEST_PROTOCOL.md, "Call
// loop"), signed with the signing key (signing.ts), and what its answer means. Sends
// `ctx.fn_id` and `ctx.qi_id` only when the call may checkpoint (`CallRequest.checkpoint`: the
// SDK then POSTs step results to the engine's /v1/checkpoint/<run>/async, server.ts), and never
// `use_api: true`.
import http from 'node:http';
import https from 'node:https';
import { unstorable } from './context';
import { parseRetryAfter } from './duration';
import { canonicalBody, signatureHeader } from './signing';
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
  /**
   * Lets the SDK run consecutive steps in this call, checkpointing each: `fnId` is sent as
   * `ctx.fn_id` (any id of the function; the SDK only sends it back) and `queueItemId` as
   * `ctx.qi_id`, the worker's claim on the run, which each checkpoint must still hold. Null: the
   * SDK answers after each step.
   */
  checkpoint: { fnId: string; queueItemId: string } | null;
}

/**
 * `appBusy`: the app answered `X-App-Busy: 1`, i.e. its own users' requests were in flight when
 * it answered (a DirectPay extension, not Inngest's: server/request-context.ts). The engine then
 * keeps one call in flight until an answer says otherwise (context.ts Semaphore).
 */
export type CallResult =
  /** The function returned: the run is complete. */
  | { kind: 'complete'; data: unknown; version: number | null; appBusy?: boolean }
  /** Steps ran, failed or were found (206). */
  | { kind: 'ops'; ops: StepOp[]; retryAfterMs: number | null; version: number | null; appBusy?: boolean }
  /** The function itself threw, or the call failed at HTTP level. */
  | { kind: 'error'; error: SerializedError; retriable: boolean; retryAfterMs: number | null; version: number | null; unknownFunction: boolean; appBusy?: boolean }
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
    const error: SerializedError = { name: typeof record.name === 'string' && record.name ? storableText(record.name) : 'Error', message: storableText(message) };
    if (typeof record.stack === 'string') error.stack = storableText(record.stack);
    if (record.cause !== undefined && !unstorable(record.cause)) error.cause = record.cause;
    return error;
  }
  return { name: 'Error', message: typeof body === 'string' && body ? storableText(body) : fallback };
}

/** `text` as PostgreSQL can store it: a NUL or a lone surrogate becomes U+FFFD (an error's words, not data the app reads back). */
function storableText(text: string): string {
  return text.replaceAll('\u0000', '\uFFFD').toWellFormed();
}

// node:http with a keep-alive agent: the engine makes one call per step, over reused connections.
const agents = { 'http:': new http.Agent({ keepAlive: true }), 'https:': new https.Agent({ keepAlive: true }) };

interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
}

function postJson(url: string, body: string, signature: string, requestId: string, timeoutMs: number, abort: AbortSignal): Promise<RawResponse> {
  const target = new URL(url);
  const transport = target.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const request = transport.request(
      target,
      {
        method: 'POST',
        agent: agents[target.protocol as 'http:' | 'https:'],
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'x-inngest-signature': signature, 'x-request-id': requestId },
        signal: abort,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          clearTimeout(timer);
          resolve({ status: response.statusCode ?? 0, headers: response.headers, text: Buffer.concat(chunks).toString('utf8') });
        });
        response.on('error', reject);
      },
    );
    const timer = setTimeout(() => request.destroy(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    request.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    request.end(body);
  });
}

function header(headers: http.IncomingHttpHeaders, name: string): string | null {
  const value = headers[name];
  return Array.isArray(value) ? (value[0] ?? null) : (value ?? null);
}

export async function callFunction(
  url: string,
  request: CallRequest,
  /** `requestId` goes as `X-Request-Id`: the app logs its line about the call under it. */
  options: { signingKey: string; requestId: string; timeoutMs: number; abort: AbortSignal; now: number },
): Promise<CallResult> {
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
      ...(request.checkpoint ? { fn_id: request.checkpoint.fnId, qi_id: request.checkpoint.queueItemId } : {}),
    },
    version: request.version,
  };
  let response: RawResponse;
  try {
    // The SDK checks the signature against the canonical form of what it parsed; send exactly that.
    const text = canonicalBody(body);
    response = await postJson(url, text, signatureHeader(text, options.signingKey), options.requestId, options.timeoutMs, options.abort);
  } catch (error) {
    if (options.abort.aborted) throw error;
    return { kind: 'unreachable', message: error instanceof Error ? error.message : String(error) };
  }
  const versionHeader = header(response.headers, 'x-inngest-req-version');
  const version = versionHeader !== null && Number.isInteger(Number(versionHeader)) ? Number(versionHeader) : null;
  const retryAfterMs = parseRetryAfter(header(response.headers, 'retry-after'), options.now);
  const appBusy = header(response.headers, 'x-app-busy') === '1';
  let parsed: unknown = undefined;
  try {
    parsed = response.text ? JSON.parse(response.text) : null;
  } catch {
    parsed = response.text;
  }
  // A result the engine could not store (a NUL, a lone surrogate, JSON nested past the limit)
  // fails the run at once: stored, it would fail every recording (the run retried every 10 s,
  // its steps run again each time) or every later call's signature (an app "unreachable" for
  // ever).
  // A failed step's error the engine cannot store (a NUL in its message; the SDK sends it as
  // `error` and again as `data`) is stored in words it can; its retries go on as for any error.
  if (response.status === 206 && Array.isArray(parsed)) {
    for (const op of parsed as StepOp[]) {
      if (!op || typeof op !== 'object' || (op.op !== 'StepError' && op.op !== 'StepFailed')) continue;
      if (unstorable(op.error)) op.error = toSerializedError(op.error, 'step failed');
      if (unstorable(op.data)) op.data = toSerializedError(op.data, 'step failed');
    }
  }
  const unusable = response.status === 200 || response.status === 206 ? unstorable(parsed) : null;
  if (unusable) {
    return { kind: 'error', error: { name: 'UnstorableResultError', message: `The app answered with a result the engine cannot store: ${unusable}` }, retriable: false, retryAfterMs: null, version, unknownFunction: false, appBusy };
  }
  if (response.status === 200) return { kind: 'complete', data: parsed ?? null, version, appBusy };
  if (response.status === 206 && Array.isArray(parsed)) return { kind: 'ops', ops: parsed as StepOp[], retryAfterMs, version, appBusy };
  const error = toSerializedError(parsed, `the app answered HTTP ${response.status}`);
  // The SDK marks final failures (NonRetriableError, last attempt, uncaught step failure).
  const retriable = header(response.headers, 'x-inngest-no-retry') !== 'true';
  const unknownFunction = response.status === 500 && /was not found in this app/.test(error.message);
  return { kind: 'error', error, retriable, retryAfterMs, version, unknownFunction, appBusy };
}
