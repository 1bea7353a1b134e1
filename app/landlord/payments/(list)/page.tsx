import type { Metadata } from 'next';
import { PaymentsListPage, type PaymentsListPageProps } from '@/components/payments/payments-list-page';

export const metadata: Metadata = { title: 'Incoming payments' };

export default function LandlordPaymentsPage(props: PaymentsListPageProps) {
  return <PaymentsListPage {...props} viewer="LANDLORD" title="Incoming payments" description="Rent paid to you across all your leases, newest first." />;
}
