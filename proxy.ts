// Next.js proxy (formerly middleware): gives every page a fresh CSP nonce and the security
// headers (server/security-headers.js). Next reads the nonce from the request's CSP header
// and puts it on its own scripts; pages are rendered per request (the root layout reads the
// session), so every page's scripts carry it. API routes are left out (see next.config.js).
import { NextResponse, type NextRequest } from 'next/server';
import { createNonce, isHttpsSite, securityHeaders } from '@/server/security-headers';
import { env } from '@/server/env';

export function proxy(request: NextRequest) {
  const nonce = createNonce();
  const headers = securityHeaders({ nonce, development: env.NODE_ENV === 'development', https: isHttpsSite(env.NEXTAUTH_URL) });
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set('x-nonce', nonce);
  // The page asked for, so a signed-out visitor is sent to sign in and back (server/session.ts).
  // Always set here, so a client cannot supply its own.
  requestHeaders.set('x-request-path', `${request.nextUrl.pathname}${request.nextUrl.search}`);
  requestHeaders.set('Content-Security-Policy', headers['Content-Security-Policy']!);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
  return response;
}

export const config = {
  // Everything but API routes and the build's static files (hashed, served as-is); public/
  // files (favicon, icons, manifest) carry the same headers as pages.
  matcher: ['/((?!api/|_next/static/|_next/image).*)'],
};
