// tRPC for React Server Components: `const trpc = await serverApi()` calls procedures
// directly with the signed-in user's context; `prefetch` + <HydrateClient> lets client
// components render with the data without a second round trip.
import 'server-only';
import { cache } from 'react';
import { headers } from 'next/headers';
import { createTRPCOptionsProxy } from '@trpc/tanstack-react-query';
import { appRouter, createCaller } from '@/server/api/root';
import { createTRPCContext } from '@/server/api/trpc';
import { makeQueryClient } from '@/components/trpc/query-client';

const createContext = cache(async () => createTRPCContext({ headers: new Headers(await headers()) }));

export const getQueryClient = cache(makeQueryClient);

export const trpcServer = createTRPCOptionsProxy({ ctx: createContext, router: appRouter, queryClient: getQueryClient });

export async function serverCaller() {
  return createCaller(await createContext());
}
