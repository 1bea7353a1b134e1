import type { Metadata } from 'next';
import { PageHeader } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/states';
import { requireRole } from '@/server/session';

export const metadata: Metadata = { title: 'Renter dashboard' };

export default async function RenterDashboard() {
  const user = await requireRole('RENTER');
  return (
    <>
      <PageHeader title="Renter dashboard" description={`Welcome, ${user.name}. Your leases, rent due and payments in one place.`} />
      <EmptyState title="No leases yet" description="When your landlord invites you to a lease with this email address, it appears here for you to review and accept." />
    </>
  );
}
