import type { ReactNode } from 'react';
import { requireRole } from '@/server/session';

export default async function RenterLayout({ children }: { children: ReactNode }) {
  await requireRole('RENTER');
  return children;
}
