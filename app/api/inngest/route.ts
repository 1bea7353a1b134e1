// The endpoint Inngest (or the local engine) calls to sync the app's functions and to run
// their steps. Every request must carry a valid X-Inngest-Signature (the SDK checks it against
// INNGEST_SIGNING_KEY; 401 otherwise), syncs included (`enableUnauthedSync: false`), and the
// serve URL the app reports is fixed by configuration (INNGEST_SERVE_ORIGIN/_PATH), never taken
// from a request's Host header. Only beside the real Inngest Dev Server (INNGEST_DEV) does the
// SDK skip signatures. A body over INNGEST_MAX_BODY_BYTES (4 MB) answers 413 before the SDK
// reads it (server/request-context.ts, as for every API route), and a body that is not JSON 400
// (the SDK parses it before checking the signature, and would throw).
import { serve } from 'inngest/next';
import { inngest } from '@/inngest/client';
import { functions } from '@/inngest/functions';
import { env } from '@/server/env';
import { handleApiRequest, setRequestProcedure } from '@/server/request-context';
import { metrics } from '@/server/metrics';
import { servedMethods } from '@/server/http-semantics';

type Handlers = ReturnType<typeof serve>;
let handlers: Handlers | undefined;

/** Created on the first request, so that `next build` can load this module without an environment. */
function inngestHandlers(): Handlers {
  handlers ??= serve({
    client: inngest,
    functions,
    serveOrigin: env.INNGEST_SERVE_ORIGIN,
    servePath: env.INNGEST_SERVE_PATH,
    enableUnauthedSync: false,
  });
  return handlers;
}

/**
 * A step call (POST ?fnId=…&stepId=…): labels the request `inngest:<fnId>` and observes the
 * call as a step (server/metrics.ts) — only once the SDK accepted its signature, so only the
 * engine's (bounded) function ids become labels. 206: a step ran (or threw: counted by the SDK's
 * onStepError); 200: the run ended; other: failed.
 */
async function stepCall<R extends Request>(request: R, call: (request: R) => Promise<Response>): Promise<Response> {
  const startedAt = performance.now();
  const response = await call(request);
  const fnId = new URL(request.url).searchParams.get('fnId');
  if (fnId && response.status !== 401) {
    setRequestProcedure(`inngest:${fnId}`);
    const outcome = response.status === 206 ? 'step' : response.status === 200 ? 'complete' : 'error';
    const { stepDuration, stepFailures } = metrics();
    stepDuration.observe({ function: fnId, outcome }, (performance.now() - startedAt) / 1000);
    // A step that threw is counted by the SDK's onStepError (inngest/step-failures.ts); a call
    // that answered an error failed outside any step.
    if (outcome === 'error') stepFailures.inc({ function: fnId });
  } else {
    setRequestProcedure('inngest');
  }
  return response;
}

export const GET: Handlers['GET'] = (request, ...rest) =>
  handleApiRequest(request, (r) => {
    setRequestProcedure('inngest');
    return inngestHandlers().GET(r, ...rest);
  });
export const POST: Handlers['POST'] = (request, ...rest) =>
  handleApiRequest(request, (r) => stepCall(r, (s) => inngestHandlers().POST(s, ...rest)), undefined, { jsonBody: 'or-empty' });
export const PUT: Handlers['PUT'] = (request, ...rest) =>
  handleApiRequest(
    request,
    (r) => {
      setRequestProcedure('inngest:sync');
      return inngestHandlers().PUT(r, ...rest);
    },
    undefined,
    { jsonBody: 'or-empty' },
  );

const { refused, OPTIONS } = servedMethods(['GET', 'POST', 'PUT']);
export { refused as PATCH, refused as DELETE, OPTIONS };
