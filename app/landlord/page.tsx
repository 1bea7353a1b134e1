import type { Metadata } from 'next';
import { PageHeader } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/states';
import { requireRole } from '@/server/session';

export const metadata: Metadata = { title: 'Landlord dashboard' };

export default async function LandlordDashboard() {
  const user = await requireRole('LANDLORD');
  return (
    <>
      <PageHeader title="Landlord dashboard" description={`Welcome, ${user.name}. Your properties, leases and incoming rent in one place.`} />
      <EmptyState title="No properties yet" description="Add a property, then invite a renter to a lease. Rent they pay lands in your payout account." />
    </>
  );
}
