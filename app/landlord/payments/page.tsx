import type { Metadata } from 'next';
import { PaymentFilterBar, PaymentList } from '@/components/payments/payment-list';
import { paymentFiltersOf } from '@/components/payments/payment-routes';
import { Card, CardBody, PageHeader } from '@/components/ui/card';

export const metadata: Metadata = { title: 'Incoming payments' };

export default async function LandlordPaymentsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const filters = paymentFiltersOf(await searchParams);
  return (
    <>
      <PageHeader title="Incoming payments" description="Rent paid to you across all your leases, newest first." />
      <Card>
        <CardBody className="space-y-4">
          <PaymentFilterBar viewer="LANDLORD" filters={filters} />
          <PaymentList viewer="LANDLORD" filters={filters} />
        </CardBody>
      </Card>
    </>
  );
}
