// next-auth's endpoints, inside the one API request wrapper (server/request-context.ts): a
// body over 1 MB answers 413, every answer carries X-Request-Id, a rate-limited sign-in
// carries Retry-After, and nothing unexpected reaches the client as more than a request id.
// What next-auth 4 would answer 500 (or nonsense) for is refused first: a path that is none of its
// endpoints (404), a method its endpoint does not serve (405; a GET of the credentials callback
// was a 500), a body declared JSON that is not, empty included (it parses it unguarded: 400),
// another body type (415), and a callback URL, in the query or its cookie, that is not an http(s)
// URL or a path (its config check: 400; the cookie is cleared, so the browser recovers). A HEAD is
// answered as its GET; next-auth's own text refusals become the API's JSON ones.
import { NextRequest } from 'next/server';
import NextAuth, { type NextAuthOptions } from 'next-auth';
import { authOptions } from '@/server/auth';
import { env } from '@/server/env';
import { handleApiRequest, refusal } from '@/server/request-context';
import { servedMethods, type ServedMethod } from '@/server/http-semantics';

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
 * next-auth 4's endpoints and the methods each serves (next-auth/core/index.js), HEAD with each
 * GET. `callback` takes a provider (only a credentials provider is configured, whose callback is
 * the sign-in form's POST); `signin` may. next-auth answered anything else a text/plain 400 —
 * and a GET of the credentials callback a 500.
 */
const ENDPOINTS: Record<string, { methods: readonly ServedMethod[]; provider: 'none' | 'optional' | 'required' }> = {
  providers: { methods: ['GET'], provider: 'none' },
  csrf: { methods: ['GET'], provider: 'none' },
  session: { methods: ['GET', 'POST'], provider: 'none' },
  signin: { methods: ['GET', 'POST'], provider: 'optional' },
  signout: { methods: ['GET', 'POST'], provider: 'none' },
  callback: { methods: ['POST'], provider: 'required' },
  'verify-request': { methods: ['GET'], provider: 'none' },
  error: { methods: ['GET'], provider: 'none' },
  _log: { methods: ['POST'], provider: 'none' },
};

/**
 * What next-auth would mishandle about the request itself: a path that is none of its endpoints
 * (404), a method the endpoint does not serve (405 with the endpoint's Allow; OPTIONS names it
 * too, where the route's own answer named GET and POST for all: found by a stranger), and a POST whose body is neither
 * of the two types next-auth reads (it went on with no body and answered "[object Object]": 415).
 */
function refusedShape(request: NextRequest, nextauth: string[], options: NextAuthOptions): Response | null {
  const [action = '', provider, ...rest] = nextauth;
  const endpoint = Object.hasOwn(ENDPOINTS, action) ? ENDPOINTS[action]! : undefined;
  const providers = options.providers.map((configured) => configured.id);
  if (
    !endpoint ||
    rest.length > 0 ||
    (provider === undefined ? endpoint.provider === 'required' : endpoint.provider === 'none' || !providers.includes(provider))
  ) {
    return refusal(request, 404, 'NOT_FOUND', 'No such sign-in endpoint');
  }
  // The answers of every route outside the two doors: OPTIONS 204 and a refused method 405, each with this endpoint's Allow.
  const methods = servedMethods(endpoint.methods);
  if (request.method === 'OPTIONS') return methods.OPTIONS();
  const method = request.method === 'HEAD' ? 'GET' : request.method;
  if (!endpoint.methods.includes(method as ServedMethod)) return methods.refused(request);
  if (request.method === 'POST' && !/^application\/(json|x-www-form-urlencoded)\b/i.test((request.headers.get('content-type') ?? '').trim())) {
    return refusal(request, 415, 'UNSUPPORTED_MEDIA_TYPE', 'Send the form as application/x-www-form-urlencoded (or JSON)');
  }
  return null;
}

/**
 * next-auth's own refusals in the API's JSON error shape, their status and cookies kept: it
 * answers a session update (POST /session) without a valid csrfToken with 400 and the text
 * "[object Object]".
 */
async function inApiShape(request: NextRequest, nextauth: string[], response: Response): Promise<Response> {
  if (response.status < 400 || /^application\/json\b/i.test(response.headers.get('content-type') ?? '')) return response;
  const message = nextauth[0] === 'session' ? 'A session update needs the csrfToken from /api/auth/csrf' : 'The sign-in request was refused';
  const refused = refusal(request, response.status, response.status === 404 ? 'NOT_FOUND' : 'BAD_REQUEST', message);
  for (const cookie of response.headers.getSetCookie()) refused.headers.append('set-cookie', cookie);
  return refused;
}

/**
 * next-auth/react's client log lines (POST `_log`: a browser's own errors, already in its
 * console) are answered 204 and written nowhere. next-auth wrote each to the server's log as an
 * error, whatever its level, text and size, for any caller, signed in or not (found by a
 * stranger: unlimited error lines with stacks of server paths, and forged ones).
 */
function droppedClientLog(nextauth: string[]): Response | null {
  return nextauth[0] === '_log' ? new Response(null, { status: 204 }) : null;
}

/** next-auth's answer to the request; a HEAD is asked as a GET (next-auth serves no HEAD), and Next sends its head only. */
async function nextAuth(request: NextRequest, context: RouteContext, nextauth: string[], options: NextAuthOptions): Promise<Response> {
  const asked = request.method === 'HEAD' ? new NextRequest(request.url, { method: 'GET', headers: request.headers }) : request;
  return inApiShape(request, nextauth, (await NextAuth(asked as never, context as never, options)) as Response);
}

function handler(req: NextRequest, context: RouteContext) {
  const declaredJson = req.method === 'POST' && /^application\/json\b/i.test((req.headers.get('content-type') ?? '').trim());
  return handleApiRequest(
    req,
    async (request) => {
      const nextauth = (await context.params).nextauth ?? [];
      const options = authOptions();
      return refusedShape(request, nextauth, options) ?? refusedCallbackUrl(request) ?? droppedClientLog(nextauth) ?? nextAuth(request, context, nextauth, options);
    },
    undefined,
    declaredJson ? { jsonBody: 'required' } : {},
  );
}

// Every method through the same table (refusedShape): a method no endpoint takes is refused there.
export { handler as GET, handler as POST, handler as PUT, handler as PATCH, handler as DELETE, handler as OPTIONS };
