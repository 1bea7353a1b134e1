import type { Metadata } from 'next';
import { LeaseList, LeaseStatusFilter } from '@/components/leases/lease-list';
import { statusParam } from '@/components/leases/lease-routes';
import { ButtonLink } from '@/components/ui/button';
import { Card, CardBody, PageHeader } from '@/components/ui/card';

export const metadata: Metadata = { title: 'Leases' };

export default async function LandlordLeasesPage({ searchParams }: { searchParams: Promise<{ status?: string }> }) {
  const status = statusParam((await searchParams).status);
  return (
    <>
      <PageHeader title="Leases" description="Every lease on your properties, newest first." actions={<ButtonLink href="/landlord/leases/new">Create lease</ButtonLink>} />
      <Card>
        <CardBody className="space-y-4">
          <LeaseStatusFilter viewer="LANDLORD" current={status} />
          <LeaseList
            viewer="LANDLORD"
            status={status}
            emptyDescription={status ? 'Choose another status above to see the rest.' : 'Offer a lease on one of your properties; the renter reviews and accepts it here.'}
            emptyAction={status ? undefined : <ButtonLink href="/landlord/leases/new">Create lease</ButtonLink>}
          />
        </CardBody>
      </Card>
    </>
  );
}
