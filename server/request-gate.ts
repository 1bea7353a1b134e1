// Every request the process's HTTP servers receive passes these steps, in the order they were
// added, before Next.js sees it. Added once at start-up (instrumentation.ts → server/startup.ts),
// outside Next's server bundle: what Next would mishandle is put right, or answered, here.
// The steps: the socket peer into X-Forwarded-For (server/client-address.ts), the request-target
// read (absolute-form to a path, undecodable percent-escapes taken literally; server/url-path.ts),
// methods no path serves refused (server/http-methods.ts). And once the process is stopping, every connection is closed as
// soon as it is idle (closeConnectionsWhenStopping). What Next does for a request runs in its
// note's context, so a page that failed for a database outage is answered 503 (noteOutageAtGate).
// Every answer the process writes carries the security headers (server/security-headers.js):
// pages get theirs from proxy.ts (with a CSP nonce) and API routes from next.config.js; what
// neither sets — the gate's own refusals, `OPTIONS *`, Next's own redirects and errors, the
// parser's 400/431 — gets the API answer's set here, each header only where none was set.
import { AsyncLocalStorage } from 'node:async_hooks';
import http from 'node:http';
import type net from 'node:net';
import { isHttpsSite, securityHeaders } from '@/server/security-headers';

/** A step: may change the request; returns true when it has answered it, and then no later step, nor Next, sees it. */
export type GateStep = (request: http.IncomingMessage, response: http.ServerResponse) => boolean | void;

const GATE = Symbol.for('directpay.requestGate');

/** The servers that have accepted a connection, and whether the process is stopping (closeConnectionsWhenStopping). */
const served = new Set<http.Server>();
let stopping = false;

type GatedServer = http.Server & { [GATE]?: Map<string, GateStep> };

/** The gate's own `checkContinue` listener: its presence makes Node ask before inviting a body; the gate answers the event itself. */
function inviteThroughGate(): void {}
/** The gate's own `checkExpectation` listener, for the same reason: Node's answer to an `Expect` other than 100-continue is a bare 417. */
function refuseExpectationAtGate(): void {}

/** The gate's steps by name, the gate installed on http.Server on first use. */
function steps(): Map<string, GateStep> {
  const prototype = http.Server.prototype as GatedServer;
  const installed = prototype[GATE];
  if (installed) return installed;
  const added = new Map<string, GateStep>();
  const emit = prototype.emit as (this: http.Server, event: string | symbol, ...args: unknown[]) => boolean;
  /** The steps for one request; null when one of them answered it, else the request's note for the app (noteOutageAtGate). */
  const answeredAtGate = (request: http.IncomingMessage, response: http.ServerResponse): GateNote | null => {
    const note: GateNote = {};
    withGateHead(response, note);
    // The answer tells the client not to send on this connection again.
    if (stopping) response.setHeader('connection', 'close');
    for (const step of added.values()) {
      if (step(request, response) === true) {
        request.resume(); // an answered request's body is read and dropped, so the connection can be reused
        return null;
      }
    }
    return note;
  };
  /**
   * On to Next, with the request's note as the context of everything Next does for a page or
   * server action. API routes answer their own outages (server/request-context.ts) and Next's
   * static files read no database: they go on without one, so their promises carry no context of
   * ours (on node 20 each AsyncLocalStorage in use costs every promise a little).
   */
  const toApp = (server: http.Server, note: GateNote, request: http.IncomingMessage, response: http.ServerResponse) =>
    NO_NOTE_PATHS.test(servedPath(request.url)) ? emit.call(server, 'request', request, response) : notes.run(note, () => emit.call(server, 'request', request, response));
  prototype.emit = function emitThroughGate(this: http.Server, event: string | symbol, ...args: unknown[]) {
    if (event === 'connection') {
      served.add(this);
      // Node asks a server with a listener before it invites an `Expect: 100-continue` body.
      if (this.listenerCount('checkContinue') === 0) this.on('checkContinue', inviteThroughGate);
      if (this.listenerCount('checkExpectation') === 0) this.on('checkExpectation', refuseExpectationAtGate);
    }
    if (event === 'clientError') return answerClientError(...(args as [Error & { code?: string }, net.Socket]));
    if (event === 'request') {
      const [request, response] = args as [http.IncomingMessage, http.ServerResponse];
      const note = answeredAtGate(request, response);
      return note ? toApp(this, note, request, response) : true;
    }
    if (event === 'checkContinue' && this.listeners('checkContinue').every((listener) => listener === inviteThroughGate)) {
      // A request that waits for `100 Continue` before sending its body: a step's refusal (a 413
      // for a body too large) is the answer instead, so the body is never sent (found by a
      // stranger: Node invited it, then the 413 came); otherwise invited, and on to the app.
      // Its connection is not reused: a client refused may send the body all the same.
      const [request, response] = args as [http.IncomingMessage, http.ServerResponse];
      response.setHeader('connection', 'close');
      const note = answeredAtGate(request, response);
      if (!note) return true;
      response.writeContinue();
      return toApp(this, note, request, response);
    }
    if (event === 'checkExpectation' && this.listeners('checkExpectation').every((listener) => listener === refuseExpectationAtGate)) {
      // An `Expect` this server does not meet (RFC 9110 §10.1.1: 417): with the security headers
      // and a JSON error, where Node answered an empty 417 with none (found by a stranger).
      const [request, response] = args as [http.IncomingMessage, http.ServerResponse];
      withGateHead(response, {});
      response.setHeader('connection', 'close');
      request.resume();
      return refuseAtGate(response, 417, { code: 'EXPECTATION_FAILED', message: 'The only Expect this server meets is 100-continue' });
    }
    return emit.call(this, event, ...args);
  } as typeof prototype.emit;
  prototype[GATE] = added;
  return added;
}

