import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { isId } from '@/components/leases/lease-routes';
import { PayRentForm } from '@/components/payments/pay-rent-form';

export const metadata: Metadata = { title: 'Pay rent' };

export default async function PayRentPage({ searchParams }: { searchParams: Promise<{ lease?: string | string[]; installment?: string | string[] }> }) {
  const { lease, installment } = await searchParams;
  if (!isId(lease) || !isId(installment)) notFound();
  return <PayRentForm leaseId={lease} installmentId={installment} />;
}
