import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { isId } from '@/components/leases/lease-routes';
import { PaymentDetail } from '@/components/payments/payment-detail';

export const metadata: Metadata = { title: 'Payment' };

export default async function LandlordPaymentPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  if (!isId(id)) notFound();
  return <PaymentDetail id={id} viewer="LANDLORD" />;
}