let defaults: { key: string; headers: [string, string][] } | undefined;

/** The security headers of an answer that set none of its own (an API answer's: no scripts, nothing framed); made once per setting. */
function defaultSecurityHeaders(): [string, string][] {
  const key = `${process.env.NODE_ENV} ${process.env.NEXTAUTH_URL}`;
  if (defaults?.key !== key) {
    defaults = { key, headers: Object.entries(securityHeaders({ development: process.env.NODE_ENV === 'development', https: isHttpsSite(process.env.NEXTAUTH_URL) })) };
  }
  return defaults.headers;
}

/** Has `headers` (writeHead's argument: an object or a flat [name, value, …] list) a header `name` (lower case)? */
function named(headers: unknown, name: string): boolean {
  if (Array.isArray(headers)) return headers.some((entry, index) => (Array.isArray(entry) ? String(entry[0]).toLowerCase() === name : index % 2 === 0 && String(entry).toLowerCase() === name));
  return !!headers && typeof headers === 'object' && Object.keys(headers).some((key) => key.toLowerCase() === name);
}

/**
 * What the app found out about a request while answering it that changes its head. Kept per
 * request in an AsyncLocalStorage whose context is everything Next does for the request (the
 * one instance on globalThis, should this module be bundled twice).
 */
interface GateNote {
  /** The database could not be used (noteOutageAtGate): a 500 goes out as 503 with this Retry-After (s). */
  outageRetryAfterSeconds?: number;
}
const NOTES = Symbol.for('directpay.requestGate.notes');
/** Paths whose requests need no note: the API routes and Next's static files. */
const NO_NOTE_PATHS = /^\/(api|_next\/static)\//;

/**
 * The path Next serves for a request-target: dot segments resolved, `%2e` among them, as Next
 * resolves them (found by a stranger: `/api/../renter` is the /renter page, and went un-noted).
 */
function servedPath(target: string | undefined): string {
  try {
    return new URL(target ?? '/', 'http://gate').pathname;
  } catch {
    return target ?? '/';
  }
}
const notes: AsyncLocalStorage<GateNote> = ((globalThis as { [NOTES]?: AsyncLocalStorage<GateNote> })[NOTES] ??= new AsyncLocalStorage<GateNote>());

/**
 * Says that the request being answered failed because the database could not be used, so that a
 * 500 Next writes for it goes out as 503 Service Unavailable with `Retry-After` (a page or server
 * action whose render threw: Next answers those 500 itself and no Next API sets their status
 * from the error; the API routes answer their own 503, server/request-context.ts). Called from
 * Next's onRequestError (instrumentation.ts → server/startup.ts). Returns false outside a request
 * that came through the gate.
 */
export function noteOutageAtGate(retryAfterSeconds: number): boolean {
  const note = notes.getStore();
  if (!note) return false;
  note.outageRetryAfterSeconds = retryAfterSeconds;
  return true;
}

/**
 * Makes `response`, as its head is written, fill in each security header that nobody set, and
 * answer a 500 of a request noted as an outage (noteOutageAtGate) as 503 with Retry-After.
 */
function withGateHead(response: http.ServerResponse, note: GateNote): void {
  const writeHead = response.writeHead;
  response.writeHead = function writeGateHead(this: http.ServerResponse, ...args: unknown[]) {
    if (args[0] === 500 && note.outageRetryAfterSeconds !== undefined) {
      args[0] = 503;
      if (typeof args[1] === 'string') args[1] = http.STATUS_CODES[503];
      if (!this.hasHeader('retry-after')) this.setHeader('retry-after', String(note.outageRetryAfterSeconds));
    }
    const headers = args.find((arg, index) => index > 0 && typeof arg === 'object' && arg !== null);
    for (const [name, value] of defaultSecurityHeaders()) {
      const lower = name.toLowerCase();
      if (!this.hasHeader(lower) && !named(headers, lower)) this.setHeader(name, value);
    }
    return (writeHead as (...a: unknown[]) => http.ServerResponse).apply(this, args);
  } as typeof response.writeHead;
}

