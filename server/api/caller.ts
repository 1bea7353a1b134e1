// tRPC for React Server Components: a page prefetches with
//   await getQueryClient().prefetchQuery(trpcServer.x.y.queryOptions(input))
// and wraps its client components in <HydrateClient>, so they render with the data at once
// instead of fetching it again from the browser.
import 'server-only';
import { cache } from 'react';
import { headers } from 'next/headers';
import { createTRPCOptionsProxy } from '@trpc/tanstack-react-query';
import { appRouter } from '@/server/api/root';
import { createTRPCContext } from '@/server/api/trpc';
import { makeQueryClient } from '@/components/trpc/query-client';
import { getSessionUser } from '@/server/session';

// The page's own session check (getSessionUser, cached per request) is the context's user.
const createContext = cache(async () => createTRPCContext({ headers: new Headers(await headers()), user: await getSessionUser() }));

export const getQueryClient = cache(makeQueryClient);

export const trpcServer = createTRPCOptionsProxy({ ctx: createContext, router: appRouter, queryClient: getQueryClient });
