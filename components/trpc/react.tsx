'use client';
// tRPC for client components: `const trpc = useTRPC()` then plain TanStack Query hooks with
// `trpc.x.y.queryOptions()` / `mutationOptions()`.
import { QueryClientProvider, type QueryClient } from '@tanstack/react-query';
import { createTRPCClient, httpBatchLink, loggerLink } from '@trpc/client';
import { createTRPCContext } from '@trpc/tanstack-react-query';
import { useState, type ReactNode } from 'react';
import superjson from 'superjson';
import { z } from 'zod';
import type { AppRouter } from '@/server/api/root';
import { makeQueryClient } from './query-client';
import { MAX_BATCH_SIZE } from '@/server/api/limits';

// In the browser, zod must not probe for `new Function` (its JIT): the CSP forbids eval, and
// the refused probe is reported as a violation although zod falls back (proxy.ts).
z.config({ jitless: true });

export const { TRPCProvider, useTRPC, useTRPCClient } = createTRPCContext<AppRouter>();

let browserQueryClient: QueryClient | undefined;
function getQueryClient(): QueryClient {
  if (typeof window === 'undefined') return makeQueryClient('server');
  browserQueryClient ??= makeQueryClient('browser');
  return browserQueryClient;
}

/** `logErrors`: log failed calls in the browser console (the layout turns it on in development). */
export function TRPCReactProvider({ children, logErrors = false }: { children: ReactNode; logErrors?: boolean }) {
  const queryClient = getQueryClient();
  const [trpcClient] = useState(() =>
    createTRPCClient<AppRouter>({
      links: [
        loggerLink({ enabled: (op) => logErrors && op.direction === 'down' && op.result instanceof Error }),
        // The server refuses larger batches (server/api/limits.ts).
        httpBatchLink({ url: '/api/trpc', transformer: superjson, maxItems: MAX_BATCH_SIZE }),
      ],
    }),
  );
  return (
    <QueryClientProvider client={queryClient}>
      <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
        {children}
      </TRPCProvider>
    </QueryClientProvider>
  );
}
