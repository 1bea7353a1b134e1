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

/**
 * Requests coalesce: a dispatch claims every row queued before it, so the requests of all the
 * commits within this window (ms) share one `outbox/dispatch` event, sent at its end. During a
 * burst of payments that is one dispatcher run per window instead of one per payment, each
 * run a call into the app (BENCHMARKS.md); a mail or webhook waits at most this much longer.
 */
export const OUTBOX_COALESCE_MS = 200;

/** The request being gathered or sent, if any: settles once it has gone out (or failed). */
let pending: Promise<void> | null = null;
let scheduled = false;

/**
 * Call after a transaction that may have queued mail or webhook deliveries has committed: asks
 * for a dispatch within OUTBOX_COALESCE_MS (one request for every call in that window). Returns
 * at once; a failed send is logged, and the dispatcher's minute sweep sends what it left.
 */
export function requestOutboxDispatch(): void {
  if (scheduled) return;
  scheduled = true;
  const sent = new Promise<void>((resolve) => {
    setTimeout(() => {
      // Cleared before sending: a commit from here on gets a request of its own, sent after it.
      scheduled = false;
      inngest
        .send({ name: OUTBOX_DISPATCH, data: {} })
        .catch((error: unknown) => {
          logger.warn({ err: error }, 'could not request an outbox dispatch; the next minute’s sweep sends it');
        })
        .finally(resolve);
    }, OUTBOX_COALESCE_MS).unref();
  });
  const mine: Promise<void> = sent.finally(() => {
    if (pending === mine) pending = null;
  });
  pending = mine;
}

/** Resolves once no dispatch request is waiting out its window or being sent (tests: instead of sleeping). */
export async function outboxDispatchIdle(): Promise<void> {
  while (pending) await pending;
}
