// HTTP itself on the API doors (/api/trpc, /api/v1), decided here once, before any procedure:
// - methods: each path serves some of GET, POST, PUT, PATCH, DELETE, and says so in `Allow`.
//   HEAD is GET's answer (status and headers) without its body. Any other method is 405 with
//   `Allow` and the door's JSON error body. Next.js answers a method a route does not export
//   with a bare 405 (and turns HEAD into its GET), so a door exports `serveHttp` for every
//   method Next routes;
// - paths: one that names nothing on the door answers its 404, whatever the method;
// - the body's media type: a body (any method but GET) must be `application/json` (any letter
//   case; parameters allowed, a charset only if UTF-8). Any other type, a `+json` type (a format
//   of its own, such as a merge patch, which no procedure reads) or none answers 415. An empty
//   body carries no input whatever its type (fetch labels even an empty string text/plain), and
//   reaches the door as `{}` (superjson's "no input" on /api/trpc, no fields on /api/v1); a body
//   that is not UTF-8 is 400, as is a query parameter given twice;
// - forgery: a change signed in by the portal's cookie that a browser says comes from another
//   site is 403 (crossSiteCookieWrite), before its body is read.
// A door says which methods its paths serve and how its errors look (`Door`); the caller wraps
// `serveHttp` in handleApiRequest (request id, 413, 500/503) and CORS. The other API routes
// refuse what they do not serve, and name what they do on OPTIONS, with `servedMethods`, and a method Next.js does not route at
// all never reaches Next (`refuseUnroutedMethods`, server/http-methods.ts).
import 'server-only';
import { TRPCError } from '@trpc/server';
import { env } from '@/server/env';
import { methodNotAllowedMessage, type RoutedMethod } from '@/server/http-methods';
import { setRequestError } from '@/server/request-context';

export type ServedMethod = RoutedMethod;

export interface Door {
  /** The methods the request's path serves, or null when it names nothing on this door. */
  methodsOf(request: Request): readonly ServedMethod[] | null;
  /** An error answer in the door's own shape, with the HTTP status of the error's code. */
  refusal(request: Request, error: TRPCError): Response;
}

/** The `Allow` header for a path serving `methods`: GET brings HEAD; OPTIONS (CORS preflight) is served everywhere. */
function allowOf(methods: readonly ServedMethod[]): string {
  return [...methods.flatMap((method) => (method === 'GET' ? ['GET', 'HEAD'] : [method])), 'OPTIONS'].sort().join(', ');
}

/**
 * For a route outside the two doors (health, metrics, exports, the OpenAPI document, sign-in,
 * the Inngest endpoint) that serves only `served`:
 * - `refused`, the handler to export for each other method in ROUTED_METHODS
 *   (server/http-methods.ts), so it answers 405 with `Allow` and a JSON error body
 *   (`{ error: { code: 'METHOD_NOT_SUPPORTED', message } }`, the exports' error shape) instead of
 *   Next's empty 405;
 * - `OPTIONS`, 204 with the same `Allow`: Next's own OPTIONS answer names every method the route
 *   exports, the refused ones too. (A route that takes CORS preflights answers OPTIONS with
 *   `preflight`, server/cors.ts.)
 * HEAD stays Next's: the GET's answer without its body.
 */
export function servedMethods(served: readonly ServedMethod[]): { refused: (request: Request) => Response; OPTIONS: () => Response } {
  const allow = allowOf(served);
  return {
    refused: (request) =>
      Response.json(
        { error: { code: 'METHOD_NOT_SUPPORTED', message: methodNotAllowedMessage(request.method, allow) } },
        { status: 405, headers: { allow, 'cache-control': 'no-store' } },
      ),
    OPTIONS: () => new Response(null, { status: 204, headers: { allow, 'cache-control': 'no-store' } }),
  };
}

/** Why a body with this Content-Type cannot be read, or null when it is JSON in UTF-8. */
function mediaTypeProblem(contentType: string | null): string | null {
  if (contentType === null) return 'A request body needs Content-Type: application/json';
  const [essence = '', ...parameters] = contentType.split(';');
  if (essence.trim().toLowerCase() !== 'application/json') return 'Send the body as application/json; no other media type is read';
  for (const parameter of parameters) {
    const [name = '', value = ''] = parameter.split('=');
    const charset = value.trim().replace(/^"(.*)"$/, '$1').toLowerCase();
    if (name.trim().toLowerCase() === 'charset' && charset !== 'utf-8' && charset !== 'utf8') return 'Send the body as JSON in UTF-8 (charset=utf-8, or no charset)';
  }
  return null;
}

export const CROSS_SITE_MESSAGE =
  "Cross-site request refused: a change made with the portal's sign-in cookie must come from the portal's own pages (a program uses an API token)";

/** NEXTAUTH_URL's host, read once per value of the setting (tests change it). */
let siteHost: { url: string | undefined; host: string | null } = { url: undefined, host: null };
function configuredHost(): string | null {
  const url = env.NEXTAUTH_URL;
  if (siteHost.url !== url) siteHost = { url, host: url ? new URL(url).host.toLowerCase() : null };
  return siteHost.host;
}

