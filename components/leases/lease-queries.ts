// The queries a lease page reads, with their inputs: the page prefetches them on the server
// (lease-page.tsx) and its client components ask the same, so they hydrate without a fetch.

/** Inputs of lease.byId, lease.history, ledger.tenant and payment.list for the lease page; `asOf`: as it was then. */
export function leaseDetailInputs(id: string, asOf: Date | null) {
  return {
    lease: { id },
    history: asOf ? { id, asOf } : { id },
    ledger: asOf ? { leaseId: id, asOf } : { leaseId: id },
    /** One page of 100 covers every installment of a 60-month lease with room for retries. */
    payments: { leaseId: id, limit: 100 },
  };
}
