// The payment list page of either party (a server component): prefetches the first page of
// the list as the URL filters it, the rails and the leases of the filter bar, and hydrates them.
import type { Viewer } from '@/components/leases/lease-routes';
import { HydrateClient } from '@/components/trpc/hydrate';
import { Card, CardBody, PageHeader } from '@/components/ui/card';
import { prefetch, prefetchFirstPage, trpcServer } from '@/server/api/caller';
import { PaymentFilterBar, PaymentList } from './payment-list';
import { FILTER_LEASES_INPUT, paymentListInput } from './payment-queries';
import { paymentFiltersOf } from './payment-routes';

export interface PaymentsListPageProps {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}

export async function PaymentsListPage({ searchParams, viewer, title, description }: PaymentsListPageProps & { viewer: Viewer; title: string; description: string }) {
  const filters = paymentFiltersOf(await searchParams);
  const input = paymentListInput(filters);
  await Promise.all([
    prefetchFirstPage(trpcServer.payment.list.infiniteQueryKey(input), trpcServer.payment.list.queryOptions(input)),
    prefetch(trpcServer.payment.rails.queryOptions(), trpcServer.lease.list.queryOptions(FILTER_LEASES_INPUT)),
  ]);
  return (
    <>
      <PageHeader title={title} description={description} />
      <Card>
        <CardBody className="space-y-4">
          <HydrateClient>
            <PaymentFilterBar viewer={viewer} filters={filters} />
            <PaymentList viewer={viewer} filters={filters} />
          </HydrateClient>
        </CardBody>
      </Card>
    </>
  );
}
