'use client';
// One property: its address, lease counts and every lease on it.
import Link from 'next/link';
import { useQuery } from '@tanstack/react-query';
import { useTRPC } from '@/components/trpc/react';
import { messageOf } from '@/components/forms';
import { formatCents } from '@/components/format';
import { addressText, renterText, termText } from '@/components/leases/lease-format';
import { leasePath } from '@/components/leases/lease-routes';
import { StatusBadge } from '@/components/ui/badge';
import { ButtonLink } from '@/components/ui/button';
import { Card, CardBody, CardHeader, PageHeader } from '@/components/ui/card';
import { EmptyState, ErrorState, LoadingRows } from '@/components/ui/states';
import { Table, TBody, Td, Th, THead } from '@/components/ui/table';

export function PropertyDetail({ id }: { id: string }) {
  const trpc = useTRPC();
  const property = useQuery(trpc.property.byId.queryOptions({ id }));

  if (property.isPending) return <LoadingRows rows={5} label="Loading property" />;
  if (property.isError) {
    return (
      <div className="space-y-4">
        <ErrorState message={messageOf(property.error)} onRetry={() => void property.refetch()} />
        <Link href="/landlord/properties" className="text-sm font-medium text-brand-700 hover:underline">
          ← All properties
        </Link>
      </div>
    );
  }
  const data = property.data;
  const newLease = `/landlord/leases/new?propertyId=${data.id}`;
  return (
    <>
      <Link href="/landlord/properties" className="mb-2 inline-block text-sm font-medium text-brand-700 hover:underline">
        ← All properties
      </Link>
      <PageHeader title={data.name} description={addressText(data)} actions={<ButtonLink href={newLease}>Create lease</ButtonLink>} />
      <Card>
        <CardHeader title="Leases" description={`${data.leaseCount} in total, ${data.activeLeaseCount} active.`} />
        <CardBody className={data.leases.length ? 'px-0 py-0 sm:px-0' : undefined}>
          {data.leases.length === 0 ? (
            <EmptyState
              title="No leases on this property"
              description="Create a lease to invite a renter; they review the terms and schedule before accepting."
              action={<ButtonLink href={newLease}>Create lease</ButtonLink>}
            />
          ) : (
            <Table aria-label="Leases on this property">
              <THead>
                <tr>
                  <Th>Renter</Th>
                  <Th className="text-right">Monthly rent</Th>
                  <Th>Term</Th>
                  <Th>Status</Th>
                </tr>
              </THead>
              <TBody>
                {data.leases.map((lease) => (
                  <tr key={lease.id} className="hover:bg-slate-50" data-testid="lease-row">
                    <Td>
                      <Link href={leasePath('LANDLORD', lease.id)} className="font-medium text-brand-700 hover:underline">
                        {renterText(lease)}
                      </Link>
                    </Td>
                    <Td className="text-right tabular-nums">{formatCents(lease.monthlyRentCents)}</Td>
                    <Td>{termText(lease)}</Td>
                    <Td>
                      <StatusBadge status={lease.status} />
                    </Td>
                  </tr>
                ))}
              </TBody>
            </Table>
          )}
        </CardBody>
      </Card>
    </>
  );
}
