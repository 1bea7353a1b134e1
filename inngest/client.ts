// The app's one Inngest client, written exactly as for Inngest Cloud, in cloud mode everywhere
// but beside the real Inngest Dev Server: the keys come from server/env.ts (INNGEST_SIGNING_KEY
// verifies every call to /api/inngest, INNGEST_EVENT_KEY sends events); where events and syncs
// go is the SDK's own INNGEST_BASE_URL (the local engine's URL under `npm run dev`/`npm start`,
// unset for Inngest Cloud). INNGEST_DEV=1 only for `npx inngest-cli dev`.
import { Inngest } from 'inngest';
import { env } from '@/server/env';
import { componentLogger } from '@/server/logger';
import { StepFailureMetrics } from './step-failures';

/** The SDK's message for a call to /api/inngest it refused for its signature (none, another key, expired, malformed). */
export const SIGNATURE_REFUSED = 'Signature validation failed';

/**
 * The SDK's lines (a step's error and stack, a function's error) as JSON through pino, at their
 * level, with component "inngest" — not plain text on the console. But a call it refused for its
 * signature is a warning of one short line with the reason (`No x-inngest-signature provided`,
 * `Invalid signature`, …): the SDK writes an error with the whole stack (about 1.2 KB), so anyone
 * who can reach /api/inngest could fill the log; the request's own line says 401 UNAUTHORIZED.
 */
function sdkLogger() {
  const log = componentLogger('inngest');
  return {
    ...log,
    error(first?: unknown, ...rest: unknown[]): void {
      if (rest[0] === SIGNATURE_REFUSED && first !== null && typeof first === 'object') {
        const { err, method } = first as { err?: unknown; method?: unknown };
        log.warn({ method, reason: err instanceof Error ? err.message : String(err) }, 'call refused: its signature does not verify');
        return;
      }
      log.error(first, ...rest);
    },
  };
}

export const inngest = new Inngest({
  id: 'directpay',
  logger: sdkLogger(),
  // Failed step attempts counted where the SDK sees them (inngest/step-failures.ts).
  middleware: [StepFailureMetrics],
  // Getters: the SDK reads these options when it needs them (never at import), so loading
  // this module (e.g. during `next build`) needs no environment, and tests that change the
  // variables and call resetEnvForTests() are followed.
  get signingKey() {
    return env.INNGEST_SIGNING_KEY;
  },
  get signingKeyFallback() {
    return env.INNGEST_SIGNING_KEY_FALLBACK;
  },
  get eventKey() {
    return env.INNGEST_EVENT_KEY;
  },
});
