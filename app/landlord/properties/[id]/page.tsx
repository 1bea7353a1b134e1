import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { isId } from '@/components/leases/lease-routes';
import { PropertyDetail } from '@/components/properties/property-detail';

export const metadata: Metadata = { title: 'Property' };

export default async function PropertyPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  if (!isId(id)) notFound();
  return <PropertyDetail id={id} />;
}
