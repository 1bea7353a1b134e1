// Claims queued mail and webhook deliveries for the dispatcher (inngest/functions/dispatch-outbox.ts):
// rows never dispatched, and rows whose run was lost (still waiting long after they were due).
import type { Db } from '@/server/db';

/**
 * A dispatched row still waiting this long after it was due lost its run; it is dispatched
 * again. Every send attempt refreshes a mail's `dispatchedAt` (transport.ts), and the engine's
 * retries are at most ~10.5 minutes apart (600 s backoff + jitter), so a mail whose run is still
 * retrying is never given a second, concurrent run: a mail is not sent twice.
 */
export const LOST_AFTER_MS = 30 * 60_000;

export interface ClaimedOutbox {
  emailIds: string[];
  deliveryIds: string[];
}

/** Marks up to `limit` rows of each kind dispatched now and returns them (SKIP LOCKED: concurrent dispatchers split the work). */
export async function claimOutbox(db: Db, limit = 200): Promise<ClaimedOutbox> {
  const lostBefore = new Date(Date.now() - LOST_AFTER_MS);
  const emails = await db.$queryRaw<{ id: string }[]>`
    UPDATE "EmailMessage" SET "dispatchedAt" = now()
    WHERE id IN (
      SELECT id FROM "EmailMessage"
      WHERE status = 'QUEUED' AND ("dispatchedAt" IS NULL OR "dispatchedAt" < ${lostBefore})
      ORDER BY "createdAt" LIMIT ${limit} FOR UPDATE SKIP LOCKED)
    RETURNING id`;
  const deliveries = await db.$queryRaw<{ id: string }[]>`
    UPDATE "WebhookDelivery" SET "dispatchedAt" = now()
    WHERE id IN (
      SELECT id FROM "WebhookDelivery"
      WHERE status = 'PENDING' AND ("dispatchedAt" IS NULL OR ("nextAttemptAt" IS NOT NULL AND "nextAttemptAt" < ${lostBefore}))
      ORDER BY "createdAt" LIMIT ${limit} FOR UPDATE SKIP LOCKED)
    RETURNING id`;
  return { emailIds: emails.map((row) => row.id), deliveryIds: deliveries.map((row) => row.id) };
}
