// next-auth's endpoints, inside the one API request wrapper (server/request-context.ts): a
// body over 1 MB answers 413, every answer carries X-Request-Id, a rate-limited sign-in
// carries Retry-After, and nothing unexpected reaches the client as more than a request id.
import type { NextRequest } from 'next/server';
import NextAuth from 'next-auth';
import { authOptions } from '@/server/auth';
import { handleApiRequest } from '@/server/request-context';
import { servedMethods } from '@/server/http-semantics';

type RouteContext = { params: Promise<{ nextauth: string[] }> };

function handler(req: NextRequest, context: RouteContext) {
  return handleApiRequest(req, (request) => NextAuth(request as never, context as never, authOptions()) as Promise<Response>);
}

const { refused, OPTIONS } = servedMethods(['GET', 'POST']);
export { handler as GET, handler as POST, refused as PUT, refused as PATCH, refused as DELETE, OPTIONS };
