import type { Metadata } from 'next';
import { HydrateClient } from '@/components/trpc/hydrate';
import { prefetchFirstPage, trpcServer } from '@/server/api/caller';
import { PropertyList } from '@/components/properties/property-list';
import { ButtonLink } from '@/components/ui/button';
import { Card, CardBody, PageHeader } from '@/components/ui/card';

export const metadata: Metadata = { title: 'Properties' };

export default async function PropertiesPage() {
  // PropertyList's first page (its default limit).
  await prefetchFirstPage(trpcServer.property.list.infiniteQueryKey({ limit: 20 }), trpcServer.property.list.queryOptions({ limit: 20 }));
  return (
    <>
      <PageHeader title="Properties" description="Each property with its leases." actions={<ButtonLink href="/landlord/properties/new">Add property</ButtonLink>} />
      <Card>
        <CardBody>
          <HydrateClient>
            <PropertyList limit={20} emptyAction={<ButtonLink href="/landlord/properties/new">Add property</ButtonLink>} />
          </HydrateClient>
        </CardBody>
      </Card>
    </>
  );
}
