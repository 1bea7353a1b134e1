import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { LeaseDetail } from '@/components/leases/lease-detail';
import { isId } from '@/components/leases/lease-routes';

export const metadata: Metadata = { title: 'Lease' };

export default async function RenterLeasePage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  if (!isId(id)) notFound();
  return <LeaseDetail id={id} viewer="RENTER" />;
}
