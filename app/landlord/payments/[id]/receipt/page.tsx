import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { isId } from '@/components/leases/lease-routes';
import { PaymentReceipt } from '@/components/payments/payment-receipt';

export const metadata: Metadata = { title: 'Receipt' };

export default async function LandlordReceiptPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  if (!isId(id)) notFound();
  return <PaymentReceipt id={id} viewer="LANDLORD" />;
}
