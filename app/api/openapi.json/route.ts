// GET /api/openapi.json: the REST API's OpenAPI 3.1 document (server/api/openapi.ts), public and
// cacheable (it changes only with a deployment). CORS for ALLOWED_ORIGINS (server/cors.ts).
import { openApiDocumentJson } from '@/server/api/openapi';
import { corsHandler, preflight } from '@/server/cors';
import { servedMethods } from '@/server/http-semantics';

/** Seconds browsers and caches may keep the document. */
const MAX_AGE_SECONDS = 300;

const { refused } = servedMethods(['GET']);
export { refused as POST, refused as PUT, refused as PATCH, refused as DELETE };

export const GET = corsHandler(async (request: Request) => {
  void request;
  return new Response(openApiDocumentJson(), {
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': `public, max-age=${MAX_AGE_SECONDS}` },
  });
});

export function OPTIONS(request: Request): Response {
  return preflight(request, 'GET');
}
