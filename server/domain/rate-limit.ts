// Fixed-window rate limits kept in PostgreSQL, so every app instance counts together: one
// upsert per check. Used against password guessing (sign-in per email and per address) and
// mass sign-ups (per address).
import type { Db, Tx } from '@/server/db';
import { env } from '@/server/env';
import { DomainError } from './errors';

export interface Limit {
  /** What is counted, e.g. `sign-in:email:ada@example.com`. */
  key: string;
  max: number;
  windowMs: number;
}

export const LIMITS = {
  signInPerEmail: (email: string): Limit => ({ key: `sign-in:email:${email}`, max: 10, windowMs: 15 * 60_000 }),
  signInPerAddress: (address: string | null): Limit | null => (address ? { key: `sign-in:address:${address}`, max: 50, windowMs: 15 * 60_000 } : null),
  signUpPerAddress: (address: string | null): Limit | null =>
    address ? { key: `sign-up:address:${address}`, max: env.SIGN_UPS_PER_ADDRESS_PER_HOUR, windowMs: 60 * 60_000 } : null,
};

/** Counts one hit; throws TOO_MANY_REQUESTS (saying when to come back) once the window's allowance is used up. */
export async function hit(db: Db | Tx, limit: Limit): Promise<void> {
  const [row] = await db.$queryRaw<{ count: number; resetAt: Date }[]>`
    INSERT INTO "RateLimit" (key, count, "resetAt") VALUES (${limit.key}, 1, now() + ${limit.windowMs} * interval '1 millisecond')
    ON CONFLICT (key) DO UPDATE SET
      count = CASE WHEN "RateLimit"."resetAt" <= now() THEN 1 ELSE "RateLimit".count + 1 END,
      "resetAt" = CASE WHEN "RateLimit"."resetAt" <= now() THEN EXCLUDED."resetAt" ELSE "RateLimit"."resetAt" END
    RETURNING count, "resetAt"`;
  if (row && row.count > limit.max) {
    const minutes = Math.max(1, Math.ceil((row.resetAt.getTime() - Date.now()) / 60_000));
    throw new DomainError('TOO_MANY_REQUESTS', `Too many attempts; try again in ${minutes} minute${minutes === 1 ? '' : 's'}`);
  }
}

/** Drops windows that ended (the recovery cron calls it). */
export function purgeExpiredRateLimits(db: Db | Tx, limit = 1000): Promise<number> {
  return db.$executeRaw`DELETE FROM "RateLimit" WHERE key IN (SELECT key FROM "RateLimit" WHERE "resetAt" <= now() LIMIT ${limit})`;
}

/**
 * The caller's address as the load balancer reports it (first X-Forwarded-For hop), or null
 * without one (a route handler does not see the socket). Per-address limits apply only when
 * it is known, so that every direct caller does not share one bucket.
 */
export function clientAddress(headers: Headers | Record<string, string | string[] | undefined>): string | null {
  const raw = headers instanceof Headers ? headers.get('x-forwarded-for') : headers['x-forwarded-for'];
  const value = Array.isArray(raw) ? raw[0] : raw;
  return value?.split(',')[0]?.trim().slice(0, 64) || null;
}

/** Counts hits for several limits at once; a null limit (unknown address) is skipped. */
export async function hitAll(db: Db | Tx, limits: (Limit | null)[]): Promise<void> {
  for (const limit of limits) if (limit) await hit(db, limit);
}
