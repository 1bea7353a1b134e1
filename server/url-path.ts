// A URL path whose percent-escapes do not decode, read the way a browser's URL parser reads it,
// before Next.js sees the request (server/request-gate.ts).
import { addGateStep } from '@/server/request-gate';

/** One or more percent-escapes in a row (`%E2%82%AC`), which together must be UTF-8, or else a `%` that starts no escape (`%G1`, `%A` at the end). */
const ESCAPES = /(?:%[0-9A-Fa-f]{2})+|%/g;

function decodes(text: string): boolean {
  try {
    decodeURIComponent(text);
    return true;
  } catch {
    return false;
  }
}

/**
 * The path with every percent-escape that does not decode taken literally (its `%` written
 * `%25`), or null when the whole path decodes (the usual case, one `decodeURIComponent`).
 *
 * Undecodable: a `%` not followed by two hex digits (`/leases/%`, `%G1`), and escapes that are not
 * UTF-8 (`%FF`, the cut-off `%E0%A4`) — RFC 3986 §2.1 with UTF-8 per RFC 3987. Next.js 16 decodes a
 * dynamic segment (`/leases/[id]`, `/api/trpc/[trpc]`) with `decodeURIComponent` and, when that
 * throws, answers a bare `500 Internal Server Error` without the security headers
 * (vercel/next.js#92557); a rewrite in proxy.ts does not help, as the route decodes the path as
 * sent again. With the escape taken literally, as WHATWG URL parsing does, the request reaches its
 * route, which answers as it does for any id or path it does not know: the portal's 404 page, the
 * tRPC door's NOT_FOUND, the API's 404 in its own shape.
 *
 * Escapes that decode are kept (`/a%20b/%FF` → `/a%20b/%25FF`); a run of escapes with any bad byte
 * is taken literally whole (`%E2%82%AC%FF` → `%25E2%2582%25AC%25FF`), still a name no route has.
 */
export function literalPercentPath(pathname: string): string | null {
  if (decodes(pathname)) return null;
  return pathname.replace(ESCAPES, (run) => (run !== '%' && decodes(run) ? run : run.replaceAll('%', '%25')));
}

/**
 * Makes every HTTP server in this process take a request path's undecodable percent-escapes
 * literally (`literalPercentPath`) before Next.js sees it; the query is left as sent (Next reads
 * it leniently). Idempotent; added at start-up (server/startup.ts).
 */
export function takeUndecodablePathsLiterally(): void {
  addGateStep('undecodable percent-escapes', (request) => {
    const target = request.url ?? '/';
    const queryAt = target.indexOf('?');
    const path = queryAt === -1 ? target : target.slice(0, queryAt);
    const literal = literalPercentPath(path);
    if (literal !== null) request.url = literal + (queryAt === -1 ? '' : target.slice(queryAt));
  });
}
