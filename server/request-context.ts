// The one wrapper around every API route handler that reads a body (tRPC, next-auth, Inngest):
// - gives the request an id — the caller's `X-Request-Id` when well-formed (1–64 letters,
//   digits and `._:-`; the engine sends one with each call it makes), else a new UUID —
//   answered as `X-Request-Id`, written with every log line about it (`currentRequestId()`)
//   and put in error answers (tRPC `data.requestId`);
// - writes one log line when the request ends (method, path, procedure, status, duration,
//   user id if signed in, request id) and observes its duration (server/metrics.ts);
// - refuses a body over MAX_BODY_BYTES with 413 before anything reads it;
// - turns an error nobody handled into a generic 500 naming the request id (the detail goes
//   only to the log), and a database outage into 503 with Retry-After;
// - adds `Retry-After` when the handler reported one (`setRetryAfter`), e.g. a sign-in that
//   next-auth answers with its own redirect;
// - counts the users' requests in flight (every route but /api/inngest) and answers each call
//   from the engine with `X-App-Busy: 1|0`, so background work yields to the portal (`usersBusy`).
import 'server-only';
import { AsyncLocalStorage } from 'node:async_hooks';
import { isClientAbort, isDatabaseUnavailable, OUTAGE_RETRY_AFTER_SECONDS } from '@/server/db-errors';
import { apiBodyLimit, bodyTooLargeMessage, MAX_BODY_BYTES } from '@/server/api/limits';
import { logger, setRequestIdSource } from '@/server/logger';
import { metrics } from '@/server/metrics';
import { errorBody, requestIdFrom } from '@/server/error-shape';

interface RequestScope {
  requestId: string;
  retryAfterSeconds?: number;
  /** The signed-in user or API token owner, once known (createTRPCContext). */
  userId?: string;
  /** What was called, for the log line and the metrics' `procedure` label (bounded: known names only). */
  procedure?: string;
  /** A call from Inngest or the local engine: its answer says whether users are being served (`X-App-Busy`). */
  fromEngine?: boolean;
  /** Why it was refused, when it was: the tRPC error code (BAD_REQUEST, CONFLICT, …), for the log line. */
  errorCode?: string;
  /**
   * The records it concerns (`paymentId`), for the log line: a request id leads to its payment,
   * and the payment to its run. A batch that concerns several lists them (`paymentId: [a, b]`).
   */
  concerns?: Record<string, string | string[]>;
  /** A database outage a library caught and answered in its own way (noteOutage): the answer is 503 instead. */
  outage?: { error: unknown; keepAnswer: boolean };
}

/** The request's id: the caller's `X-Request-Id` when well-formed, else a new UUID. */
export function requestIdOf(headers: Headers): string {
  return requestIdFrom(headers.get('x-request-id'));
}

const scope = new AsyncLocalStorage<RequestScope>();

/**
 * How long after its users' last API request ended the app still counts as busy (ms): a portal
 * page's requests, or a client's, come one after another with gaps shorter than this.
 */
const BUSY_GRACE_MS = 50;
/** The users' API requests (every route but /api/inngest) this process is answering. */
let usersInFlight = 0;
let usersLastEndedAt = -Infinity;

/**
 * Whether this process is answering its users' API requests now (or ended one within
 * BUSY_GRACE_MS). The Inngest route answers it as `X-App-Busy` so the local engine keeps one
 * call in flight meanwhile instead of its workers' count (inngest/engine/context.ts): background
 * work yields the one app thread to the portal.
 */
export function usersBusy(): boolean {
  return usersInFlight > 0 || performance.now() - usersLastEndedAt < BUSY_GRACE_MS;
}

/** The id of the request being handled, or undefined outside one (a page, a background step). */
export function currentRequestId(): string | undefined {
  return scope.getStore()?.requestId;
}
setRequestIdSource(currentRequestId);

/** Records who is calling, for the request's log line. */
export function setRequestUser(userId: string): void {
  const store = scope.getStore();
  if (store) store.userId = userId;
}

/** Records what is called (a known procedure or function name only: it becomes a metrics label). */
export function setRequestProcedure(procedure: string): void {
  const store = scope.getStore();
  if (store) store.procedure = procedure;
}

/**
 * Names the request by the procedure a door resolved it to, unless the door named it already
 * (/api/trpc names batches "payment.list+2"): /api/v1's paths become `payment.create`, not the
 * route. Only procedures of the router reach here, so the metrics label stays bounded.
 */
export function nameRequestProcedure(procedure: string): void {
  const store = scope.getStore();
  if (store) store.procedure ??= procedure;
}

