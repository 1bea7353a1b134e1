// Caps on what one HTTP request may ask of the server, enforced before any procedure runs.
// No server-only imports: the portal's tRPC client batches by the same number.

/** Calls one tRPC batch may carry (`/api/trpc/a,b,c?batch=1`); more is refused as a whole. */
export const MAX_BATCH_SIZE = 10;

/** Bytes of request body any API route reads (tRPC, next-auth); more answers 413. */
export const MAX_BODY_BYTES = 1024 * 1024;
/**
 * Bytes of body /api/inngest reads: a step call carries the run's memoized step results, so it
 * may be larger than an API call, but never unbounded (the SDK parses the body before it can
 * check the signature over it).
 */
export const INNGEST_MAX_BODY_BYTES = 4 * 1024 * 1024;

/** Bytes of body the API route at `path` reads (a resolved path under /api/): INNGEST_MAX_BODY_BYTES for /api/inngest, else MAX_BODY_BYTES. */
export function apiBodyLimit(path: string): number {
  return path === '/api/inngest' ? INNGEST_MAX_BODY_BYTES : MAX_BODY_BYTES;
}

/** The message of a 413 for a body over `limit` bytes. */
export const bodyTooLargeMessage = (limit: number) => `The request body is larger than ${limit / 1024 / 1024} MB`;
