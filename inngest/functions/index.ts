// Every Inngest function the app serves at /api/inngest.
import { handlePaymentReturnFunction } from './handle-payment-return';
import { ledgerDailyFunction } from './ledger-daily';
import { recoverPaymentsFunction } from './recover-payments';
import { settlePaymentFunction } from './settle-payment';
import { simulateBankReturnFunction } from './simulate-bank-return';

export const functions = [settlePaymentFunction, recoverPaymentsFunction, simulateBankReturnFunction, handlePaymentReturnFunction, ledgerDailyFunction];
