// Prometheus metrics (server/metrics.ts; README "Metrics"). Off (404) unless METRICS_TOKEN is
// set; then only `Authorization: Bearer <METRICS_TOKEN>` (compared in constant time) gets
// them, anyone else 401.
import { env } from '@/server/env';
import { bearerMatches, metricsText } from '@/server/metrics';
import { logger } from '@/server/logger';
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
  let scraped;
  try {
    scraped = await metricsText();
  } catch (error) {
    // The payments and the engine's queue are counted at scrape time: without the database the
    // scrape fails as a whole (Prometheus records `up` 0), not with a partial page.
    logger.warn({ err: error instanceof Error ? error.message : String(error) }, 'metrics scrape failed: the database could not be read');
    return new Response('Service unavailable: the database could not be read\n', { status: 503, headers: { 'cache-control': 'no-store', 'retry-after': '5' } });
  }
  if (scraped.engineError) {
    const reason = scraped.engineError instanceof Error ? scraped.engineError.message : String(scraped.engineError);
    logger.warn({ err: reason }, "metrics: the local engine is configured but its queue could not be read; its gauges are left out");
  }
  return new Response(scraped.text, { headers: { 'content-type': scraped.contentType, 'cache-control': 'no-store' } });
}
