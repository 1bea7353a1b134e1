// When a caller may try again, for the errors that have such a time: answered as `Retry-After`
// (seconds) on both API doors (/api/trpc, /api/v1).
import type { TRPCError } from '@trpc/server';
import { DomainError } from '@/server/domain/errors';
import { OUTAGE_RETRY_AFTER_SECONDS } from '@/server/db-errors';

/** Seconds to wait before retrying after `error`: a rate limit's own window, the outage pause, or 60 for any other 429; undefined when retrying sooner is fine. */
function retryAfterOf(error: TRPCError): number | undefined {
  if (error.cause instanceof DomainError && error.cause.retryAfterSeconds !== undefined) return error.cause.retryAfterSeconds;
  if (error.code === 'SERVICE_UNAVAILABLE') return OUTAGE_RETRY_AFTER_SECONDS;
  if (error.code === 'TOO_MANY_REQUESTS') return 60;
  return undefined;
}

/** The `Retry-After` header (seconds) for an answer carrying `errors` (a batch: the longest wait), or null when none asks for one. */
export function retryAfterHeader(errors: readonly TRPCError[]): string | null {
  const seconds = Math.max(0, ...errors.map((error) => retryAfterOf(error) ?? 0));
  return seconds > 0 ? String(seconds) : null;
}
