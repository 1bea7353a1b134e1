// Prometheus metrics (server/metrics.ts; README "Metrics"). Off (404) unless METRICS_TOKEN is
// set; then only `Authorization: Bearer <METRICS_TOKEN>` (compared in constant time) gets
// them, anyone else 401.
import { env } from '@/server/env';
import { bearerMatches, metrics } from '@/server/metrics';
import { servedMethods } from '@/server/http-semantics';

export const dynamic = 'force-dynamic';

const { refused, OPTIONS } = servedMethods(['GET']);
export { refused as POST, refused as PUT, refused as PATCH, refused as DELETE, OPTIONS };

export async function GET(request: Request) {
  const token = env.METRICS_TOKEN;
  if (!token) return new Response('Not found\n', { status: 404, headers: { 'cache-control': 'no-store' } });
  if (!bearerMatches(request.headers.get('authorization'), token)) {
    return new Response('Unauthorized\n', { status: 401, headers: { 'www-authenticate': 'Bearer realm="metrics"', 'cache-control': 'no-store' } });
  }
  const { registry } = metrics();
  return new Response(await registry.metrics(), { headers: { 'content-type': registry.contentType, 'cache-control': 'no-store' } });
}
