// Every Inngest function the app serves at /api/inngest.
import { recoverPaymentsFunction } from './recover-payments';
import { settlePaymentFunction } from './settle-payment';

export const functions = [settlePaymentFunction, recoverPaymentsFunction];
