'use client';
// A party's leases, newest first, with a status filter (kept in the URL, so a filtered list
// can be linked and survives a reload) and "load more".
import Link from 'next/link';
import { useTRPC, useTRPCClient } from '@/components/trpc/react';
import { useCursorPages } from '@/components/trpc/use-cursor-pages';
import { messageOf } from '@/components/forms';
import { formatCents, statusLabel } from '@/components/format';
import { StatusBadge } from '@/components/ui/badge';
import { cx } from '@/components/ui/cx';
import { LoadMore } from '@/components/ui/load-more';
import { EmptyState, ErrorState, LoadingRows } from '@/components/ui/states';
import { Table, TBody, Td, Th, THead } from '@/components/ui/table';
import { LEASE_STATUSES } from '@/server/api/schemas/lease';
import { renterText, termText } from './lease-format';
import { leaseListInput } from './lease-queries';
import { leaseListPath, leasePath, type LeaseStatus, type Viewer } from './lease-routes';


export function LeaseStatusFilter({ viewer, current }: { viewer: Viewer; current?: LeaseStatus }) {
  const options: { label: string; status?: LeaseStatus }[] = [{ label: 'All' }, ...LEASE_STATUSES.map((status) => ({ label: statusLabel(status), status }))];
  return (
    <nav aria-label="Filter by status" className="flex flex-wrap gap-1.5">
      {options.map((option) => {
        const active = option.status === current;
        return (
          <Link
            key={option.label}
            href={leaseListPath(viewer, option.status)}
            aria-current={active ? 'true' : undefined}
            className={cx(
              'rounded-full border px-3 py-1 text-sm font-medium',
              active ? 'border-brand-500 bg-brand-50 text-brand-700' : 'border-slate-300 bg-white text-slate-600 hover:bg-slate-50',
            )}
          >
            {option.label}
          </Link>
        );
      })}
    </nav>
  );
}

export function LeaseList({
  viewer,
  status,
  propertyId,
  emptyTitle,
  emptyDescription,
  emptyAction,
  limit = 20,
}: {
  viewer: Viewer;
  status?: LeaseStatus;
  propertyId?: string;
  emptyTitle?: string;
  emptyDescription?: string;
  emptyAction?: React.ReactNode;
  limit?: number;
}) {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const input = leaseListInput({ limit, status, propertyId });
  const leases = useCursorPages(trpc.lease.list.infiniteQueryKey(input), (cursor) => client.lease.list.query({ ...input, cursor }));

  if (leases.isPending) return <LoadingRows label="Loading leases" />;
  if (leases.isError) return <ErrorState message={messageOf(leases.error)} onRetry={() => void leases.refetch()} />;
  if (leases.items.length === 0) {
    return (
      <EmptyState title={emptyTitle ?? (status ? `No ${status.toLowerCase()} leases` : 'No leases yet')} description={emptyDescription} action={emptyAction} />
    );
  }
  return (
    <div className="space-y-3">
      <Table aria-label="Leases">
        <THead>
          <tr>
            <Th>Property</Th>
            <Th>{viewer === 'LANDLORD' ? 'Renter' : 'Landlord'}</Th>
            <Th className="text-right">Monthly rent</Th>
            <Th>Term</Th>
            <Th>Status</Th>
          </tr>
        </THead>
        <TBody>
          {leases.items.map((lease) => (
            <tr key={lease.id} className="hover:bg-slate-50" data-testid="lease-row">
              <Td label="Property" wrap className="min-w-[12rem]">
                <Link href={leasePath(viewer, lease.id)} className="font-medium text-brand-700 hover:underline">
                  {lease.property.name}
                </Link>
                <div className="text-xs text-slate-500">
                  {lease.property.city}, {lease.property.state}
                </div>
              </Td>
              <Td label={viewer === 'LANDLORD' ? 'Renter' : 'Landlord'} wrap className="min-w-[8rem]">{viewer === 'LANDLORD' ? renterText(lease) : lease.landlord.name}</Td>
              <Td label="Monthly rent" className="text-right tabular-nums">{formatCents(lease.monthlyRentCents)}</Td>
              <Td label="Term">{termText(lease)}</Td>
              <Td label="Status">
                <StatusBadge status={lease.status} />
              </Td>
            </tr>
          ))}
        </TBody>
      </Table>
      <LoadMore pages={leases} />
    </div>
  );
}
