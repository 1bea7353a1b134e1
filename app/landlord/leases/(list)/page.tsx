import type { Metadata } from 'next';
import { HydrateClient } from '@/components/trpc/hydrate';
import { leaseListInput } from '@/components/leases/lease-queries';
import { prefetchFirstPage, trpcServer } from '@/server/api/caller';
import { LeaseList, LeaseStatusFilter } from '@/components/leases/lease-list';
import { statusParam } from '@/components/leases/lease-routes';
import { ButtonLink } from '@/components/ui/button';
import { Card, CardBody, PageHeader } from '@/components/ui/card';

export const metadata: Metadata = { title: 'Leases' };

export default async function LandlordLeasesPage({ searchParams }: { searchParams: Promise<{ status?: string }> }) {
  const status = statusParam((await searchParams).status);
  const input = leaseListInput({ status });
  await prefetchFirstPage(trpcServer.lease.list.infiniteQueryKey(input), trpcServer.lease.list.queryOptions(input));
  return (
    <>
      <PageHeader title="Leases" description="Every lease on your properties, newest first." actions={<ButtonLink href="/landlord/leases/new">Create lease</ButtonLink>} />
      <Card>
        <CardBody className="space-y-4">
          <LeaseStatusFilter viewer="LANDLORD" current={status} />
          <HydrateClient>
            <LeaseList
              viewer="LANDLORD"
              status={status}
              emptyDescription={status ? 'Choose another status above to see the rest.' : 'Offer a lease on one of your properties; the renter reviews and accepts it here.'}
              emptyAction={status ? undefined : <ButtonLink href="/landlord/leases/new">Create lease</ButtonLink>}
            />
          </HydrateClient>
        </CardBody>
      </Card>
    </>
  );
}
