// Every minute: payments a settlement run left behind (findPaymentsLeftBehind,
// server/domain/settlement.ts) are taken up again. One still PENDING a minute after it should
// have been submitted never reached a run (the send failed after commit, or the run was lost),
// and one still PROCESSING an hour after its expected settlement lost its run (an operator
// cancelled it, say): their settlement request is sent again, and settle-payment goes on from
// either status; duplicate runs are harmless (every transition is a conditional update). An ACH
// payment still not final an hour after its return window ended lost the run waiting it out: its
// finality is recorded here. Also drops idempotency records past their 24 hours, rate-limit
// windows that ended, and caught mail past CAUGHT_MAIL_RETENTION_DAYS.
import { inngest } from '@/inngest/client';
import { requestSettlement } from '@/inngest/payments';
import { db } from '@/server/db';
import { purgeExpiredIdempotencyRecords } from '@/server/domain/idempotency';
import { purgeExpiredRateLimits } from '@/server/domain/rate-limit';
import { purgeCaughtMail } from '@/server/mail/caught';
import { finalizePayment, findPaymentsLeftBehind } from '@/server/domain/settlement';
import { requestOutboxDispatch } from '@/inngest/outbox';

export const recoverPaymentsFunction = inngest.createFunction(
  { id: 'recover-stale-payments', name: 'Re-send settlement for stale payments', triggers: [{ cron: '* * * * *' }], retries: 2 },
  async ({ step }) => {
    const leftBehind = await step.run('find-stale-payments', () => findPaymentsLeftBehind(db));
    const resend = leftBehind.filter((payment) => payment.action === 'settle').map((payment) => payment.id);
    const unfinal = leftBehind.filter((payment) => payment.action === 'finalize').map((payment) => payment.id);
    if (resend.length) await step.run('resend-settlement', () => Promise.all(resend.map((id) => requestSettlement(id, 'recovery'))));
    const finalized = unfinal.length
      ? await step.run('record-finality', async () => {
          const results = [];
          for (const id of unfinal) if ((await db.$transaction((tx) => finalizePayment(tx, id))).finalized) results.push(id);
          if (results.length) requestOutboxDispatch();
          return results;
        })
      : [];
    const purged = await step.run('purge-expired-keys-and-limits', async () => ({
      idempotencyKeys: await purgeExpiredIdempotencyRecords(db),
      rateLimitWindows: await purgeExpiredRateLimits(db),
      caughtMail: await purgeCaughtMail(db),
    }));
    return { resent: resend, finalized, purged };
  },
);
