// A URL path whose percent-escapes do not decode, read the way a browser's URL parser reads it,
// before Next.js sees the request (server/request-gate.ts).
import { APP_METHODS } from '@/server/http-methods';
import { addGateStep, refuseAtGate } from '@/server/request-gate';

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
/**
 * A request-target's path with its dot segments resolved, `%2e` ones too, as the WHATWG URL
 * parser resolves them: `/api/%2e%2e/renter` is `/renter`. What a gate step asks "which part of
 * the app is this?" of, since Next routes by the resolved path.
 */
export function resolvedPath(target: string | undefined): string {
  return new URL(target ?? '/', 'http://gate').pathname;
}

/** Is this resolved path one of the API's route handlers' (`/api/…`) rather than a page's? */
export function isApiPath(path: string): boolean {
  return path.startsWith('/api/');
}

export function literalPercentPath(pathname: string): string | null {
  if (decodes(pathname)) return null;
  return pathname.replace(ESCAPES, (run) => (run !== '%' && decodes(run) ? run : run.replaceAll('%', '%25')));
}

/**
 * The request-target as the app's routes read it (RFC 9112 §3.2), or why it is refused:
 * - origin-form (`/path?query`): as sent;
 * - absolute-form (`http://host/path?query`, what a proxy sends): its path and query — the
 *   authority is not followed (Next answered a 308 to it, a redirect to any host), and one that
 *   does not parse is refused;
 * - anything else (`*`, `x`): refused; `OPTIONS *` is answered by the gate step itself.
 */
export function originFormTarget(target: string): { target: string } | { refused: string } {
  if (target.startsWith('/')) return { target };
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(target)) {
    try {
      const url = new URL(target);
      // Only a web URL has a path to serve (`foo://host` has none: Next answered it with a 500).
      if (url.protocol !== 'http:' && url.protocol !== 'https:') return { refused: 'The request-target must be a path, or an http(s) URL' };
      return { target: `${url.pathname}${url.search}` };
    } catch {
      return { refused: 'The request-target is not a URL that can be read' };
    }
  }
  return { refused: 'The request-target must be a path starting with /' };
}

/**
 * Makes every HTTP server in this process read each request's target before Next.js does
 * (server/request-gate.ts): an absolute-form target becomes its path and query, any other form
 * but a path is a 400 (`OPTIONS *` a 204 naming the methods the app serves) — Next answered `*`
 * with a bare 500 and logged a stack for each — and undecodable percent-escapes in the path are
 * taken literally (`literalPercentPath`); the query is left as sent (Next reads it leniently).
 * Idempotent; added at start-up (server/startup.ts).
 */
export function readRequestTargets(): void {
  addGateStep('request-target', (request, response) => {
    const raw = request.url ?? '/';
    if (raw === '*' && request.method === 'OPTIONS') {
      response.writeHead(204, { allow: APP_METHODS.join(', '), 'cache-control': 'no-store' });
      response.end();
      return true;
    }
    const read = originFormTarget(raw);
    if ('refused' in read) return refuseAtGate(response, 400, { code: 'BAD_REQUEST', message: read.refused });
    const target = read.target;
    const queryAt = target.indexOf('?');
    const path = queryAt === -1 ? target : target.slice(0, queryAt);
    const literal = literalPercentPath(path);
    request.url = literal === null ? target : literal + (queryAt === -1 ? '' : target.slice(queryAt));
    return false;
  });
}
