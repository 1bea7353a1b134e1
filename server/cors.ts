// Cross-origin access to the API (/api/v1, /api/openapi.json, /api/trpc) for browser pages on
// other origins: only the exact origins listed in ALLOWED_ORIGINS (server/env.ts), none by
// default. An allowed origin gets its own origin echoed (never `*`), with `Vary: Origin` so no
// cache hands one origin's answer to another; any other origin gets no CORS header at all, so the
// browser keeps the answer from the page. Credentials (cookies) are not allowed cross-origin:
// a program on another origin authenticates with `Authorization: Bearer <API token>`.
import 'server-only';
import { env } from '@/server/env';

/** Request headers a cross-origin caller may send. */
const ALLOWED_HEADERS = 'authorization, content-type, idempotency-key, x-request-id';
/** Response headers a cross-origin caller may read. */
const EXPOSED_HEADERS = 'idempotent-replayed, retry-after, x-request-id';
/** Seconds a browser may cache a preflight answer. */
const PREFLIGHT_MAX_AGE_SECONDS = 600;

/** The request's Origin when ALLOWED_ORIGINS lists it exactly, else null. */
export function allowedOrigin(request: Request): string | null {
  const origin = request.headers.get('origin');
  return origin !== null && env.ALLOWED_ORIGINS.includes(origin) ? origin : null;
}

/** `response` with the CORS headers this request earns (always `Vary: Origin`). */
export function withCors(request: Request, response: Response): Response {
  const headers = new Headers(response.headers);
  headers.append('vary', 'Origin');
  const origin = allowedOrigin(request);
  if (origin) {
    headers.set('access-control-allow-origin', origin);
    headers.set('access-control-expose-headers', EXPOSED_HEADERS);
  }
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

/**
 * The answer to a preflight (OPTIONS): 204, with Access-Control-Allow-* only for an allowed
 * origin. `methods` are the methods the route serves.
 */
export function preflight(request: Request, methods: string): Response {
  const headers = new Headers({ vary: 'Origin' });
  const origin = allowedOrigin(request);
  if (origin) {
    headers.set('access-control-allow-origin', origin);
    headers.set('access-control-allow-methods', methods);
    headers.set('access-control-allow-headers', ALLOWED_HEADERS);
    headers.set('access-control-max-age', String(PREFLIGHT_MAX_AGE_SECONDS));
  }
  return new Response(null, { status: 204, headers });
}

/** Wraps a route handler so its answers carry the CORS headers (see withCors). */
export function corsHandler<R extends Request, A extends unknown[]>(handler: (request: R, ...rest: A) => Promise<Response>) {
  return async (request: R, ...rest: A) => withCors(request, await handler(request, ...rest));
}
