'use client';
// "Load more" over a list procedure that takes `cursor` and returns `{ items, nextCursor }`.
// tRPC's own infiniteQueryOptions adds `direction` (and `cursor: null`) to the input, which
// our strict input schemas rightly refuse, so pages are fetched with the plain client here,
// under the procedure's infinite query key (invalidating the procedure's path refreshes them).
import { useInfiniteQuery, type QueryKey } from '@tanstack/react-query';

export interface CursorPage<TItem> {
  items: TItem[];
  nextCursor: string | null;
}

export function useCursorPages<TItem>(queryKey: QueryKey, fetchPage: (cursor: string | undefined) => Promise<CursorPage<TItem>>) {
  const query = useInfiniteQuery({
    queryKey,
    queryFn: ({ pageParam }) => fetchPage(pageParam ?? undefined),
    initialPageParam: null as string | null,
    getNextPageParam: (last: CursorPage<TItem>) => last.nextCursor,
  });
  return { ...query, items: query.data?.pages.flatMap((page) => page.items) ?? [] };
}
