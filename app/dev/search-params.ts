// The operators' pages (/dev/inngest, /dev/mail) read their filters from the URL and hand them
// to SQL without the API's input schemas: one reader for all of them.

export type SearchParams = Record<string, string | string[] | undefined>;

/**
 * The first value of `key` in a page's search parameters, trimmed, or undefined when absent or
 * blank. A NUL, which no PostgreSQL text can hold (the statement fails: a 500 for a typed
 * `?concerns=x%00y`), reads as U+FFFD, so the filter matches nothing and the page says so.
 */
export function searchParam(params: SearchParams, key: string): string | undefined {
  const raw = params[key];
  const value = (Array.isArray(raw) ? raw[0] : raw)?.trim().replaceAll('\u0000', '\uFFFD');
  return value || undefined;
}
