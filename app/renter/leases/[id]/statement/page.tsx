import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { isId } from '@/components/leases/lease-routes';
import { LeaseStatement } from '@/components/leases/lease-statement';
import { TRPCError } from '@trpc/server';
import { statementPaths } from '@/components/dashboard/export-paths';
import { HydrateClient } from '@/components/trpc/hydrate';
import { getQueryClient, trpcServer } from '@/server/api/caller';
import { requireRole } from '@/server/session';

export const metadata: Metadata = { title: 'Lease statement' };

export default async function RenterLeaseStatementPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  if (!isId(id)) notFound();
  // Pages render beside their layout, not after it: a visitor is sent to sign in here too, not
  // asked for through the API (whose UNAUTHORIZED this page would throw, and Next log as a fault).
  await requireRole('RENTER');
  const queryClient = getQueryClient();
  // Someone else's lease (or none) is NOT_FOUND from the API: the page says so too.
  try {
    await queryClient.fetchQuery(trpcServer.lease.byId.queryOptions({ id }));
  } catch (error) {
    if (error instanceof TRPCError && error.code === 'NOT_FOUND') notFound();
    throw error;
  }
  await queryClient.prefetchQuery(trpcServer.ledger.tenant.queryOptions({ leaseId: id }));
  return (
    <HydrateClient>
      <LeaseStatement leaseId={id} csvHref={statementPaths.csv(id)} />
    </HydrateClient>
  );
}