/** Records why the request was refused (a tRPC error code), for its log line. The first one wins (a batch). */
export function setRequestError(code: string): void {
  const store = scope.getStore();
  if (store) store.errorCode ??= code;
}

/**
 * Records a record the request concerns (`paymentId`, …) for its log line. A second, different
 * value for the same field (a tRPC batch of two payment.create) is added beside the first.
 */
export function setRequestConcerns(fields: Record<string, string>): void {
  const store = scope.getStore();
  if (!store) return;
  const concerns = (store.concerns ??= {});
  for (const [name, value] of Object.entries(fields)) {
    const known = concerns[name];
    if (known === undefined) concerns[name] = value;
    else if (!([] as string[]).concat(known).includes(value)) concerns[name] = ([] as string[]).concat(known, value);
  }
}

/** Asks the wrapper to answer `Retry-After: seconds` (the largest asked for wins). */
export function setRetryAfter(seconds: number): void {
  const store = scope.getStore();
  if (store) store.retryAfterSeconds = Math.max(store.retryAfterSeconds ?? 0, Math.ceil(seconds));
}

/**
 * Tells the wrapper that `error`, which a library is about to catch and answer in its own way,
 * is a database outage (isDatabaseUnavailable; anything else is ignored): the request is then
 * answered 503 with Retry-After, as an outage anywhere else, and logged once as one. The
 * library's answer is dropped (next-auth answers a session check whose callback threw with "no
 * session" and clears the cookie: a database stall signed its users out, found by a stranger),
 * or with `keepAnswer` kept with its status made 503 (a sign-in: next-auth's answer names the
 * error its client shows; a redirect keeps its status so that it is still followed).
 */
export function noteOutage(error: unknown, options: { keepAnswer?: boolean } = {}): void {
  const store = scope.getStore();
  if (store && store.outage === undefined && isDatabaseUnavailable(error)) store.outage = { error, keepAnswer: options.keepAnswer ?? false };
}

/**
 * The code a refusal's log line carries when nothing named one (a route answering on its own:
 * the Inngest SDK's 401 for an unsigned call, Next's 404): tRPC's name for the HTTP status.
 */
const ERROR_CODE_OF_STATUS: Record<number, string> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_SUPPORTED',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'TOO_MANY_REQUESTS',
  500: 'INTERNAL_SERVER_ERROR',
  503: 'SERVICE_UNAVAILABLE',
};

/** A JSON error answer in the shape of the door that was called (errorBody). */
function errorResponse(path: string, status: number, code: string, message: string, requestId: string, headers: Record<string, string> = {}): Response {
  setRequestError(code);
  return Response.json(errorBody(path, status, code, message, requestId), { status, headers: { 'x-request-id': requestId, 'cache-control': 'no-store', ...headers } });
}

/**
 * A refusal answered from inside a handler, in the called door's error shape (errorResponse) and
 * under the request's id: a 4xx the handler decided on before the library behind it would throw.
 */
export function refusal(request: Request, status: number, code: string, message: string, headers: Record<string, string> = {}): Response {
  return errorResponse(new URL(request.url).pathname, status, code, message, currentRequestId() ?? requestIdOf(request.headers), headers);
}

/**
 * True when the body is larger than `maxBytes`: by its declared Content-Length (Node's server
 * holds the client to it), or, for a chunked body, by reading a copy up to the limit.
 */
export async function bodyTooLarge(request: Request, maxBytes = MAX_BODY_BYTES): Promise<boolean> {
  if (!request.body) return false;
  const declared = request.headers.get('content-length');
  if (declared !== null && /^\d+$/.test(declared)) return Number(declared) > maxBytes;
  const reader = request.clone().body!.getReader();
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return false;
    total += value.byteLength;
    if (total > maxBytes) {
      // Not awaited: cancelling one branch of a tee settles only once the other is cancelled too.
      reader.cancel().catch(() => undefined);
      return true;
    }
  }
}

