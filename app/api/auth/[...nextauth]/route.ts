// next-auth's endpoints, inside the one API request wrapper (server/request-context.ts): a
// body over 1 MB answers 413, every answer carries X-Request-Id, a rate-limited sign-in
// carries Retry-After, and nothing unexpected reaches the client as more than a request id.
// What next-auth 4 would answer 500 for is refused as a 400 first: a body declared JSON that is
// not (it parses it unguarded), and a callback URL, in the query or its cookie, that is not an
// http(s) URL or a path (its config check; the cookie is cleared, so the browser recovers).
import type { NextRequest } from 'next/server';
import NextAuth from 'next-auth';
import { authOptions } from '@/server/auth';
import { env } from '@/server/env';
import { handleApiRequest, refusal } from '@/server/request-context';
import { servedMethods } from '@/server/http-semantics';

type RouteContext = { params: Promise<{ nextauth: string[] }> };

/** next-auth's callback-URL cookies (secure and not). */
const CALLBACK_URL_COOKIES = ['next-auth.callback-url', '__Secure-next-auth.callback-url'];

/** next-auth's own test of a callback URL (core/lib/assert.js isValidHttpUrl): a path, or an absolute http(s) URL. */
function isCallbackUrl(value: string): boolean {
  try {
    return /^https?:/.test(new URL(value, value.startsWith('/') ? env.NEXTAUTH_URL : undefined).protocol);
  } catch {
    return false;
  }
}

function refusedCallbackUrl(request: NextRequest): Response | null {
  const param = request.nextUrl.searchParams.get('callbackUrl');
  if (param && !isCallbackUrl(param)) return refusal(request, 400, 'BAD_REQUEST', 'callbackUrl must be a path on this site or an http(s) URL');
  const bad = CALLBACK_URL_COOKIES.filter((name) => {
    const value = request.cookies.get(name)?.value;
    return value !== undefined && value !== '' && !isCallbackUrl(value);
  });
  if (bad.length === 0) return null;
  const response = refusal(request, 400, 'BAD_REQUEST', 'The callback URL cookie was not a URL; it is cleared, try again');
  for (const name of bad) response.headers.append('set-cookie', `${name}=; Path=/; Max-Age=0; SameSite=Lax${name.startsWith('__Secure-') ? '; Secure' : ''}`);
  return response;
}

function handler(req: NextRequest, context: RouteContext) {
  const declaredJson = req.method === 'POST' && (req.headers.get('content-type') ?? '').includes('application/json');
  return handleApiRequest(
    req,
    async (request) => refusedCallbackUrl(request) ?? ((await NextAuth(request as never, context as never, authOptions())) as Response),
    undefined,
    { jsonBody: declaredJson },
  );
}

const { refused, OPTIONS } = servedMethods(['GET', 'POST']);
export { handler as GET, handler as POST, refused as PUT, refused as PATCH, refused as DELETE, OPTIONS };
