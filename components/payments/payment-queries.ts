// The queries a payment page reads, with their inputs: the page prefetches them on the server
// (payment-page.tsx) and PaymentDetail asks the same, so it hydrates without a fetch.
import type { PaymentFilters } from './payment-routes';

/** payment.list as the payment lists ask it, from the page's filters. */
export function paymentListInput(filters: PaymentFilters, limit = 20) {
  return {
    limit,
    ...(filters.status ? { status: filters.status } : {}),
    ...(filters.rail ? { rail: filters.rail } : {}),
    ...(filters.leaseId ? { leaseId: filters.leaseId } : {}),
    ...(filters.installmentId ? { installmentId: filters.installmentId } : {}),
  };
}

/** payment.list of an installment's latest payment (the pay-rent form). */
export const latestPaymentInput = (installmentId: string) => ({ installmentId, limit: 1 });

/** lease.list for the payment filters' lease choice. */
export const FILTER_LEASES_INPUT = { limit: 100 };

/** Inputs of payment.byId and payment.history for the payment page; `asOf`: as it was then. */
export function paymentDetailInputs(id: string, asOf: Date | null) {
  return { payment: { id }, history: asOf ? { id, asOf } : { id } };
}
