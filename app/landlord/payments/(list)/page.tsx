import type { Metadata } from 'next';
import { HydrateClient } from '@/components/trpc/hydrate';
import { FILTER_LEASES_INPUT, paymentListInput } from '@/components/payments/payment-queries';
import { prefetch, prefetchFirstPage, trpcServer } from '@/server/api/caller';
import { PaymentFilterBar, PaymentList } from '@/components/payments/payment-list';
import { paymentFiltersOf } from '@/components/payments/payment-routes';
import { Card, CardBody, PageHeader } from '@/components/ui/card';

export const metadata: Metadata = { title: 'Incoming payments' };

export default async function LandlordPaymentsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const filters = paymentFiltersOf(await searchParams);
  const input = paymentListInput(filters);
  await Promise.all([
    prefetchFirstPage(trpcServer.payment.list.infiniteQueryKey(input), trpcServer.payment.list.queryOptions(input)),
    prefetch(trpcServer.payment.rails.queryOptions(), trpcServer.lease.list.queryOptions(FILTER_LEASES_INPUT)),
  ]);
  return (
    <>
      <PageHeader title="Incoming payments" description="Rent paid to you across all your leases, newest first." />
      <Card>
        <CardBody className="space-y-4">
          <HydrateClient>
            <PaymentFilterBar viewer="LANDLORD" filters={filters} />
            <PaymentList viewer="LANDLORD" filters={filters} />
          </HydrateClient>
        </CardBody>
      </Card>
    </>
  );
}
