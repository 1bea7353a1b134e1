// Starts the runs that send queued mail and deliver webhooks (inngest/outbox.ts): on request
// after a commit, and every minute for requests that were lost.
import { inngest } from '@/inngest/client';
import { EMAIL_SEND, OUTBOX_DISPATCH, WEBHOOK_DELIVER } from '@/inngest/outbox';
import { db } from '@/server/db';
import { claimOutbox } from '@/server/domain/outbox';

export const dispatchOutboxFunction = inngest.createFunction(
  { id: 'dispatch-outbox', name: 'Dispatch queued mail and webhooks', triggers: [{ event: OUTBOX_DISPATCH }, { cron: '* * * * *' }], retries: 3 },
  async ({ step }) => {
    const claimed = await step.run('claim-queued', async () => ({ ...(await claimOutbox(db)), at: Date.now() }));
    const events = [
      ...claimed.emailIds.map((emailId) => ({ id: `email-${emailId}-${claimed.at}`, name: EMAIL_SEND, data: { emailId } })),
      ...claimed.deliveryIds.map((deliveryId) => ({ id: `webhook-${deliveryId}-${claimed.at}`, name: WEBHOOK_DELIVER, data: { deliveryId } })),
    ];
    if (events.length) await step.sendEvent('start-runs', events);
    return { emails: claimed.emailIds.length, webhooks: claimed.deliveryIds.length };
  },
);
