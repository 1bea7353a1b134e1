// A POST that Next.js reads as a server action call is answered 4xx, never 500, when its body is
// at fault. Next decodes such a body before any action runs, and answered 500 for one it could not
// decode — to anyone, before the action checked the caller (found by strangers: `xxx` as the body
// of a dashboard action, a broken multipart POST to `/`, a body over 1 MB). Installed at start-up,
// outside Next's server bundle (instrumentation.ts → server/startup.ts), as the other gate steps are.
import { randomUUID } from 'node:crypto';
import type http from 'node:http';
import { addGateStep, declaredLength, refuseAtGate } from '@/server/request-gate';
import { bodyTooLargeMessage } from '@/server/api/limits';
import { resolvedPath } from '@/server/url-path';

/** Next.js's default `serverActions.bodySizeLimit` (next.config.js sets none): 1 MB, in bytes. */
export const SERVER_ACTION_MAX_BODY_BYTES = 1024 * 1024;

/**
 * The request header, set by the gate and by nobody else, that names one server action call, so
 * that the action can say it ran (serverActionRan) from inside Next's bundle.
 */
export const SERVER_ACTION_CALL_HEADER = 'x-directpay-server-action-call';

/**
 * One server action call: whether an action has run, and whether Next failed to decode its body
 * in a forwarded request (below).
 */
interface Call {
  ran: boolean;
  undecodable: boolean;
}

/** The calls in flight by their header's value. Shared through globalThis: the gate and the app's bundle each load this module. */
function calls(): Map<string, Call> {
  const key = Symbol.for('directpay.serverActionCalls');
  const holder = globalThis as { [key]?: Map<string, Call> };
  return (holder[key] ??= new Map());
}

/**
 * Does Next.js read this request as a possible server action call? Its own rule
 * (getServerActionRequestMetadata in next/dist/server/lib/server-action-request-meta.js), to the
 * letter: a POST with a `Next-Action` header, of exactly `application/x-www-form-urlencoded`, or of
 * a type that starts with `multipart/form-data` (`multipart/form-datax` too: found by a stranger).
 * Whatever the path: every path that is not a route handler is a page to Next, its 404 page
 * included (`/api`, `/api/%2e%2e/`: found by a stranger). Only next-auth's forms, under
 * `/api/auth/` once the path is resolved as Next resolves it, are a route handler's to read.
 */
