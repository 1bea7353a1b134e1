// Every minute: payments still PENDING a minute after they should have been submitted never
// reached a settlement run (the send failed after commit, or the run was lost), so their
// request is sent again; duplicate runs are harmless (settle-payment.ts). Also drops
// idempotency records past their 24 hours, rate-limit windows that ended, and caught mail past
// CAUGHT_MAIL_RETENTION_DAYS.
import { inngest } from '@/inngest/client';
import { requestSettlement } from '@/inngest/payments';
import { db } from '@/server/db';
import { purgeExpiredIdempotencyRecords } from '@/server/domain/idempotency';
import { purgeExpiredRateLimits } from '@/server/domain/rate-limit';
import { purgeCaughtMail } from '@/server/mail/caught';
import { findStalePendingPayments } from '@/server/domain/settlement';

export const STALE_PENDING_MS = 60_000;

export const recoverPaymentsFunction = inngest.createFunction(
  { id: 'recover-stale-payments', name: 'Re-send settlement for stale payments', triggers: [{ cron: '* * * * *' }], retries: 2 },
  async ({ step }) => {
    const stale = await step.run('find-stale-payments', () => findStalePendingPayments(db, STALE_PENDING_MS));
    if (stale.length) await step.run('resend-settlement', () => Promise.all(stale.map((payment) => requestSettlement(payment.id, 'recovery'))));
    const purged = await step.run('purge-expired-keys-and-limits', async () => ({
      idempotencyKeys: await purgeExpiredIdempotencyRecords(db),
      rateLimitWindows: await purgeExpiredRateLimits(db),
      caughtMail: await purgeCaughtMail(db),
    }));
    return { resent: stale.map((payment) => payment.id), purged };
  },
);
