// Every Inngest function the app serves at /api/inngest.
import { deliverWebhookFunction } from './deliver-webhook';
import { dispatchOutboxFunction } from './dispatch-outbox';
import { recoverPaymentsFunction } from './recover-payments';
import { sendEmailFunction } from './send-email';
import { settlePaymentFunction } from './settle-payment';

export const functions = [settlePaymentFunction, recoverPaymentsFunction, dispatchOutboxFunction, sendEmailFunction, deliverWebhookFunction];
