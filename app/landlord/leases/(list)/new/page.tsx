import type { Metadata } from 'next';
import { HydrateClient } from '@/components/trpc/hydrate';
import { ACTIVE_ACCOUNTS_INPUT } from '@/components/bank-accounts/bank-account-queries';
import { PROPERTY_CHOICES_INPUT } from '@/components/leases/lease-queries';
import { prefetch, trpcServer } from '@/server/api/caller';
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
  await prefetch(trpcServer.property.list.queryOptions(PROPERTY_CHOICES_INPUT), trpcServer.bankAccount.list.queryOptions(ACTIVE_ACCOUNTS_INPUT));
  return (
    <>
      <Link href="/landlord/leases" className="mb-2 inline-block text-sm font-medium text-brand-700 hover:underline">
        ← All leases
      </Link>
      <PageHeader title="Create a lease" description="Offer a lease to a renter by email. It starts pending until they accept it." />
      <HydrateClient>
        <CreateLeaseForm defaultStartDate={firstOfNextMonth(new Date())} initialPropertyId={isId(propertyId) ? propertyId : undefined} />
      </HydrateClient>
    </>
  );
}
