import type { Metadata } from 'next';
import { AutopayStatus } from '@/components/autopay/autopay-status';
import { LeaseStatusTiles } from '@/components/dashboard/lease-status-tiles';
import { MissingBankAccountNotice } from '@/components/dashboard/missing-bank-account-notice';
import { LeaseInvitations } from '@/components/leases/lease-invitations';
import { LeaseList } from '@/components/leases/lease-list';
import { RentDueCard } from '@/components/payments/rent-due-card';
import { Card, CardBody, CardHeader, PageHeader } from '@/components/ui/card';
import { requireRole } from '@/server/session';

export const metadata: Metadata = { title: 'Renter dashboard' };

export default async function RenterDashboard() {
  const user = await requireRole('RENTER');
  return (
    <>
      <PageHeader title="Renter dashboard" description={`Welcome, ${user.name}. Your leases, rent due and payments in one place.`} />
      <div className="space-y-6">
        <MissingBankAccountNotice href="/renter/bank-accounts">Link the bank account you will pay rent from.</MissingBankAccountNotice>
        <LeaseInvitations />
        <RentDueCard />
        <AutopayStatus />
        <LeaseStatusTiles viewer="RENTER" />
        <Card>
          <CardHeader title="Your active leases" />
          <CardBody>
            <LeaseList viewer="RENTER" status="ACTIVE" limit={5} emptyTitle="No active leases" emptyDescription="A lease you accept appears here, with its schedule." />
          </CardBody>
        </Card>
      </div>
    </>
  );
}
