import type { Metadata } from 'next';
import { HydrateClient } from '@/components/trpc/hydrate';
import { leaseListInput } from '@/components/leases/lease-queries';
import { prefetch, prefetchFirstPage, trpcServer } from '@/server/api/caller';
import { notFound } from 'next/navigation';
import { isId } from '@/components/leases/lease-routes';
import { PropertyDetail } from '@/components/properties/property-detail';

export const metadata: Metadata = { title: 'Property' };

export default async function PropertyPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  if (!isId(id)) notFound();
  const leases = leaseListInput({ propertyId: id });
  await Promise.all([prefetch(trpcServer.property.byId.queryOptions({ id })), prefetchFirstPage(trpcServer.lease.list.infiniteQueryKey(leases), trpcServer.lease.list.queryOptions(leases))]);
  return (
    <HydrateClient>
      <PropertyDetail id={id} />
    </HydrateClient>
  );
}
