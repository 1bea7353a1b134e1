import type { Metadata } from 'next';
import { LandlordOverview } from '@/components/dashboard/landlord-overview';
import { LeaseStatusTiles } from '@/components/dashboard/lease-status-tiles';
import { MissingBankAccountNotice } from '@/components/dashboard/missing-bank-account-notice';
import { LeaseList } from '@/components/leases/lease-list';
import { PaymentList } from '@/components/payments/payment-list';
import { PropertyList } from '@/components/properties/property-list';
import { HydrateClient } from '@/components/trpc/hydrate';
import { ButtonLink } from '@/components/ui/button';
import { Card, CardBody, CardHeader, PageHeader } from '@/components/ui/card';
import { getQueryClient, trpcServer } from '@/server/api/caller';
import { requireRole } from '@/server/session';

export const metadata: Metadata = { title: 'Landlord dashboard' };

export default async function LandlordDashboard() {
  const user = await requireRole('LANDLORD');
  // The figures above the fold render with the page; the lists below load after it.
  const queryClient = getQueryClient();
  await Promise.all([
    queryClient.prefetchQuery(trpcServer.dashboard.landlord.queryOptions()),
    queryClient.prefetchQuery(trpcServer.lease.countByStatus.queryOptions()),
    queryClient.prefetchQuery(trpcServer.bankAccount.list.queryOptions({ active: true, limit: 1 })),
  ]);
  return (
    <>
      <PageHeader
        title="Landlord dashboard"
        description={`Welcome, ${user.name}. Your properties, leases and incoming rent in one place.`}
        actions={
          <>
            <ButtonLink href="/landlord/properties/new" variant="secondary">
              Add property
            </ButtonLink>
            <ButtonLink href="/landlord/leases/new">Create lease</ButtonLink>
          </>
        }
      />
      <HydrateClient>
        <div className="space-y-6">
          <MissingBankAccountNotice href="/landlord/bank-accounts">You need a payout account before you can create a lease: rent is paid into it.</MissingBankAccountNotice>
          <LandlordOverview />
          <LeaseStatusTiles viewer="LANDLORD" />
          <Card>
            <CardHeader
              title="Incoming rent"
              description="The latest rent paid to you."
              actions={
                <ButtonLink href="/landlord/payments" variant="ghost" size="sm">
                  All payments →
                </ButtonLink>
              }
            />
            <CardBody>
              <PaymentList viewer="LANDLORD" filters={{}} limit={5} />
            </CardBody>
          </Card>
          <Card>
            <CardHeader title="Waiting for renters" description="Leases you offered that the renter has not accepted yet." />
            <CardBody>
              <LeaseList viewer="LANDLORD" status="PENDING" limit={5} emptyTitle="Nothing waiting" emptyDescription="Every lease you offered has been answered." />
            </CardBody>
          </Card>
          <Card>
            <CardHeader
              title="Properties"
              actions={
                <ButtonLink href="/landlord/properties" variant="ghost" size="sm">
                  All properties →
                </ButtonLink>
              }
            />
            <CardBody>
              <PropertyList limit={5} emptyAction={<ButtonLink href="/landlord/properties/new">Add property</ButtonLink>} />
            </CardBody>
          </Card>
        </div>
      </HydrateClient>
    </>
  );
}
