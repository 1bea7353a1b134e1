// Runs once when the Next server starts (Node runtime only): see server/startup.ts.
export async function register() {
  if (process.env.NEXT_RUNTIME === 'nodejs') await import('@/server/startup');
}

/**
 * Next calls this for each error a page render, server action or route did not handle. It must
 * act before the answer's head is written, so it calls what start-up installed (server/page-errors.ts)
 * at once rather than importing it here.
 */
export function onRequestError(error: unknown): void {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  (globalThis as { [key: symbol]: ((error: unknown) => void) | undefined })[Symbol.for('directpay.onRequestError')]?.(error);
}
