// The queries a payment page reads, with their inputs: the page prefetches them on the server
// (payment-page.tsx) and PaymentDetail asks the same, so it hydrates without a fetch.

/** Inputs of payment.byId and payment.history for the payment page; `asOf`: as it was then. */
export function paymentDetailInputs(id: string, asOf: Date | null) {
  return { payment: { id }, history: asOf ? { id, asOf } : { id } };
}
