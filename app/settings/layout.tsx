import type { ReactNode } from 'react';
import { requireUser } from '@/server/session';

// Signed in, either role: a signed-out visitor gets a 307 to sign in before the page's skeleton
// (loading.tsx) streams.
export default async function SettingsLayout({ children }: { children: ReactNode }) {
  await requireUser();
  return children;
}
