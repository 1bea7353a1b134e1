// Once a day at 08:00 in America/New_York (the banking calendar's zone): rent reminders to
// renters without autopay, overdue notices (with the installment.overdue event and webhook),
// then the landlords' overdue digests (server/domain/reminders.ts). Each notice goes out once
// (a SentNotice row in its transaction), so a retried or repeated run sends nothing twice.
import { inngest } from '@/inngest/client';
import { requestOutboxDispatch } from '@/inngest/outbox';
import { db } from '@/server/db';
import { businessDay } from '@/server/domain/ledger';
import { sendOverdueDigests, sendOverdueNotices, sendRentReminders } from '@/server/domain/reminders';

export const remindersDailyFunction = inngest.createFunction(
  { id: 'reminders-daily', name: 'Rent reminders, overdue notices, landlord digests', triggers: [{ cron: 'TZ=America/New_York 0 8 * * *' }], retries: 3 },
  async ({ step }) => {
    const today = await step.run('business-day', () => businessDay());
    const reminders = await step.run('rent-reminders', () => sendRentReminders(db, today));
    const overdue = await step.run('overdue-notices', () => sendOverdueNotices(db, today));
    const digests = await step.run('landlord-digests', () => sendOverdueDigests(db, today));
    // Their mail (and the installment.overdue webhooks) were queued in those transactions.
    if (reminders + overdue + digests > 0) await step.run('dispatch-outbox', () => requestOutboxDispatch());
    return { today, reminders, overdue, digests };
  },
);
