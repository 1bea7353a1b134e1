// Keyset pagination shared by every list: newest first, ties broken by id, the cursor being
// the id of the last item of the previous page (Prisma resolves it to that row's position).

export interface PageInput {
  cursor?: string;
  limit: number;
}

export interface Page<T> {
  items: T[];
  /** Pass back as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}

/** findMany arguments for one page: one row more than asked, to know whether another page follows. */
export function pageArgs({ cursor, limit }: PageInput) {
  return {
    orderBy: [{ createdAt: 'desc' as const }, { id: 'desc' as const }],
    take: limit + 1,
    ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
  };
}

export function toPage<T extends { id: string }>(rows: T[], limit: number): Page<T> {
  const items = rows.slice(0, limit);
  return { items, nextCursor: rows.length > limit ? items[items.length - 1]!.id : null };
}
