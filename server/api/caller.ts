// tRPC for React Server Components: a page prefetches with
//   await prefetch(trpcServer.x.y.queryOptions(input), …)
// and wraps its client components in <HydrateClient>, so they render with the data at once
// instead of fetching it again from the browser (no loading flash on first load). The inputs
// must be exactly those the client components ask with, or the browser asks again.
import 'server-only';
import { cache } from 'react';
import { headers } from 'next/headers';
import { createTRPCOptionsProxy } from '@trpc/tanstack-react-query';
import { appRouter } from '@/server/api/root';
import { createTRPCContext } from '@/server/api/trpc';
import type { ReactNode } from 'react';
import type { FetchQueryOptions, QueryKey } from '@tanstack/react-query';
import { TRPCError } from '@trpc/server';
import { notFound } from 'next/navigation';
import { makeQueryClient } from '@/components/trpc/query-client';
import { getSessionUser } from '@/server/session';
import { isId } from '@/components/leases/lease-routes';

// The page's own session check (getSessionUser, cached per request) is the context's user.
const createContext = cache(async () => createTRPCContext({ headers: new Headers(await headers()), user: await getSessionUser() }));

export const getQueryClient = cache(() => makeQueryClient('server'));

export const trpcServer = createTRPCOptionsProxy({ ctx: createContext, router: appRouter, queryClient: getQueryClient });

/**
 * Prefetches the first page of a "Load more" list (components/trpc/use-cursor-pages.ts): the
 * procedure's first page (`firstPage`, its queryOptions) stored under its infinite query key.
 * A failure is left to the list, which asks again and shows its error state.
 */
export async function prefetchFirstPage(infiniteKey: QueryKey, firstPage: { queryKey: QueryKey }): Promise<void> {
  const client = getQueryClient();
  try {
    const page = await client.fetchQuery(firstPage as FetchQueryOptions);
    client.setQueryData(infiniteKey, { pages: [page], pageParams: [null] });
  } catch {
    // Not dehydrated: the list fetches it in the browser and shows what went wrong.
  }
}

/**
 * Prefetches these queries (in parallel) into this request's QueryClient for <HydrateClient>.
 * A query that fails is not dehydrated: the client component asks again and shows its error
 * state (a page's `error.tsx` is for faults of the page itself).
 */
export async function prefetch(...queries: { queryKey: QueryKey }[]): Promise<void> {
  const client = getQueryClient();
  // Each element is some `trpcServer.….queryOptions(…)`; their data types differ, so the list is widened.
  await Promise.all(queries.map((options) => client.prefetchQuery(options as FetchQueryOptions)));
}

/**
 * Fetches the record a page is about into this request's QueryClient, and renders the nearest
 * `not-found.tsx` when the API answers NOT_FOUND (it does not exist, or is not the caller's).
 * Called from a segment's `[id]/layout.tsx`, outside the page's `loading.tsx`, that is an HTTP
 * 404 before anything streams; inside it, the shell would already be sent with 200. Any other
 * failure is left to the page, whose client component asks again and shows its error state.
 */
async function prefetchOrNotFound(options: { queryKey: QueryKey }): Promise<void> {
  try {
    await getQueryClient().fetchQuery(options as FetchQueryOptions);
  } catch (error) {
    if (error instanceof TRPCError && error.code === 'NOT_FOUND') notFound();
  }
}

/**
 * The `[id]/layout.tsx` of a record's segment (a lease, a payment, a property): an id that is
 * not one, or a record the API answers NOT_FOUND for, renders the segment's `not-found.tsx`
 * with HTTP 404 (`prefetchOrNotFound`); otherwise the page reads the record from this request's
 * cache. `record(id)` is the procedure's queryOptions, e.g.
 * `recordLayout((id) => trpcServer.lease.byId.queryOptions({ id }))`.
 */
export function recordLayout(record: (id: string) => { queryKey: QueryKey }) {
  return async function RecordLayout({ children, params }: { children: ReactNode; params: Promise<{ id: string }> }) {
    const { id } = await params;
    if (!isId(id)) notFound();
    await prefetchOrNotFound(record(id));
    return children;
  };
}
