// next-auth's endpoints, inside the one API request wrapper (server/request-context.ts): a
// body over 1 MB answers 413, every answer carries X-Request-Id, a rate-limited sign-in
// carries Retry-After, and nothing unexpected reaches the client as more than a request id.
// What next-auth 4 would answer 500 (or nonsense) for is refused first: a body declared JSON that
// is not, empty included (it parses it unguarded: 400), another body type (415), a GET of the
// credentials callback (405), and a callback URL, in the query or its cookie, that is not an
// http(s) URL or a path (its config check: 400; the cookie is cleared, so the browser recovers).
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
  // Every value: next-auth reads the last of a repeated one (found by a stranger: a good first value let a bad second one through to a 500).
  if (request.nextUrl.searchParams.getAll('callbackUrl').some((value) => value && !isCallbackUrl(value))) return refusal(request, 400, 'BAD_REQUEST', 'callbackUrl must be a path on this site or an http(s) URL');
  const bad = CALLBACK_URL_COOKIES.filter((name) => {
    const value = request.cookies.get(name)?.value;
    return value !== undefined && value !== '' && !isCallbackUrl(value);
  });
  if (bad.length === 0) return null;
  const response = refusal(request, 400, 'BAD_REQUEST', 'The callback URL cookie was not a URL; it is cleared, try again');
  for (const name of bad) response.headers.append('set-cookie', `${name}=; Path=/; Max-Age=0; SameSite=Lax${name.startsWith('__Secure-') ? '; Secure' : ''}`);
  return response;
}

/**
 * What next-auth would mishandle about the request itself: a GET of the credentials callback
 * (it serves only the POST of the sign-in form; next-auth answered a text/plain 500), and a POST
 * whose body is neither of the two types next-auth reads (it went on with no body and answered
 * "[object Object]").
 */
function refusedShape(request: NextRequest, nextauth: string[]): Response | null {
  if (request.method === 'GET' && nextauth[0] === 'callback' && nextauth[1] === 'credentials') {
    const refused = refusal(request, 405, 'METHOD_NOT_SUPPORTED', 'The credentials callback takes the sign-in form by POST');
    refused.headers.set('allow', 'POST');
    return refused;
  }
  if (request.method === 'POST' && !/^application\/(json|x-www-form-urlencoded)\b/i.test((request.headers.get('content-type') ?? '').trim())) {
    return refusal(request, 415, 'UNSUPPORTED_MEDIA_TYPE', 'Send the form as application/x-www-form-urlencoded (or JSON)');
  }
  return null;
}

function handler(req: NextRequest, context: RouteContext) {
  const declaredJson = req.method === 'POST' && /^application\/json\b/i.test((req.headers.get('content-type') ?? '').trim());
  return handleApiRequest(
    req,
    async (request) =>
      refusedShape(request, (await context.params).nextauth ?? []) ??
      refusedCallbackUrl(request) ??
      ((await NextAuth(request as never, context as never, authOptions())) as Response),
    undefined,
    declaredJson ? { jsonBody: 'required' } : {},
  );
}

const { refused, OPTIONS } = servedMethods(['GET', 'POST']);
export { handler as GET, handler as POST, refused as PUT, refused as PATCH, refused as DELETE, OPTIONS };
