import type { Metadata } from 'next';
import { HydrateClient } from '@/components/trpc/hydrate';
import { leaseListInput } from '@/components/leases/lease-queries';
import { prefetchFirstPage, trpcServer } from '@/server/api/caller';
import { LeaseList, LeaseStatusFilter } from '@/components/leases/lease-list';
import { statusParam } from '@/components/leases/lease-routes';
import { Card, CardBody, PageHeader } from '@/components/ui/card';

export const metadata: Metadata = { title: 'Leases' };

export default async function RenterLeasesPage({ searchParams }: { searchParams: Promise<{ status?: string }> }) {
  const status = statusParam((await searchParams).status);
  const input = leaseListInput({ status });
  await prefetchFirstPage(trpcServer.lease.list.infiniteQueryKey(input), trpcServer.lease.list.queryOptions(input));
  return (
    <>
      <PageHeader title="Leases" description="Every lease offered to you, newest first." />
      <Card>
        <CardBody className="space-y-4">
          <LeaseStatusFilter viewer="RENTER" current={status} />
          <HydrateClient>
            <LeaseList viewer="RENTER" status={status} emptyDescription={status ? 'Choose another status above to see the rest.' : 'When a landlord offers you a lease at your email address, it appears here.'}
            />
          </HydrateClient>
        </CardBody>
      </Card>
    </>
  );
}
