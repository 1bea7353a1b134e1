// Where payment pages live for each party, and reading the payment list's URL filters
// (anything malformed is treated as absent). Plain functions: server pages and client
// components share them.
import type { Viewer } from '@/components/leases/lease-routes';
import { isId } from '@/components/leases/lease-routes';
import { PAYMENT_STATUSES, RAIL_VALUES } from '@/server/api/schemas/payment';

export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];
export type RailCode = (typeof RAIL_VALUES)[number];

export interface PaymentFilters {
  status?: PaymentStatus;
  rail?: RailCode;
  leaseId?: string;
  installmentId?: string;
}

export const paymentPath = (viewer: Viewer, paymentId: string) => `/${viewer.toLowerCase()}/payments/${paymentId}`;
export const receiptPath = (viewer: Viewer, paymentId: string) => `${paymentPath(viewer, paymentId)}/receipt`;
export const payRentPath = (leaseId: string, installmentId: string) => `/renter/payments/new?lease=${leaseId}&installment=${installmentId}`;

export function paymentListPath(viewer: Viewer, filters: PaymentFilters = {}): string {
  const query = new URLSearchParams();
  if (filters.status) query.set('status', filters.status);
  if (filters.rail) query.set('rail', filters.rail);
  if (filters.leaseId) query.set('lease', filters.leaseId);
  if (filters.installmentId) query.set('installment', filters.installmentId);
  const text = query.toString();
  return `/${viewer.toLowerCase()}/payments${text ? `?${text}` : ''}`;
}

type Param = string | string[] | undefined;

/** The list's filters from its URL: `?status=&rail=&lease=&installment=`. */
export function paymentFiltersOf(params: { status?: Param; rail?: Param; lease?: Param; installment?: Param }): PaymentFilters {
  return {
    status: PAYMENT_STATUSES.find((status) => status === params.status),
    rail: RAIL_VALUES.find((rail) => rail === params.rail),
    leaseId: isId(params.lease) ? params.lease : undefined,
    installmentId: isId(params.installment) ? params.installment : undefined,
  };
}

/** Still on its way: the page keeps watching it. */
export const isInFlight = (status: string) => status === 'PENDING' || status === 'PROCESSING';
