// Fixed-window rate limits kept in PostgreSQL, so every app instance counts together: one
// upsert per check. Used against password guessing (sign-in per email and client, per email,
// per address), mass sign-ups (per address) and runaway programs (payment and API-token
// mutations per user). The client address comes from server/client-address.ts.
import type { Db, Tx } from '@/server/db';
import { env } from '@/server/env';
import { DomainError } from './errors';

export interface Limit {
  /** What is counted, e.g. `sign-in:email:ada@example.com`. */
  key: string;
  max: number;
  windowMs: number;
}

const FIFTEEN_MINUTES = 15 * 60_000;

export const LIMITS = {
  /**
   * Wrong passwords for one email from one client: the wrong-password lock. Keyed by both, so
   * a stranger guessing from their address locks only themselves out, never the owner. Each
   * attempt is counted before the password is checked and a right one is refunded (`refund`),
   * so signing in often never locks the owner out.
   */
  signInPerEmailAndClient: (email: string, address: string | null): Limit => ({
    key: `sign-in:email-client:${email}|${address ?? 'unknown'}`,
    max: 10,
    windowMs: FIFTEEN_MINUTES,
  }),
  /** The per-email ceiling on wrong passwords over every client (refunded like the lock's): only a guesser with many addresses reaches it. */
  signInPerEmail: (email: string): Limit => ({ key: `sign-in:email:${email}`, max: 100, windowMs: FIFTEEN_MINUTES }),
  /**
   * Wrong current passwords given by one signed-in user (me.changePassword; a right one is
   * refunded): a stolen session cannot guess the password, and the owner's sign-in is not
   * locked by it (a separate key).
   */
  passwordChecksPerUser: (userId: string): Limit => ({ key: `password-check:user:${userId}`, max: 10, windowMs: FIFTEEN_MINUTES }),
  /**
   * Sign-in attempts from one client, right or wrong, for any emails (spraying one password over
   * many accounts; a flood guard, never refunded): SIGN_INS_PER_ADDRESS_PER_15_MINUTES (50), to
   * raise where many people sign in from one address (an office behind one NAT; the e2e suite).
   */
  signInPerAddress: (address: string | null): Limit | null =>
    address ? { key: `sign-in:address:${address}`, max: env.SIGN_INS_PER_ADDRESS_PER_15_MINUTES, windowMs: FIFTEEN_MINUTES } : null,
  signUpPerAddress: (address: string | null): Limit | null =>
    address ? { key: `sign-up:address:${address}`, max: env.SIGN_UPS_PER_ADDRESS_PER_HOUR, windowMs: 60 * 60_000 } : null,
  /** payment.create, retry and cancel by one user (PAYMENT_MUTATIONS_PER_USER_PER_MINUTE). */
  paymentMutationsPerUser: (userId: string): Limit => ({ key: `payment-mutation:user:${userId}`, max: env.PAYMENT_MUTATIONS_PER_USER_PER_MINUTE, windowMs: 60_000 }),
  /** apiToken.create and revoke by one user (API_TOKEN_MUTATIONS_PER_USER_PER_HOUR). */
  apiTokenMutationsPerUser: (userId: string): Limit => ({ key: `api-token-mutation:user:${userId}`, max: env.API_TOKEN_MUTATIONS_PER_USER_PER_HOUR, windowMs: 60 * 60_000 }),
  /** lease.create by one landlord: each mails an invitation to an address of their choosing (not a mail relay). */
  leaseInvitationsPerUser: (userId: string): Limit => ({ key: `lease-invitation:user:${userId}`, max: 200, windowMs: 60 * 60_000 }),
  /** webhook.create, update, rotateSecret, delete, sendTest and redeliver by one user (not a request amplifier). */
  webhookMutationsPerUser: (userId: string): Limit => ({ key: `webhook-mutation:user:${userId}`, max: 120, windowMs: 60 * 60_000 }),
  /** audit.verify and the /api/export files by one user: each reads every event the caller can see. */
  auditReadsPerUser: (userId: string): Limit => ({ key: `audit-read:user:${userId}`, max: 120, windowMs: 60 * 60_000 }),
  /** autopay.enable, disable and skip by one renter: each (re)schedules a background run. */
  autopayMutationsPerUser: (userId: string): Limit => ({ key: `autopay-mutation:user:${userId}`, max: 60, windowMs: 60 * 60_000 }),
  /** lease.decline, lease.changePayout and me.updateName by one user: each writes an event (and a decline a mail). */
  recordChangesPerUser: (userId: string): Limit => ({ key: `record-change:user:${userId}`, max: 60, windowMs: 60 * 60_000 }),
};

