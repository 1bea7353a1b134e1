import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { isId } from '@/components/leases/lease-routes';
import { LeaseStatement } from '@/components/leases/lease-statement';
import { statementPaths } from '@/components/dashboard/export-paths';
import { HydrateClient } from '@/components/trpc/hydrate';
import { prefetch, trpcServer } from '@/server/api/caller';
import { requireRole } from '@/server/session';

export const metadata: Metadata = { title: 'Lease statement' };

export default async function RenterLeaseStatementPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  if (!isId(id)) notFound();
  // Pages render beside their layout, not after it: a visitor is sent to sign in here too,
  // before anything is asked of the API.
  await requireRole('RENTER');
  // A lease that is not the renter's is the 404 of [id]/layout.tsx, before this page streams.
  await prefetch(trpcServer.lease.byId.queryOptions({ id }), trpcServer.ledger.tenant.queryOptions({ leaseId: id }));
  return (
    <HydrateClient>
      <LeaseStatement leaseId={id} csvHref={statementPaths.csv(id)} />
    </HydrateClient>
  );
}
