import type { ReactNode } from 'react';
import { requireRole } from '@/server/session';

export default async function LandlordLayout({ children }: { children: ReactNode }) {
  await requireRole('LANDLORD');
  return children;
}
