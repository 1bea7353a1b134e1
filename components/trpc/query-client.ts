// The one QueryClient factory, shared by the browser provider and server-side prefetching.
import { defaultShouldDehydrateQuery, QueryClient } from '@tanstack/react-query';
import superjson from 'superjson';

/**
 * A QueryClient for the browser or for one server request. In the browser a failed query is
 * asked again twice (after 1 s, then 2 s: React Query's delays) unless the answer was a 4xx. On
 * the server never: a prefetch that fails is left to the browser, and the server's errors are
 * TRPCErrors without an HTTP status, so a missing record was asked three times and the page waited
 * the 3 s of delays before it streamed (found: /renter/payments/<not yours> took 3.2–3.6 s).
 */
export function makeQueryClient(where: 'browser' | 'server'): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: { staleTime: 30_000, retry: where === 'server' ? false : (failures, error) => failures < 2 && !isClientError(error) },
      dehydrate: {
        serializeData: superjson.serialize,
        shouldDehydrateQuery: (query) => defaultShouldDehydrateQuery(query) || query.state.status === 'pending',
      },
      hydrate: { deserializeData: superjson.deserialize },
    },
  });
}

/** 4xx answers (not found, forbidden, bad input) won't change on retry. */
function isClientError(error: unknown): boolean {
  const status = (error as { data?: { httpStatus?: number } })?.data?.httpStatus;
  return typeof status === 'number' && status >= 400 && status < 500;
}
