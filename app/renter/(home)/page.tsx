import type { Metadata } from 'next';
import { AutopayStatus } from '@/components/autopay/autopay-status';
import { LeaseStatusTiles } from '@/components/dashboard/lease-status-tiles';
import { MissingBankAccountNotice } from '@/components/dashboard/missing-bank-account-notice';
import { RenterOverview } from '@/components/dashboard/renter-overview';
import { LeaseInvitations } from '@/components/leases/lease-invitations';
import { HydrateClient } from '@/components/trpc/hydrate';
import { PageHeader } from '@/components/ui/card';
import { getQueryClient, trpcServer } from '@/server/api/caller';
import { requireRole } from '@/server/session';

export const metadata: Metadata = { title: 'Renter dashboard' };

export default async function RenterDashboard() {
  const user = await requireRole('RENTER');
  const queryClient = getQueryClient();
  await Promise.all([
    queryClient.prefetchQuery(trpcServer.dashboard.renter.queryOptions()),
    queryClient.prefetchQuery(trpcServer.lease.list.queryOptions({ status: 'PENDING', limit: 20 })),
    queryClient.prefetchQuery(trpcServer.lease.countByStatus.queryOptions()),
    queryClient.prefetchQuery(trpcServer.bankAccount.list.queryOptions({ active: true, limit: 1 })),
  ]);
  return (
    <>
      <PageHeader title="Renter dashboard" description={`Welcome, ${user.name}. Your leases, rent due and payments in one place.`} />
      <HydrateClient>
        <div className="space-y-6">
          <MissingBankAccountNotice href="/renter/bank-accounts">Link the bank account you will pay rent from.</MissingBankAccountNotice>
          <LeaseInvitations />
          <RenterOverview />
          <AutopayStatus />
          <LeaseStatusTiles viewer="RENTER" />
        </div>
      </HydrateClient>
    </>
  );
}
