// The tRPC endpoint. Before any procedure runs: a body over 1 MB answers 413 and a batch of
// more than MAX_BATCH_SIZE calls answers 400 (server/api/limits.ts); every answer carries
// X-Request-Id, every TOO_MANY_REQUESTS and SERVICE_UNAVAILABLE a Retry-After. HTTP itself as on
// /api/v1 (server/http-semantics.ts): queries take GET (and HEAD, GET without the body), mutations
// POST, anything else is 405 with `Allow`; a POST body must be `application/json` (415, also for
// the multipart and octet-stream bodies tRPC itself would read; an empty body is no input).
import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { getTRPCErrorShape, transformTRPCResponse } from '@trpc/server';
import { getHTTPStatusCodeFromError } from '@trpc/server/http';
import { appRouter } from '@/server/api/root';
import { createTRPCContext } from '@/server/api/trpc';
import { MAX_BATCH_SIZE } from '@/server/api/limits';
import { retryAfterHeader } from '@/server/api/retry-after';
import { currentRequestId, handleApiRequest, setRequestError, setRequestProcedure } from '@/server/request-context';
import { logger } from '@/server/logger';
import { corsHandler, preflight } from '@/server/cors';
import { serveHttp, type Door } from '@/server/http-semantics';

/**
 * The procedure(s) a request calls, for its log line and metrics label: `payment.create`, or
 * `payment.list+2` for a batch of three; `unknown` for a name the router does not have (so
 * made-up names cannot grow the metrics without bound).
 */
function procedureLabel(pathname: string): string {
  const names = procedureNames(pathname);
  if (!names.every((name) => Object.hasOwn(procedures, name))) return 'unknown';
  return names.length === 1 ? names[0]! : `${names[0]}+${Math.min(names.length - 1, MAX_BATCH_SIZE)}`;
}

/** The procedure names a request's path calls (`/api/trpc/a,b` → a, b). */
function procedureNames(pathname: string): string[] {
  return pathname.slice('/api/trpc/'.length).replaceAll('%2C', ',').replaceAll('%2c', ',').split(',');
}

const procedures = appRouter._def.procedures as unknown as Record<string, { _def: { type: 'query' | 'mutation' | 'subscription' } } | undefined>;

const trpcDoor: Door = {
  /** Queries (and subscriptions) take GET, mutations POST; unknown names or a mix: both, for tRPC to refuse in its words. */
  methodsOf(request) {
    const types = new Set(procedureNames(new URL(request.url).pathname).map((name) => (Object.hasOwn(procedures, name) ? procedures[name]!._def.type : 'unknown')));
    if (types.size === 1 && types.has('mutation')) return ['POST'];
    if (types.size === 1 && !types.has('unknown')) return ['GET'];
    return ['GET', 'POST'];
  },
  /** The error as tRPC answers it (its error formatter, superjson): one per call of a batch no larger than tRPC takes. */
  refusal(request, error) {
    const url = new URL(request.url);
    const config = appRouter._def._config;
    const names = procedureNames(url.pathname);
    const answerFor = (path: string) => ({ error: getTRPCErrorShape({ config, error, type: 'unknown', path, input: undefined, ctx: undefined }) });
    const batch = url.searchParams.get('batch') === '1' && names.length <= MAX_BATCH_SIZE;
    return Response.json(batch ? transformTRPCResponse(config, names.map(answerFor)) : transformTRPCResponse(config, answerFor(names[0]!)), { status: getHTTPStatusCodeFromError(error) });
  },
};

function handler(req: Request) {
  return handleApiRequest(req, serveHttp(trpcDoor, (request) => {
    setRequestProcedure(procedureLabel(new URL(request.url).pathname));
    return fetchRequestHandler({
      endpoint: '/api/trpc',
      req: request,
      router: appRouter,
      maxBatchSize: MAX_BATCH_SIZE,
      createContext: ({ resHeaders }) => createTRPCContext({ headers: request.headers, resHeaders }),
      responseMeta({ errors }) {
        const retryAfter = retryAfterHeader(errors);
        return retryAfter ? { headers: new Headers({ 'retry-after': retryAfter }) } : {};
      },
      onError({ error, path }) {
        const requestId = currentRequestId();
        setRequestError(error.code);
        if (error.code === 'INTERNAL_SERVER_ERROR') logger.error({ requestId, path, err: error.cause ?? error }, 'tRPC procedure failed');
        else if (error.code === 'SERVICE_UNAVAILABLE') logger.warn({ requestId, path, err: error.cause ?? error }, 'database unavailable');
      },
    });
  }));
}

const withCors = corsHandler(handler);

/** Preflight: CORS for the origins in ALLOWED_ORIGINS only (server/cors.ts). */
export function OPTIONS(request: Request): Response {
  return preflight(request, 'GET, POST');
}

// Every method Next.js routes, so that serveHttp answers each (Next's own 405 has no body).
export { withCors as GET, withCors as HEAD, withCors as POST, withCors as PUT, withCors as PATCH, withCors as DELETE };
