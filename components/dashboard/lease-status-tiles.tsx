'use client';
// How many of the signed-in party's leases are in each status, each linking to that filter.
import Link from 'next/link';
import { useQuery } from '@tanstack/react-query';
import { useTRPC } from '@/components/trpc/react';
import { messageOf } from '@/components/forms';
import { leaseListPath, type Viewer } from '@/components/leases/lease-routes';
import { StatusBadge } from '@/components/ui/badge';
import { ErrorState, LoadingRows } from '@/components/ui/states';
import { LEASE_STATUSES } from '@/server/api/schemas/lease';

export function LeaseStatusTiles({ viewer }: { viewer: Viewer }) {
  const trpc = useTRPC();
  const counts = useQuery(trpc.lease.countByStatus.queryOptions());
  if (counts.isPending) return <LoadingRows rows={1} label="Loading lease counts" />;
  if (counts.isError) return <ErrorState message={messageOf(counts.error)} onRetry={() => void counts.refetch()} />;
  return (
    <ul aria-label="Leases by status" className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-6">
      {LEASE_STATUSES.map((status) => (
        <li key={status}>
          <Link
            href={leaseListPath(viewer, status)}
            className="block rounded-lg border border-slate-200 bg-white p-4 shadow-sm hover:border-brand-500"
            data-testid={`lease-count-${status}`}
          >
            <StatusBadge status={status} />
            <span className="mt-2 block text-2xl font-semibold tabular-nums text-slate-900">{counts.data[status]}</span>
          </Link>
        </li>
      ))}
    </ul>
  );
}
