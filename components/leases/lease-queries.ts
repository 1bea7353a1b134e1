// The queries a lease page reads, with their inputs: the page prefetches them on the server
// (lease-page.tsx) and its client components ask the same, so they hydrate without a fetch.
import type { LeaseStatus } from './lease-routes';

/** property.list for the lease form's property choice. */
export const PROPERTY_CHOICES_INPUT = { limit: 100 };

/** lease.list as the lease lists ask it (a status filter, or one property's leases). */
export function leaseListInput({ limit = 20, status, propertyId }: { limit?: number; status?: LeaseStatus; propertyId?: string }) {
  return { limit, ...(status ? { status } : {}), ...(propertyId ? { propertyId } : {}) };
}

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
