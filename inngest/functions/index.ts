// Every Inngest function the app serves at /api/inngest.
import { ledgerDailyFunction } from './ledger-daily';
import { recoverPaymentsFunction } from './recover-payments';
import { settlePaymentFunction } from './settle-payment';

export const functions = [settlePaymentFunction, recoverPaymentsFunction, ledgerDailyFunction];
