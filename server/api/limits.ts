// Caps on what one HTTP request may ask of the server, enforced before any procedure runs.
// No server-only imports: the portal's tRPC client batches by the same number.

/** Calls one tRPC batch may carry (`/api/trpc/a,b,c?batch=1`); more is refused as a whole. */
export const MAX_BATCH_SIZE = 10;

/** Bytes of request body any API route reads (tRPC, next-auth); more answers 413. */
export const MAX_BODY_BYTES = 1024 * 1024;
