// The one error type the domain throws. server/api/trpc.ts maps it to a TRPCError in one place.
export type DomainErrorCode = 'BAD_REQUEST' | 'UNAUTHORIZED' | 'FORBIDDEN' | 'NOT_FOUND' | 'CONFLICT' | 'TOO_MANY_REQUESTS';

export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    /** Field-level messages shown next to form inputs, e.g. `{ email: ['…'] }`. */
    readonly fieldErrors?: Record<string, string[]>,
    /** For TOO_MANY_REQUESTS: seconds until the caller may try again (answered as `Retry-After`). */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const notFound = (what: string) => new DomainError('NOT_FOUND', `${what} not found`);
export const conflict = (message: string) => new DomainError('CONFLICT', message);
export const badRequest = (message: string, fieldErrors?: Record<string, string[]>) => new DomainError('BAD_REQUEST', message, fieldErrors);
