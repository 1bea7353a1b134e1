'use client';
// One property: its address, lease counts and every lease on it.
import Link from 'next/link';
import { useQuery } from '@tanstack/react-query';
import { useTRPC } from '@/components/trpc/react';
import { messageOf } from '@/components/forms';
import { addressText } from '@/components/leases/lease-format';
import { LeaseList } from '@/components/leases/lease-list';
import { ButtonLink } from '@/components/ui/button';
import { Card, CardBody, CardHeader, PageHeader } from '@/components/ui/card';
import { ErrorState, LoadingRows } from '@/components/ui/states';

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
        <CardBody>
          <LeaseList
            viewer="LANDLORD"
            propertyId={data.id}
            emptyTitle="No leases on this property"
            emptyDescription="Create a lease to invite a renter; they review the terms and schedule before accepting."
            emptyAction={<ButtonLink href={newLease}>Create lease</ButtonLink>}
          />
        </CardBody>
      </Card>
    </>
  );
}
