import type { Metadata } from 'next';
import { PaymentFilterBar, PaymentList } from '@/components/payments/payment-list';
import { paymentFiltersOf } from '@/components/payments/payment-routes';
import { Card, CardBody, PageHeader } from '@/components/ui/card';

export const metadata: Metadata = { title: 'Payments' };

export default async function RenterPaymentsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const filters = paymentFiltersOf(await searchParams);
  return (
    <>
      <PageHeader title="Payments" description="Every payment you made, newest first. Open one for its live status, history and receipt." />
      <Card>
        <CardBody className="space-y-4">
          <PaymentFilterBar viewer="RENTER" filters={filters} />
          <PaymentList viewer="RENTER" filters={filters} />
        </CardBody>
      </Card>
    </>
  );
}
