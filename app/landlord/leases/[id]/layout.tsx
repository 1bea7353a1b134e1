import type { ReactNode } from 'react';
import { notFound } from 'next/navigation';
import { isId } from '@/components/leases/lease-routes';
import { prefetchOrNotFound, trpcServer } from '@/server/api/caller';

// Outside the page's loading.tsx, so that a lease that is not there is an HTTP 404 (../not-found.tsx)
// before anything streams; the page reads the same query from this request's cache.
export default async function LeaseLayout({ children, params }: { children: ReactNode; params: Promise<{ id: string }> }) {
  const { id } = await params;
  if (!isId(id)) notFound();
  await prefetchOrNotFound(trpcServer.lease.byId.queryOptions({ id }));
  return children;
}
