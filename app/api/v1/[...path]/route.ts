// The REST API: every procedure with `meta.openapi` (server/api/openapi.ts) at /api/v1/…, run by
// trpc-to-openapi's fetch adapter through the same router, context, middleware (authorization,
// rate limits, domain errors) and zod schemas as /api/trpc. What differs is only the wire format:
// plain JSON in (query string for GET, body for POST) and out, and errors as
// `{ code, message, data: { code, httpStatus, path, fieldErrors, requestId } }` — the same code,
// message and data as the tRPC answer's `error.json`.
//
// Authentication: `Authorization: Bearer <API token>` only. The session cookie is not read here
// (it is for the portal, on /api/trpc), so no page of another site can make a signed-in
// browser call this API.
// Before any procedure runs, as on /api/trpc (server/request-context.ts): an X-Request-Id, a body
// over 1 MB answers 413, and a key `__proto__`, `constructor` or `prototype` anywhere in a body
// answers 400 (superjson's input check, which this door does not pass through), as does a JSON
// body that is not an object. HTTP itself as on /api/trpc too (server/http-semantics.ts): paths
// are matched as the document writes them (`/PAYMENTS` is 404, though the adapter's own matching
// ignores case), a method a path does not take is 405 with `Allow`, HEAD is GET without the body,
// and a POST body must be `application/json` (415; an empty body is `{}`).
import { TRPCError } from '@trpc/server';
import { getHTTPStatusCodeFromError } from '@trpc/server/http';
import { z, ZodError } from 'zod';
import { createOpenApiFetchHandler, forEachOpenApiProcedure, getPathRegExp, normalizePath } from 'trpc-to-openapi';
import { appRouter } from '@/server/api/root';
import { createTRPCContext, summarizeZodError, unsafeKeyIn } from '@/server/api/trpc';
import { REST_BASE_PATH } from '@/server/api/openapi';
import { retryAfterHeader } from '@/server/api/retry-after';
import { currentRequestId, handleApiRequest, refusal, setRequestError } from '@/server/request-context';
import { corsHandler, preflight } from '@/server/cors';
import { logger } from '@/server/logger';
import { serveHttp, type Door, type ServedMethod } from '@/server/http-semantics';

/** The request's headers without its cookie: this door authenticates by Bearer token only. */
function withoutCookie(headers: Headers): Headers {
  const copy = new Headers(headers);
  copy.delete('cookie');
  return copy;
}

/** Any JSON object: what a body that is not one (array, null, text, number) fails, in zod's words. */
const anyObject = z.object({});

/**
 * The refusal a JSON body earns before the adapter sees it, or null: a key `__proto__`,
 * `constructor` or `prototype` anywhere, or a body that is not a JSON object. The adapter
 * spreads the body into the path's parameters, so `[]` or `null` would run a procedure as if
 * `{}` had been sent (and `"x"` as the field "0"); tRPC refuses them with zod's message, and so
 * does this door. Not JSON at all: null, and the adapter answers PARSE_ERROR.
 */
async function bodyRefusal(request: Request): Promise<Response | null> {
  // serveHttp passes on a body only as JSON text.
  if (request.method === 'GET') return null;
  let body: unknown;
  try {
    body = JSON.parse(await request.clone().text());
  } catch {
    return null;
  }
  const key = unsafeKeyIn(body);
  if (key) return refusal(request, 400, 'BAD_REQUEST', `Invalid input: the key "${key}" is not allowed`);
  const parsed = anyObject.safeParse(body);
  return parsed.success ? null : refusal(request, 400, 'BAD_REQUEST', summarizeZodError(parsed.error));
}

async function rest(request: Request): Promise<Response> {
  // A query key named like an Object.prototype member (`?__proto__=1`, `?constructor=1`) breaks the
  // adapter's query parsing: refuse it as the body check does.
  const params = new URL(request.url).searchParams;
  const key = [...params.keys()].find((name) => name in Object.prototype);
  if (key) return refusal(request, 400, 'BAD_REQUEST', `Invalid input: the key "${key}" is not allowed`);
  const refused = await bodyRefusal(request);
  if (refused) return refused;
  const headers = withoutCookie(request.headers);
  const resHeaders = new Headers();
  let failure: TRPCError | undefined;
  const response = await createOpenApiFetchHandler({
    endpoint: REST_BASE_PATH,
    req: request,
    router: appRouter,
    createContext: () => createTRPCContext({ headers, resHeaders }),
    responseMeta({ errors }) {
      const retryAfter = retryAfterHeader(errors);
      return retryAfter ? { headers: { 'retry-after': retryAfter } } : {};
    },
    onError({ error, path }) {
      failure = error;
      const requestId = currentRequestId();
      setRequestError(error.code);
      if (error.code === 'INTERNAL_SERVER_ERROR') logger.error({ requestId, path, err: error.cause ?? error }, 'REST procedure failed');
      else if (error.code === 'SERVICE_UNAVAILABLE') logger.warn({ requestId, path, err: error.cause ?? error }, 'database unavailable');
    },
  });
  const answer = new Headers(response.headers);
  resHeaders.forEach((value, name) => answer.set(name, value));
  answer.set('cache-control', 'no-store');
  if (!failure) return new Response(response.body, { status: response.status, headers: answer });
  // The adapter's error body carries tRPC's error shape (our formatter's message and data) but
  // replaces a validation error's message and adds zod's raw issues; answer the tRPC door's.
  const body = (await response.json()) as { message?: string; data?: Record<string, unknown> };
  const message = failure.code === 'BAD_REQUEST' && failure.cause instanceof ZodError ? summarizeZodError(failure.cause) : (body.message ?? failure.message);
  const data = { ...body.data, code: failure.code, stack: undefined };
  return Response.json({ code: failure.code, message, data }, { status: response.status, headers: answer });
}

/**
 * Each REST path (meta.openapi) with the methods it serves, read the way the adapter reads the
 * router (trpc-to-openapi's own helpers), except that a path matches only as written: the
 * adapter's patterns ignore letter case.
 */
const restRoutes = (() => {
  const routes = new Map<string, { pattern: RegExp; methods: Set<ServedMethod> }>();
  forEachOpenApiProcedure(appRouter._def.procedures, ({ meta: { openapi } }) => {
    const path = normalizePath(openapi.path);
    const route = routes.get(path) ?? { pattern: new RegExp(getPathRegExp(path).source), methods: new Set() };
    route.methods.add(openapi.method);
    routes.set(path, route);
  });
  return [...routes.values()];
})();

const restDoor: Door = {
  methodsOf(request) {
    const path = normalizePath(new URL(request.url).pathname.slice(REST_BASE_PATH.length));
    const methods = new Set(restRoutes.filter((route) => route.pattern.test(path)).flatMap((route) => [...route.methods]));
    return methods.size ? [...methods] : null;
  },
  refusal: (request, error) => refusal(request, getHTTPStatusCodeFromError(error), error.code, error.message),
};

const handler = corsHandler((request: Request) => handleApiRequest(request, serveHttp(restDoor, rest)));

/** Preflight: CORS for the origins in ALLOWED_ORIGINS only (server/cors.ts). */
export function OPTIONS(request: Request): Response {
  return preflight(request, 'GET, POST');
}

// Every method Next.js routes, so that serveHttp answers each (Next's own 405 has no body).
export { handler as GET, handler as HEAD, handler as POST, handler as PUT, handler as PATCH, handler as DELETE };
