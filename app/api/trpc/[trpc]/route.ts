// The tRPC endpoint. Before any procedure runs: a body over 1 MB answers 413 and a batch of
// more than MAX_BATCH_SIZE calls answers 400 (server/api/limits.ts); every answer carries
// X-Request-Id, every TOO_MANY_REQUESTS and SERVICE_UNAVAILABLE a Retry-After.
import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import type { TRPCError } from '@trpc/server';
import { appRouter } from '@/server/api/root';
import { createTRPCContext } from '@/server/api/trpc';
import { MAX_BATCH_SIZE } from '@/server/api/limits';
import { DomainError } from '@/server/domain/errors';
import { OUTAGE_RETRY_AFTER_SECONDS } from '@/server/db-errors';
import { currentRequestId, handleApiRequest, setRequestProcedure } from '@/server/request-context';
import { logger } from '@/server/logger';
import { corsHandler, preflight } from '@/server/cors';

/** Seconds to wait before retrying, for the errors that have one. */
function retryAfterOf(error: TRPCError): number | undefined {
  if (error.cause instanceof DomainError && error.cause.retryAfterSeconds !== undefined) return error.cause.retryAfterSeconds;
  if (error.code === 'SERVICE_UNAVAILABLE') return OUTAGE_RETRY_AFTER_SECONDS;
  if (error.code === 'TOO_MANY_REQUESTS') return 60;
  return undefined;
}

/**
 * The procedure(s) a request calls, for its log line and metrics label: `payment.create`, or
 * `payment.list+2` for a batch of three; `unknown` for a name the router does not have (so
 * made-up names cannot grow the metrics without bound).
 */
function procedureLabel(pathname: string): string {
  const names = pathname.slice('/api/trpc/'.length).replaceAll('%2C', ',').replaceAll('%2c', ',').split(',');
  if (!names.every((name) => Object.hasOwn(appRouter._def.procedures, name))) return 'unknown';
  return names.length === 1 ? names[0]! : `${names[0]}+${Math.min(names.length - 1, MAX_BATCH_SIZE)}`;
}

function handler(req: Request) {
  return handleApiRequest(req, (request) => {
    setRequestProcedure(procedureLabel(new URL(request.url).pathname));
    return fetchRequestHandler({
      endpoint: '/api/trpc',
      req: request,
      router: appRouter,
      maxBatchSize: MAX_BATCH_SIZE,
      createContext: ({ resHeaders }) => createTRPCContext({ headers: request.headers, resHeaders }),
      responseMeta({ errors }) {
        const seconds = Math.max(0, ...errors.map((error) => retryAfterOf(error) ?? 0));
        return seconds > 0 ? { headers: new Headers({ 'retry-after': String(seconds) }) } : {};
      },
      onError({ error, path }) {
        const requestId = currentRequestId();
        if (error.code === 'INTERNAL_SERVER_ERROR') logger.error({ requestId, path, err: error.cause ?? error }, 'tRPC procedure failed');
        else if (error.code === 'SERVICE_UNAVAILABLE') logger.warn({ requestId, path, err: error.cause ?? error }, 'database unavailable');
      },
    });
  });
}

const withCors = corsHandler(handler);

/** Preflight: CORS for the origins in ALLOWED_ORIGINS only (server/cors.ts). */
export function OPTIONS(request: Request): Response {
  return preflight(request, 'GET, POST');
}

export { withCors as GET, withCors as POST };