/** The host names this site answers as: the request's own (as a proxy forwarded it) and NEXTAUTH_URL's. */
function ownHosts(request: Request): string[] {
  const hosts = [request.headers.get('x-forwarded-host'), request.headers.get('host')].filter((host): host is string => !!host).map((host) => host.split(',')[0]!.trim().toLowerCase());
  const configured = configuredHost();
  if (configured) hosts.push(configured);
  return hosts;
}

/**
 * A change (any method but GET/HEAD) signed in by the portal's cookie that a browser says comes
 * from another site: its `Origin` names another host (or is "null"), or, without an Origin, its
 * `Sec-Fetch-Site` is cross-site or same-site. Cookies are never allowed cross-origin
 * (server/cors.ts), so such a request is a forgery (CSRF): a form or a no-cors fetch that a page
 * elsewhere, or on a sibling subdomain the SameSite=Lax cookie still reaches, sent without a
 * preflight. A request with `Authorization` is judged by its token, which no browser attaches on
 * its own; one with neither header is not a browser's and carries no such risk.
 */
function crossSiteCookieWrite(request: Request): boolean {
  if (request.headers.has('authorization') || !request.headers.has('cookie')) return false;
  const origin = request.headers.get('origin');
  if (origin !== null) {
    let host: string;
    try {
      host = new URL(origin).host.toLowerCase();
    } catch {
      return true; // "null" (a sandboxed page, a redirect) or unreadable
    }
    return !ownHosts(request).includes(host);
  }
  const site = request.headers.get('sec-fetch-site');
  return site !== null && site !== 'same-origin' && site !== 'none';
}

/** The answer without its body, for HEAD. */
async function withoutBody(response: Response): Promise<Response> {
  await response.body?.cancel();
  return new Response(null, { status: response.status, statusText: response.statusText, headers: response.headers });
}

/**
 * Serves `handler` on a door with the rules of the module header: `handler` sees only a method
 * the path serves, and but for GET with a body of JSON text (Content-Type `application/json`).
 */
export function serveHttp(door: Door, handler: (request: Request) => Promise<Response>): (request: Request) => Promise<Response> {
  return async (request) => {
    const head = request.method === 'HEAD';
    const answer = await answerOf(request, head ? 'GET' : request.method);
    return head ? withoutBody(answer) : answer;
  };

  /** The door's refusal, its code also in the request's log line (`errorCode`), as a procedure's refusal is. */
  function refuse(request: Request, error: TRPCError): Response {
    setRequestError(error.code);
    return door.refusal(request, error);
  }

  async function answerOf(request: Request, method: string): Promise<Response> {
    const methods = door.methodsOf(request);
    if (!methods) return refuse(request, new TRPCError({ code: 'NOT_FOUND', message: 'No such path; the API’s paths are listed in /api/openapi.json' }));
    if (!(methods as readonly string[]).includes(method)) {
      const allow = allowOf(methods);
      const refused = refuse(request, new TRPCError({ code: 'METHOD_NOT_SUPPORTED', message: methodNotAllowedMessage(request.method, allow) }));
      refused.headers.set('allow', allow);
      return refused;
    }
    // Every query parameter of either door is one value (tRPC's `input`, /api/v1's filters): a
    // second one would be read as one of them, silently.
    const [repeated] = repeatedQueryKeys(new URL(request.url).searchParams);
    if (repeated) return refuse(request, new TRPCError({ code: 'BAD_REQUEST', message: `Invalid input: ${repeated}: give it once` }));
    if (method === 'GET') return handler(request.method === 'GET' ? request : new Request(request.url, { method: 'GET', headers: request.headers, signal: request.signal }));
    if (crossSiteCookieWrite(request)) {
      return refuse(request, new TRPCError({ code: 'FORBIDDEN', message: CROSS_SITE_MESSAGE }));
    }
    const bytes = new Uint8Array(await request.arrayBuffer());
    if (bytes.byteLength === 0) return handler(jsonRequest(request, '{}'));
    const problem = mediaTypeProblem(request.headers.get('content-type'));
    if (problem) return refuse(request, new TRPCError({ code: 'UNSUPPORTED_MEDIA_TYPE', message: problem }));
    const body = utf8(bytes);
    // Not UTF-8: bytes that would otherwise reach a record as U+FFFD, silently.
    if (body === null) return refuse(request, new TRPCError({ code: 'BAD_REQUEST', message: 'The body is not valid UTF-8' }));
    return handler(jsonRequest(request, body));
  }
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** The text of UTF-8 bytes (a leading byte-order mark dropped, as Request#text drops it), or null when they are not UTF-8. */
function utf8(bytes: Uint8Array): string | null {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return null;
  }
}

/** The request with this JSON text as its body, labelled plainly `application/json` for the adapters after us. */
function jsonRequest(request: Request, body: string): Request {
  const headers = new Headers(request.headers);
  headers.set('content-type', 'application/json');
  headers.delete('content-length');
  return new Request(request.url, { method: request.method, headers, body, signal: request.signal });
}

/** The query parameters given more than once (`?limit=5&limit=6` → ['limit']): every parameter of ours takes one value. */
export function repeatedQueryKeys(params: URLSearchParams): string[] {
  return [...new Set(params.keys())].filter((key) => params.getAll(key).length > 1);
}
