// The payment page of either party (a server component): prefetches what PaymentDetail reads —
// as it is, or as it was at `?asOf=` — and hydrates it, so the page renders with its data.
import { notFound } from 'next/navigation';
import { AS_OF_PARAM, parseAsOf } from '@/components/events/as-of';
import { isId, type Viewer } from '@/components/leases/lease-routes';
import { HydrateClient } from '@/components/trpc/hydrate';
import { prefetch, trpcServer } from '@/server/api/caller';
import { PaymentDetail } from './payment-detail';
import { paymentDetailInputs } from './payment-queries';

export interface PaymentPageProps {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}

export async function PaymentPage({ params, searchParams, viewer }: PaymentPageProps & { viewer: Viewer }) {
  const { id } = await params;
  if (!isId(id)) notFound();
  const asOf = parseAsOf((await searchParams)[AS_OF_PARAM]);
  const inputs = paymentDetailInputs(id, asOf);
  await prefetch(trpcServer.payment.byId.queryOptions(inputs.payment), trpcServer.payment.history.queryOptions(inputs.history));
  return (
    <HydrateClient>
      <PaymentDetail id={id} viewer={viewer} asOf={asOf?.toISOString() ?? null} />
    </HydrateClient>
  );
}
