import type { Metadata } from 'next';
import { LeaseList, LeaseStatusFilter } from '@/components/leases/lease-list';
import { statusParam } from '@/components/leases/lease-routes';
import { Card, CardBody, PageHeader } from '@/components/ui/card';

export const metadata: Metadata = { title: 'Leases' };

export default async function RenterLeasesPage({ searchParams }: { searchParams: Promise<{ status?: string }> }) {
  const status = statusParam((await searchParams).status);
  return (
    <>
      <PageHeader title="Leases" description="Every lease offered to you, newest first." />
      <Card>
        <CardBody className="space-y-4">
          <LeaseStatusFilter viewer="RENTER" current={status} />
          <LeaseList viewer="RENTER" status={status} emptyDescription={status ? 'Choose another status above to see the rest.' : 'When a landlord offers you a lease at your email address, it appears here.'}
          />
        </CardBody>
      </Card>
    </>
  );
}
