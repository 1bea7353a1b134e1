// Mail and webhook deliveries are rows written in the transaction of the change they report
// ("EmailMessage", "WebhookDelivery"). After that transaction commits, the writer asks for a
// dispatch; the `dispatch-outbox` function claims the undispatched rows and starts one
// `send-email` or `deliver-webhook` run per row. A lost request costs at most a minute: the
// dispatcher also runs every minute.
import { inngest } from '@/inngest/client';
import { logger } from '@/server/logger';

export const OUTBOX_DISPATCH = 'outbox/dispatch';
export const EMAIL_SEND = 'email/send';
export const WEBHOOK_DELIVER = 'webhook/deliver';

/** Call after a transaction that may have queued mail or webhook deliveries has committed. */
export async function requestOutboxDispatch(): Promise<void> {
  try {
    await inngest.send({ name: OUTBOX_DISPATCH, data: {} });
  } catch (error) {
    logger.warn({ err: error }, 'could not request an outbox dispatch; the next minute’s sweep sends it');
  }
}
