import type { Metadata } from 'next';
import { HydrateClient } from '@/components/trpc/hydrate';
import { prefetch, trpcServer } from '@/server/api/caller';
import { notFound } from 'next/navigation';
import { isId } from '@/components/leases/lease-routes';
import { PaymentReceipt } from '@/components/payments/payment-receipt';

export const metadata: Metadata = { title: 'Receipt' };

export default async function RenterReceiptPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  if (!isId(id)) notFound();
  await prefetch(trpcServer.payment.byId.queryOptions({ id }));
  return (
    <HydrateClient>
      <PaymentReceipt id={id} viewer="RENTER" />
    </HydrateClient>
  );
}
