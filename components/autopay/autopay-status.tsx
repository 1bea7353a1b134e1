'use client';
// The renter dashboard's autopay line per active lease: on (next pull, New York time) or off,
// with a link to the lease page where autopay is set up.
import Link from 'next/link';
import { useQueries, useQuery } from '@tanstack/react-query';
import { useTRPC } from '@/components/trpc/react';
import { formatCents, formatEastern } from '@/components/format';
import { leasePath } from '@/components/leases/lease-routes';
import { Card, CardBody, CardHeader } from '@/components/ui/card';

export function AutopayStatus() {
  const trpc = useTRPC();
  const leases = useQuery(trpc.lease.list.queryOptions({ status: 'ACTIVE', limit: 10 }));
  const items = leases.data?.items ?? [];
  const autopays = useQueries({ queries: items.map((lease) => trpc.autopay.get.queryOptions({ leaseId: lease.id })) });
  if (!items.length) return null;
  return (
    <Card>
      <CardHeader title="Autopay" description="Each active lease, and when autopay pays next." />
      <CardBody>
        <ul className="divide-y divide-slate-100 text-sm" data-testid="autopay-status">
          {items.map((lease, index) => {
            const autopay = autopays[index]?.data;
            const next = autopay?.view === 'renter' ? autopay.nextPull : null;
            return (
              <li key={lease.id} className="flex flex-wrap items-center justify-between gap-2 py-2">
                <Link href={leasePath('RENTER', lease.id)} className="font-medium text-brand-700 hover:underline">
                  {lease.property.name}
                </Link>
                <span className="text-slate-700">
                  {!autopay ? '…' : autopay.enabled ? (next ? `On · next ${formatCents(next.amountCents)} sent ${formatEastern(next.pullAt)}` : 'On · nothing left to pay') : 'Off'}
                </span>
              </li>
            );
          })}
        </ul>
      </CardBody>
    </Card>
  );
}
