import { checkHealth } from '@/server/health';
import { servedMethods } from '@/server/http-semantics';

export const dynamic = 'force-dynamic';

const { refused, OPTIONS } = servedMethods(['GET']);
export { refused as POST, refused as PUT, refused as PATCH, refused as DELETE, OPTIONS };

export async function GET() {
  const health = await checkHealth();
  return Response.json(health, { status: health.ok ? 200 : 503, headers: { 'cache-control': 'no-store' } });
}
