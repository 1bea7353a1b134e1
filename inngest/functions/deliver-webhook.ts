// Delivers one webhook at least once: attempts on the schedule in server/webhooks/delivery.ts
// (now, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h — about 27.6 hours, scaled by
// WEBHOOK_BACKOFF_SCALE), each attempt a step that records its status code and duration,
// durable sleeps in between (at least 1 s: Inngest's resolution). Stops at the first 2xx, or
// when the endpoint is gone or disabled.
import { NonRetriableError } from 'inngest';
import { z } from 'zod';
import { inngest } from '@/inngest/client';
import { WEBHOOK_DELIVER } from '@/inngest/outbox';
import { db } from '@/server/db';
import { ATTEMPT_DELAYS_MS, attemptDelivery, scaledDelayMs } from '@/server/webhooks/delivery';

export const deliverWebhookFunction = inngest.createFunction(
  { id: 'deliver-webhook', name: 'Deliver a webhook', triggers: [{ event: WEBHOOK_DELIVER }], retries: 3 },
  async ({ event, step }) => {
    const parsed = z.object({ deliveryId: z.uuid() }).safeParse(event.data);
    if (!parsed.success) throw new NonRetriableError('webhook/deliver needs data.deliveryId (a uuid)');
    const { deliveryId } = parsed.data;
    for (let index = 0; index < ATTEMPT_DELAYS_MS.length; index++) {
      if (index > 0) await step.sleep(`wait-before-attempt-${index + 1}`, Math.max(1_000, scaledDelayMs(index)));
      const result = await step.run(`attempt-${index + 1}`, () => attemptDelivery(db, deliveryId, index));
      if (result.status !== 'PENDING') return { deliveryId, ...result, attempts: index + 1 };
    }
    return { deliveryId, status: 'FAILED' };
  },
);
