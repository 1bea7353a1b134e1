// A POST that Next.js reads as a server action call is answered 4xx, never 500, when its body is
// at fault. Next decodes such a body before any action runs, and answered 500 for one it could not
// decode — to anyone, before the action checked the caller (found by strangers: `xxx` as the body
// of a dashboard action, a broken multipart POST to `/`, a body over 1 MB). Installed at start-up,
// outside Next's server bundle (instrumentation.ts → server/startup.ts), as the other gate steps are.
import { randomUUID } from 'node:crypto';
import type http from 'node:http';
import { addGateStep, refuseAtGate } from '@/server/request-gate';

/** Next.js's default `serverActions.bodySizeLimit` (next.config.js sets none): 1 MB, in bytes. */
export const SERVER_ACTION_MAX_BODY_BYTES = 1024 * 1024;

/**
 * The request header, set by the gate and by nobody else, that names one server action call, so
 * that the action can say it ran (serverActionRan) from inside Next's bundle.
 */
export const SERVER_ACTION_CALL_HEADER = 'x-directpay-server-action-call';

/** The calls in flight by their header's value: whether an action has run. Shared through globalThis: the gate and the app's bundle each load this module. */
function calls(): Map<string, { ran: boolean }> {
  const key = Symbol.for('directpay.serverActionCalls');
  const holder = globalThis as { [key]?: Map<string, { ran: boolean }> };
  return (holder[key] ??= new Map());
}

/**
 * Does Next.js read this request as a possible server action call? As Next's own
 * getServerActionRequestMetadata: a POST with a `Next-Action` header, or of a form (multipart or
 * URL-encoded), to any path but the API's route handlers (`/api/…`), which read their own bodies.
 */
function possibleServerAction(request: http.IncomingMessage): boolean {
  if (request.method !== 'POST' || /^\/api(\/|$|\?)/.test(request.url ?? '')) return false;
  if (request.headers['next-action'] !== undefined) return true;
  return /^\s*(multipart\/form-data|application\/x-www-form-urlencoded)\s*(;|$)/i.test(request.headers['content-type'] ?? '');
}

/**
 * Called by a server action before anything else it does (the dashboard's, through
 * requireOperator): from here on, a 500 is the action's and stays one. `headerValue` is the
 * request's SERVER_ACTION_CALL_HEADER (null outside a server action call: nothing happens).
 */
export function serverActionRan(headerValue: string | null): void {
  const call = headerValue === null ? undefined : calls().get(headerValue);
  if (call) call.ran = true;
}

const UNREADABLE = JSON.stringify({ error: { code: 'BAD_REQUEST', message: 'The server action request could not be read' } });

/**
 * Makes `response` answer 400 with a JSON error instead of the 500 Next writes when no action
 * has run (serverActionRan): the only work before an action is decoding the caller's body
 * (React's decodeReply, the multipart parser), so its failure is the caller's. Next's own
 * headers and body are dropped; the security headers are the gate's.
 */
function badRequestWhenUndecodable(response: http.ServerResponse, call: { ran: boolean }): void {
  const { writeHead, write, end } = response;
  let replaced = false;
  const replaceIfUndecodable = (status: unknown): boolean => {
    if (!replaced && !response.headersSent && status === 500 && !call.ran) {
      replaced = true;
      for (const name of response.getHeaderNames()) response.removeHeader(name);
      writeHead.call(response, 400, { 'content-type': 'application/json', 'cache-control': 'no-store', 'content-length': Buffer.byteLength(UNREADABLE) });
      (end as (chunk: string) => http.ServerResponse).call(response, UNREADABLE);
    }
    return replaced;
  };
  const done = (args: unknown[]) => {
    const callback = args.find((arg) => typeof arg === 'function') as (() => void) | undefined;
    if (callback) process.nextTick(callback);
  };
  response.writeHead = function writeHeadOrRefuse(this: http.ServerResponse, ...args: unknown[]) {
    if (replaceIfUndecodable(args[0])) return this;
    return (writeHead as (...a: unknown[]) => http.ServerResponse).apply(this, args);
  } as typeof response.writeHead;
  response.write = function writeOrDrop(this: http.ServerResponse, ...args: unknown[]) {
    if (replaceIfUndecodable(this.statusCode)) return done(args), true;
    return (write as (...a: unknown[]) => boolean).apply(this, args);
  } as typeof response.write;
  response.end = function endOrDrop(this: http.ServerResponse, ...args: unknown[]) {
    if (replaceIfUndecodable(this.statusCode)) return done(args), this;
    return (end as (...a: unknown[]) => http.ServerResponse).apply(this, args);
  } as typeof response.end;
}

/**
 * Makes every HTTP server in this process check each possible server action call before Next.js
 * reads it:
 * - a body that declares no length (chunked) is 411: Next would read any amount of it, and a
 *   browser sends a length with every form and every action call;
 * - a declared length over SERVER_ACTION_MAX_BODY_BYTES is 413 (Next threw "Body exceeded 1 MB
 *   limit" and answered 500);
 * - otherwise the call is given its SERVER_ACTION_CALL_HEADER (a caller's own is replaced) and a
 *   500 written before any action ran is a 400 (badRequestWhenUndecodable).
 * Each refusal has the API's JSON error body. Idempotent.
 */
export function refuseUnreadableServerActions(): void {
  addGateStep('server action body', (request, response) => {
    delete request.headers[SERVER_ACTION_CALL_HEADER];
    if (!possibleServerAction(request)) return false;
    const declared = request.headers['content-length'];
    if (declared === undefined) return refuseAtGate(response, 411, { code: 'LENGTH_REQUIRED', message: 'A server action request must declare its Content-Length' });
    if (/^\d+$/.test(declared) && Number(declared) > SERVER_ACTION_MAX_BODY_BYTES) {
      return refuseAtGate(response, 413, { code: 'PAYLOAD_TOO_LARGE', message: `The request body is larger than ${SERVER_ACTION_MAX_BODY_BYTES / 1024 / 1024} MB` });
    }
    const id = randomUUID();
    const call = { ran: false };
    calls().set(id, call);
    response.once('close', () => calls().delete(id));
    request.headers[SERVER_ACTION_CALL_HEADER] = id;
    badRequestWhenUndecodable(response, call);
    return false;
  });
}
