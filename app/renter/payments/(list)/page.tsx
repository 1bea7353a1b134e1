import type { Metadata } from 'next';
import { PaymentsListPage, type PaymentsListPageProps } from '@/components/payments/payments-list-page';

export const metadata: Metadata = { title: 'Payments' };

export default function RenterPaymentsPage(props: PaymentsListPageProps) {
  return <PaymentsListPage {...props} viewer="RENTER" title="Payments" description="Every payment you made, newest first. Open one for its live status, history and receipt." />;
}
