// The lease page of either party (a server component): prefetches what LeaseDetail reads —
// as it is, or as it was at `?asOf=` — and hydrates it, so the page renders with its data.
import { notFound } from 'next/navigation';
import { AS_OF_PARAM, parseAsOf } from '@/components/events/as-of';
import { HydrateClient } from '@/components/trpc/hydrate';
import { prefetch, trpcServer } from '@/server/api/caller';
import { LeaseDetail } from './lease-detail';
import { leaseDetailInputs } from './lease-queries';
import { isId, type Viewer } from './lease-routes';

export interface LeasePageProps {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}

export async function LeasePage({ params, searchParams, viewer }: LeasePageProps & { viewer: Viewer }) {
  const { id } = await params;
  if (!isId(id)) notFound();
  const asOf = parseAsOf((await searchParams)[AS_OF_PARAM]);
  const inputs = leaseDetailInputs(id, asOf);
  await prefetch(
    trpcServer.lease.byId.queryOptions(inputs.lease),
    trpcServer.lease.history.queryOptions(inputs.history),
    trpcServer.ledger.tenant.queryOptions(inputs.ledger),
    ...(asOf ? [] : [trpcServer.payment.list.queryOptions(inputs.payments)]),
  );
  return (
    <HydrateClient>
      <LeaseDetail id={id} viewer={viewer} asOf={asOf?.toISOString() ?? null} />
    </HydrateClient>
  );
}
