import type { Metadata } from 'next';
import { PaymentPage, type PaymentPageProps } from '@/components/payments/payment-page';

export const metadata: Metadata = { title: 'Payment' };

export default function LandlordPaymentPage(props: PaymentPageProps) {
  return <PaymentPage {...props} viewer="LANDLORD" />;
}
