import type { Metadata } from 'next';
import Link from 'next/link';
import { CreateLeaseForm } from '@/components/leases/create-lease-form';
import { isId } from '@/components/leases/lease-routes';
import { PageHeader } from '@/components/ui/card';

export const metadata: Metadata = { title: 'Create a lease' };

/** The first day of next month (UTC): the most common start date, and a stable default for the form. */
function firstOfNextMonth(now: Date): string {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1)).toISOString().slice(0, 10);
}

export default async function NewLeasePage({ searchParams }: { searchParams: Promise<{ propertyId?: string }> }) {
  const { propertyId } = await searchParams;
  return (
    <>
      <Link href="/landlord/leases" className="mb-2 inline-block text-sm font-medium text-brand-700 hover:underline">
        ← All leases
      </Link>
      <PageHeader title="Create a lease" description="Offer a lease to a renter by email. It starts pending until they accept it." />
      <CreateLeaseForm defaultStartDate={firstOfNextMonth(new Date())} initialPropertyId={isId(propertyId) ? propertyId : undefined} />
    </>
  );
}
