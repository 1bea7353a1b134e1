import type { Metadata } from 'next';
import { HydrateClient } from '@/components/trpc/hydrate';
import { ACTIVE_ACCOUNTS_INPUT } from '@/components/bank-accounts/bank-account-queries';
import { latestPaymentInput } from '@/components/payments/payment-queries';
import { prefetch, trpcServer } from '@/server/api/caller';
import { notFound } from 'next/navigation';
import { isId } from '@/components/leases/lease-routes';
import { PayRentForm } from '@/components/payments/pay-rent-form';

export const metadata: Metadata = { title: 'Pay rent' };

export default async function PayRentPage({ searchParams }: { searchParams: Promise<{ lease?: string | string[]; installment?: string | string[] }> }) {
  const { lease, installment } = await searchParams;
  if (!isId(lease) || !isId(installment)) notFound();
  await prefetch(
    trpcServer.lease.byId.queryOptions({ id: lease }),
    trpcServer.bankAccount.list.queryOptions(ACTIVE_ACCOUNTS_INPUT),
    trpcServer.payment.rails.queryOptions(),
    trpcServer.payment.list.queryOptions(latestPaymentInput(installment)),
    trpcServer.payment.demoClock.queryOptions(),
  );
  return (
    <HydrateClient>
      <PayRentForm leaseId={lease} installmentId={installment} />
    </HydrateClient>
  );
}
