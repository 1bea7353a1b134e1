import type { ReactNode } from 'react';
import { notFound } from 'next/navigation';
import { isId } from '@/components/leases/lease-routes';
import { prefetchOrNotFound, trpcServer } from '@/server/api/caller';

// Outside the page's loading.tsx, so that a property that is not there is an HTTP 404 (../not-found.tsx)
// before anything streams; the page reads the same query from this request's cache.
export default async function PropertyLayout({ children, params }: { children: ReactNode; params: Promise<{ id: string }> }) {
  const { id } = await params;
  if (!isId(id)) notFound();
  await prefetchOrNotFound(trpcServer.property.byId.queryOptions({ id }));
  return children;
}