/** True when the body is JSON, or empty where `empty` allows (read from a copy; the handler still reads the original). */
async function bodyIsJson(request: Request, empty: boolean): Promise<boolean> {
  if (!request.body) return empty;
  const text = await request.clone().text();
  if (!text) return empty;
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

export interface ApiRequestOptions {
  /**
   * Refuse a body that is not JSON (400 BAD_REQUEST) before the handler sees it, for a handler
   * that would parse it unguarded: 'or-empty' lets an empty body through (the Inngest SDK reads
   * it as none, but parses any other before checking the signature), 'required' does not
   * (next-auth parses a body declared JSON, empty or not).
   */
  jsonBody?: 'or-empty' | 'required';
}

/**
 * Runs a route handler inside the request scope described in the module header. `maxBodyBytes`
 * defaults to the route's own (apiBodyLimit: 1 MB; 4 MB for /api/inngest).
 */
export async function handleApiRequest<R extends Request>(
  request: R,
  handler: (request: R) => Promise<Response>,
  maxBodyBytes: number | undefined = undefined,
  options: ApiRequestOptions = {},
): Promise<Response> {
  const requestId = requestIdOf(request.headers);
  const startedAt = performance.now();
  const path = new URL(request.url).pathname;
  const bodyLimit = maxBodyBytes ?? apiBodyLimit(path);
  const forUsers = !path.startsWith('/api/inngest');
  const store: RequestScope = { requestId, fromEngine: !forUsers };
  if (forUsers) usersInFlight++;
  return scope.run(store, async () => {
    let response: Response;
    try {
      response = await answer(request, handler, bodyLimit, store, options);
    } finally {
      if (forUsers) {
        usersInFlight--;
        usersLastEndedAt = performance.now();
      }
    }
    const durationMs = performance.now() - startedAt;
    // Unnamed by the handler: the route's first two segments (`/api/auth`), so a made-up path adds no label.
    const procedure = store.procedure ?? path.split('/').slice(0, 3).join('/');
    logger.info(
      {
        requestId,
        method: request.method,
        path,
        procedure,
        status: response.status,
        durationMs: Math.round(durationMs * 10) / 10,
        userId: store.userId,
        errorCode: store.errorCode ?? (response.status >= 400 ? ERROR_CODE_OF_STATUS[response.status] : undefined),
        ...store.concerns,
      },
      'request',
    );
    metrics().requestDuration.observe({ procedure, status: String(response.status) }, durationMs / 1000);
    return response;
  });
}

async function answer<R extends Request>(request: R, handler: (request: R) => Promise<Response>, maxBodyBytes: number, store: RequestScope, options: ApiRequestOptions): Promise<Response> {
  const { requestId } = store;
  const path = new URL(request.url).pathname;
  let response: Response;
  try {
    if (await bodyTooLarge(request, maxBodyBytes)) {
      return errorResponse(path, 413, 'PAYLOAD_TOO_LARGE', bodyTooLargeMessage(maxBodyBytes), requestId);
    }
    if (options.jsonBody && !(await bodyIsJson(request, options.jsonBody === 'or-empty'))) {
      return errorResponse(path, 400, 'BAD_REQUEST', 'The request body is not JSON', requestId);
    }
    response = await handler(request);
    if (store.outage?.keepAnswer) {
      logger.warn({ requestId, err: store.outage.error }, 'database unavailable');
      setRetryAfter(OUTAGE_RETRY_AFTER_SECONDS);
      const redirect = response.status >= 300 && response.status < 400;
      if (!redirect) response = new Response(response.body, { status: 503, statusText: 'Service Unavailable', headers: response.headers });
    } else if (store.outage !== undefined) throw store.outage.error;
  } catch (error) {
    // Nobody reads this answer; the log line and the metrics say who ended it (499, nginx's and tRPC's code).
    if (isClientAbort(error)) {
      logger.info({ requestId }, 'caller closed the request before it was read');
      return errorResponse(path, 499, 'CLIENT_CLOSED_REQUEST', 'The request was closed before it was read', requestId);
    }
    if (isDatabaseUnavailable(error)) {
      logger.warn({ requestId, err: error }, 'database unavailable');
      return errorResponse(path, 503, 'SERVICE_UNAVAILABLE', 'DirectPay is temporarily unavailable; try again shortly', requestId, {
        'retry-after': String(OUTAGE_RETRY_AFTER_SECONDS),
      });
    }
    logger.error({ requestId, err: error }, 'request failed');
    return errorResponse(path, 500, 'INTERNAL_SERVER_ERROR', `Something went wrong on our side; quote request id ${requestId} if it persists`, requestId);
  }
  const headers = new Headers(response.headers);
  headers.set('x-request-id', requestId);
  // Every answer here is for one caller (a session, a token, a signed call): no cache keeps it
  // unless the handler said otherwise (the OpenAPI document is public and says so itself).
  if (!headers.has('cache-control')) headers.set('cache-control', 'no-store');
  // Only to a call the SDK accepted (signed): a stranger learns nothing of the portal's use.
  if (store.fromEngine && response.status !== 401) headers.set('x-app-busy', usersBusy() ? '1' : '0');
  if (store.retryAfterSeconds !== undefined && !headers.has('retry-after')) headers.set('retry-after', String(store.retryAfterSeconds));
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}