/**
 * What Node's parser answers a request it could not read (a header block over its limit, a
 * malformed request line), with the security headers and the API's error body: 431 for headers
 * too large, 413 for chunk extensions too large, 408 for a request not received in time, 400
 * otherwise; as Node does (socketOnError), nothing when the connection is gone or has already
 * carried an answer, and the connection is closed.
 */
function answerClientError(error: Error & { code?: string }, socket: net.Socket): true {
  if (socket.writable && socket.bytesWritten === 0 && error.code !== 'ECONNRESET') {
    const [status, code] =
      error.code === 'HPE_HEADER_OVERFLOW'
        ? [431, 'REQUEST_HEADER_FIELDS_TOO_LARGE']
        : error.code === 'HPE_CHUNK_EXTENSIONS_OVERFLOW'
          ? [413, 'PAYLOAD_TOO_LARGE']
          : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
            ? [408, 'TIMEOUT']
            : [400, 'BAD_REQUEST'];
    const body = JSON.stringify({ error: { code, message: `${http.STATUS_CODES[status]}: the request could not be read` } });
    const head = [
      `HTTP/1.1 ${status} ${http.STATUS_CODES[status]}`,
      'Connection: close',
      'Content-Type: application/json',
      'Cache-Control: no-store',
      `Content-Length: ${Buffer.byteLength(body)}`,
      ...defaultSecurityHeaders().map(([name, value]) => `${name}: ${value}`),
    ];
    socket.write(`${head.join('\r\n')}\r\n\r\n${body}`);
  }
  socket.destroy();
  return true;
}

/** A step's answer: `status` with `body` as JSON and `headers`; returns true (answered). */
export function answerAtGate(response: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): true {
  const text = JSON.stringify(body);
  response.writeHead(status, { ...headers, 'content-type': 'application/json', 'cache-control': 'no-store', 'content-length': Buffer.byteLength(text) });
  response.end(text);
  return true;
}

/** A step's refusal: `status` with the API's JSON error body (`{ error: { code, message } }`) and `headers`; returns true (answered). */
export function refuseAtGate(response: http.ServerResponse, status: number, error: { code: string; message: string }, headers: Record<string, string> = {}): true {
  return answerAtGate(response, status, { error }, headers);
}

/** The body length a request declares (Content-Length), or null when it declares none that is a number. */
export function declaredLength(request: http.IncomingMessage): number | null {
  const declared = request.headers['content-length'];
  return declared !== undefined && /^\d+$/.test(declared) ? Number(declared) : null;
}

/** Adds `step` to every HTTP server of the process, after the steps added before it. Idempotent per name. */
export function addGateStep(name: string, step: GateStep): void {
  const added = steps();
  if (!added.has(name)) added.set(name, step);
}

/** How often a stopping process closes the connections that have gone idle (ms). */
const IDLE_SWEEP_MS = 100;
/**
 * How long a stopping process waits for the requests in flight before it closes every
 * connection (ms): less than the runner's 10 s before it SIGKILLs Next (scripts/lib/run-app.ts),
 * so the stop stays clean.
 */
export const STOP_GRACE_MS = 5_000;

/**
 * On SIGTERM or SIGINT, closes each idle keep-alive connection at once and each busy one within
 * IDLE_SWEEP_MS of its answer (a request that arrives meanwhile is answered `Connection: close`),
 * so Next's `server.close()` — which waits for every connection — ends when the requests in
 * flight do. Node closes the connections idle at that moment only; one still answering, or
 * reused by a client polling the port, would otherwise hold the stop for the whole keep-alive
 * timeout (65 s under `npm start`). After STOP_GRACE_MS whatever is left — a request still
 * running, or a connection that never sent a whole one (half its headers, a short body) — is
 * closed too: the stop ends then, not at the runner's SIGKILL.
 * Installed at start-up (server/startup.ts); Next's own handler ends the process.
 */
export function closeConnectionsWhenStopping(): void {
  process.once('SIGTERM', () => closeConnectionsNow());
  process.once('SIGINT', () => closeConnectionsNow());
}

/** What closeConnectionsWhenStopping does on the signal (tests call it directly, with a shorter grace). Idempotent. */
export function closeConnectionsNow(graceMs: number = STOP_GRACE_MS): void {
  if (stopping) return;
  stopping = true;
  const sweep = () => {
    for (const server of served) server.closeIdleConnections();
  };
  sweep();
  setInterval(sweep, IDLE_SWEEP_MS).unref();
  setTimeout(() => {
    for (const server of served) server.closeAllConnections();
  }, graceMs).unref();
}
