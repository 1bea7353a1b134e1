// What the server does with an error Next caught while rendering a page or running a server
// action (Next's onRequestError, instrumentation.ts): a database outage makes the answer 503 with
// Retry-After, as the API routes answer theirs (server/request-context.ts), where Next answered
// 500. The page shows the "temporarily unavailable" boundary (app/error.tsx) either way.
import 'server-only';
import { isDatabaseUnavailable, OUTAGE_RETRY_AFTER_SECONDS } from '@/server/db-errors';
import { logger } from '@/server/logger';
import { noteOutageAtGate } from '@/server/request-gate';

/** Called by Next for each error a page render or server action did not handle (control flow such as notFound() excluded). */
export function onPageError(error: unknown): void {
  if (!isDatabaseUnavailable(error)) return;
  noteOutageAtGate(OUTAGE_RETRY_AFTER_SECONDS);
  // The structured line an operator's alerts read, as the API routes write theirs (Next also
  // prints its own plain-text one); `digest` is the reference the error page shows.
  logger.warn({ err: error, digest: (error as { digest?: unknown }).digest }, 'database unavailable');
}

const HOOK = Symbol.for('directpay.onRequestError');

/** Makes onPageError what instrumentation.ts's onRequestError calls (start-up, Node runtime only). */
export function handlePageErrors(): void {
  (globalThis as { [HOOK]?: (error: unknown) => void })[HOOK] = onPageError;
}
