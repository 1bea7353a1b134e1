import { OUTAGE_RETRY_AFTER_SECONDS } from '@/server/db-errors';
import { checkHealth } from '@/server/health';
import { servedMethods } from '@/server/http-semantics';

export const dynamic = 'force-dynamic';

const { refused, OPTIONS } = servedMethods(['GET']);
export { refused as POST, refused as PUT, refused as PATCH, refused as DELETE, OPTIONS };

export async function GET() {
  const health = await checkHealth();
  // A 503 says when to ask again, as every other outage answer does.
  const headers: Record<string, string> = { 'cache-control': 'no-store', ...(health.ok ? {} : { 'retry-after': String(OUTAGE_RETRY_AFTER_SECONDS) }) };
  return Response.json(health, { status: health.ok ? 200 : 503, headers });
}
