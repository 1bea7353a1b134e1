// A server action's body over Next's limit never reaches Next.js. Installed at start-up, outside
// Next's server bundle (instrumentation.ts → server/startup.ts), as the other gate steps are.
import { addGateStep, refuseAtGate } from '@/server/request-gate';

/** Next.js's default `serverActions.bodySizeLimit` (next.config.js sets none): 1 MB, in bytes. */
export const SERVER_ACTION_MAX_BODY_BYTES = 1024 * 1024;

/**
 * Makes every HTTP server in this process answer a server action (`Next-Action` header) whose
 * declared Content-Length is over SERVER_ACTION_MAX_BODY_BYTES with 413 and a JSON error before
 * Next.js sees it: Next read it, threw "Body exceeded 1 MB limit" and answered 500, before the
 * action could check who was calling (found by a stranger, anonymously, on the runs dashboard's
 * actions). A chunked body declares no length and is left to Next. Idempotent.
 */
export function refuseOversizedServerActions(): void {
  addGateStep('server action body size', (request, response) => {
    if (request.method !== 'POST' || request.headers['next-action'] === undefined) return false;
    const declared = request.headers['content-length'];
    if (declared === undefined || !/^\d+$/.test(declared) || Number(declared) <= SERVER_ACTION_MAX_BODY_BYTES) return false;
    return refuseAtGate(response, 413, { code: 'PAYLOAD_TOO_LARGE', message: `The request body is larger than ${SERVER_ACTION_MAX_BODY_BYTES / 1024 / 1024} MB` });
  });
}
