// Every Inngest function the app serves at /api/inngest.
import { autopayInstallmentFunction } from './autopay-installment';
import { handlePaymentReturnFunction } from './handle-payment-return';
import { ledgerDailyFunction } from './ledger-daily';
import { deliverWebhookFunction } from './deliver-webhook';
import { dispatchOutboxFunction } from './dispatch-outbox';
import { recoverPaymentsFunction } from './recover-payments';
import { remindersDailyFunction } from './reminders-daily';
import { sendEmailFunction } from './send-email';
import { settlePaymentFunction } from './settle-payment';
import { simulateBankReturnFunction } from './simulate-bank-return';

export const functions = [settlePaymentFunction, recoverPaymentsFunction, simulateBankReturnFunction, handlePaymentReturnFunction, ledgerDailyFunction, dispatchOutboxFunction, sendEmailFunction, deliverWebhookFunction, autopayInstallmentFunction, remindersDailyFunction];
