// Where lease pages live for each party, and reading their URL parameters (anything
// malformed is treated as absent). Plain functions: server pages and client components share them.
import { id } from '@/server/api/schemas/common';
import { LEASE_STATUSES } from '@/server/api/schemas/lease';

export type LeaseStatus = (typeof LEASE_STATUSES)[number];
export type Viewer = 'LANDLORD' | 'RENTER';

export const leasePath = (viewer: Viewer, leaseId: string) => `/${viewer.toLowerCase()}/leases/${leaseId}`;
export const leaseListPath = (viewer: Viewer, status?: LeaseStatus) => `/${viewer.toLowerCase()}/leases${status ? `?status=${status}` : ''}`;

export function statusParam(value: string | string[] | undefined): LeaseStatus | undefined {
  return LEASE_STATUSES.find((status) => status === value);
}

export function isId(value: string | string[] | undefined): value is string {
  return id.safeParse(value).success;
}
