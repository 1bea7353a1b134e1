// The app's one Inngest client, written exactly as for Inngest Cloud, in cloud mode everywhere
// but beside the real Inngest Dev Server: the keys come from server/env.ts (INNGEST_SIGNING_KEY
// verifies every call to /api/inngest, INNGEST_EVENT_KEY sends events); where events and syncs
// go is the SDK's own INNGEST_BASE_URL (the local engine's URL under `npm run dev`/`npm start`,
// unset for Inngest Cloud). INNGEST_DEV=1 only for `npx inngest-cli dev`.
import { Inngest } from 'inngest';
import { env } from '@/server/env';
import { componentLogger } from '@/server/logger';
import { StepFailureMetrics } from './step-failures';

export const inngest = new Inngest({
  id: 'directpay',
  // The SDK's lines (a step's error and stack, a function's error) as JSON through pino, at
  // their level, with component "inngest" — not plain text on the console.
  logger: componentLogger('inngest'),
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
