// Once a day, just after midnight in America/New_York (the banking calendar's zone), in this
// order: post the charges of installments that fell due today (and any a missed run left
// behind), charge late fees on installments still unpaid after their grace period, then
// reconcile every lease's ledger with its payments and installments and notify the landlord
// of any difference. Each step is idempotent (unique indexes on the ledger), so a retried or
// repeated run posts nothing twice.
import { inngest } from '@/inngest/client';
import { db } from '@/server/db';
import { businessDay, chargeLateFee, findLateInstallments, postChargesDue, reconcileAllLeases } from '@/server/domain/ledger';

/** Installments handled per database transaction when posting charges. */
const CHARGE_BATCH = 500;

export const ledgerDailyFunction = inngest.createFunction(
  { id: 'ledger-daily', name: 'Post charges due, charge late fees, reconcile ledgers', triggers: [{ cron: 'TZ=America/New_York 5 0 * * *' }], retries: 3 },
  async ({ step }) => {
    const today = await step.run('business-day', () => businessDay());
    const charges = await step.run('post-charges-due', async () => {
      let total = 0;
      for (;;) {
        const posted = await db.$transaction((tx) => postChargesDue(tx, { through: today, limit: CHARGE_BATCH }));
        total += posted;
        if (posted < CHARGE_BATCH) return total;
      }
    });
    const lateFees = await step.run('charge-late-fees', async () => {
      const late = await findLateInstallments(db, today, 10_000);
      let charged = 0;
      for (const installment of late) if ((await chargeLateFee(db, installment, today)) > 0) charged += 1;
      return charged;
    });
    const differing = await step.run('reconcile', async () => (await reconcileAllLeases(db)).map((r) => ({ leaseId: r.leaseId, differences: r.differences.length })));
    return { today, charges, lateFees, differing };
  },
);