/** Counts one hit; throws TOO_MANY_REQUESTS (saying when to come back) once the window's allowance is used up. */
export async function hit(db: Db | Tx, limit: Limit): Promise<void> {
  const [row] = await db.$queryRaw<{ count: number; resetAt: Date }[]>`
    INSERT INTO "RateLimit" (key, count, "resetAt") VALUES (${limit.key}, 1, now() + ${limit.windowMs} * interval '1 millisecond')
    ON CONFLICT (key) DO UPDATE SET
      count = CASE WHEN "RateLimit"."resetAt" <= now() THEN 1 ELSE "RateLimit".count + 1 END,
      "resetAt" = CASE WHEN "RateLimit"."resetAt" <= now() THEN EXCLUDED."resetAt" ELSE "RateLimit"."resetAt" END
    RETURNING count, "resetAt"`;
  if (row && row.count > limit.max) throw tooMany(row.resetAt);
}

/**
 * Whether `hit` would refuse now, without counting: throws the same TOO_MANY_REQUESTS when the
 * window's allowance is used up. For a request that asks what another would answer (HEAD of
 * an export answers GET's status) and must not spend the allowance itself.
 */
export async function checkLimit(db: Db | Tx, limit: Limit): Promise<void> {
  const [row] = await db.$queryRaw<{ count: number; resetAt: Date }[]>`
    SELECT count, "resetAt" FROM "RateLimit" WHERE key = ${limit.key} AND "resetAt" > now()`;
  if (row && row.count >= limit.max) throw tooMany(row.resetAt);
}

/** TOO_MANY_REQUESTS for a window ending at `resetAt`, in whole minutes, with Retry-After's seconds. */
function tooMany(resetAt: Date): DomainError {
  const seconds = Math.max(1, Math.ceil((resetAt.getTime() - Date.now()) / 1000));
  const minutes = Math.ceil(seconds / 60);
  return new DomainError('TOO_MANY_REQUESTS', `Too many attempts; try again in ${minutes} minute${minutes === 1 ? '' : 's'}`, undefined, seconds);
}

/**
 * Takes back one hit of each limit in the current window (never below zero): for limits that
 * count only failures, an attempt is counted before its outcome is known (so concurrent
 * guesses cannot overtake the lock) and refunded when it succeeds. One statement.
 */
export async function refund(db: Db | Tx, limits: Limit[]): Promise<void> {
  await db.$executeRaw`
    UPDATE "RateLimit" SET count = count - 1
    WHERE key = ANY(${limits.map((limit) => limit.key)}::text[]) AND "resetAt" > now() AND count > 0`;
}

/** Drops windows that ended (the recovery cron calls it). */
export function purgeExpiredRateLimits(db: Db | Tx, limit = 1000): Promise<number> {
  return db.$executeRaw`DELETE FROM "RateLimit" WHERE key IN (SELECT key FROM "RateLimit" WHERE "resetAt" <= now() LIMIT ${limit})`;
}

/** Counts hits for several limits in order, stopping at the first used up; a null limit (unknown address) is skipped. */
export async function hitAll(db: Db | Tx, limits: (Limit | null)[]): Promise<void> {
  for (const limit of limits) if (limit) await hit(db, limit);
}