function possibleServerAction(request: http.IncomingMessage): boolean {
  if (request.method !== 'POST') return false;
  const type = request.headers['content-type'];
  const possible = request.headers['next-action'] !== undefined || type === 'application/x-www-form-urlencoded' || (type?.startsWith('multipart/form-data') ?? false);
  return possible && !resolvedPath(request.url).startsWith('/api/auth/');
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

/** `response`'s own writeHead and end, to answer with in place of what was about to be written. */
type Answer = { writeHead: (status: number, headers: http.OutgoingHttpHeaders) => void; end: (body: string) => void };

/**
 * Calls `onHead(status, answer)` as `response`'s head is about to be written, however it is
 * written (writeHead, write, end, flushHeaders). When it returns true it has answered with
 * `answer`, and what was to be written is dropped.
 */
function beforeHead(response: http.ServerResponse, onHead: (status: number, answer: Answer) => boolean): void {
  const { writeHead, write, end } = response;
  const answer: Answer = {
    writeHead: (status, headers) => void (writeHead as (...a: unknown[]) => unknown).call(response, status, headers),
    end: (body) => void (end as (...a: unknown[]) => unknown).call(response, body),
  };
  let replaced = false;
  const decide = (status: unknown) => (replaced ||= !response.headersSent && typeof status === 'number' && onHead(status, answer));
  const done = (args: unknown[]) => {
    const callback = args.find((arg) => typeof arg === 'function') as (() => void) | undefined;
    if (callback) process.nextTick(callback);
  };
  response.writeHead = function writeHeadOrRefuse(this: http.ServerResponse, ...args: unknown[]) {
    if (decide(args[0])) return this;
    return (writeHead as (...a: unknown[]) => http.ServerResponse).apply(this, args);
  } as typeof response.writeHead;
  response.write = function writeOrDrop(this: http.ServerResponse, ...args: unknown[]) {
    if (decide(this.statusCode)) return done(args), true;
    return (write as (...a: unknown[]) => boolean).apply(this, args);
  } as typeof response.write;
  response.end = function endOrDrop(this: http.ServerResponse, ...args: unknown[]) {
    if (decide(this.statusCode)) return done(args), this;
    return (end as (...a: unknown[]) => http.ServerResponse).apply(this, args);
  } as typeof response.end;
}

/**
 * Makes `response` answer 400 with a JSON error instead of the 500 Next writes when no action
 * has run (serverActionRan): the only work before an action is decoding the caller's body
 * (React's decodeReply, the multipart parser), so its failure is the caller's. The same when
 * Next forwarded the call to another page and failed to decode it there (`undecodable`). Next's
 * own headers and body are dropped; the security headers are the gate's.
 */
function badRequestWhenUndecodable(response: http.ServerResponse, call: Call): void {
  beforeHead(response, (status, answer) => {
    if (call.ran || (status !== 500 && !call.undecodable)) return false;
    // Next's headers go; the gate's `Connection: close` (a stopping server, an Expect request) stays.
    for (const name of response.getHeaderNames()) if (name !== 'connection') response.removeHeader(name);
    answer.writeHead(400, { 'content-type': 'application/json', 'cache-control': 'no-store', 'content-length': Buffer.byteLength(UNREADABLE) });
    answer.end(UNREADABLE);
    return true;
  });
}

/**
 * For a call Next forwarded to the page that has its action: its answer goes back to Next, which
 * answers the first request, so it is left as Next wrote it; a 500 before any action ran marks
 * the call `undecodable` for the first request's answer (badRequestWhenUndecodable).
 */
function noteUndecodable(response: http.ServerResponse, call: Call): void {
  beforeHead(response, (status) => {
    if (status === 500 && !call.ran) call.undecodable = true;
    return false;
  });
}

/**
 * Makes every HTTP server in this process check each possible server action call before Next.js
 * reads it:
 * - a body that declares no length (chunked) is 411: Next would read any amount of it, and a
 *   browser sends a length with every form and every action call (Next's own forwarding of a
 *   call to another page, which streams it, is the same call and checked already);
 * - a declared length over SERVER_ACTION_MAX_BODY_BYTES is 413 (Next threw "Body exceeded 1 MB
 *   limit" and answered 500);
 * - otherwise the call is given its SERVER_ACTION_CALL_HEADER (a caller's own is replaced) and a
 *   500 written before any action ran is a 400 (badRequestWhenUndecodable).
 * Each refusal has the API's JSON error body. Idempotent.
 */
export function refuseUnreadableServerActions(): void {
  addGateStep('server action body', (request, response) => {
    const given = request.headers[SERVER_ACTION_CALL_HEADER];
    delete request.headers[SERVER_ACTION_CALL_HEADER];
    if (!possibleServerAction(request)) return false;
    // Next forwards a call to the page that has its action with the first request's headers, this
    // one among them: a call in flight that this gate has checked (its length too), which no
    // caller can name. It is the same call.
    const forwarded = typeof given === 'string' ? calls().get(given) : undefined;
    if (forwarded) {
      request.headers[SERVER_ACTION_CALL_HEADER] = given;
      noteUndecodable(response, forwarded);
      return false;
    }
    if (request.headers['content-length'] === undefined) {
      return refuseAtGate(response, 411, { code: 'LENGTH_REQUIRED', message: 'A server action request must declare its Content-Length' });
    }
    if ((declaredLength(request) ?? 0) > SERVER_ACTION_MAX_BODY_BYTES) {
      return refuseAtGate(response, 413, { code: 'PAYLOAD_TOO_LARGE', message: bodyTooLargeMessage(SERVER_ACTION_MAX_BODY_BYTES) });
    }
    const id = randomUUID();
    const call: Call = { ran: false, undecodable: false };
    calls().set(id, call);
    response.once('close', () => calls().delete(id));
    request.headers[SERVER_ACTION_CALL_HEADER] = id;
    badRequestWhenUndecodable(response, call);
    return false;
  });
}
