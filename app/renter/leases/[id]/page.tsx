import type { Metadata } from 'next';
import { LeasePage, type LeasePageProps } from '@/components/leases/lease-page';

export const metadata: Metadata = { title: 'Lease' };

export default function RenterLeasePage(props: LeasePageProps) {
  return <LeasePage {...props} viewer="RENTER" />;
}
