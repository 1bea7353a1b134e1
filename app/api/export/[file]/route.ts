// File exports: /api/export/events.csv, events.jsonl, payments.csv, ledger.csv?leaseId=,
// statement.csv?leaseId= (server/export/exports.ts), with the same sign-in as tRPC (session
// cookie or API token) and the one request wrapper (request id, 500/503).
import { exportResponse } from '@/server/export/exports';
import { handleApiRequest } from '@/server/request-context';
import { servedMethods } from '@/server/http-semantics';

export const dynamic = 'force-dynamic';

const { refused, OPTIONS } = servedMethods(['GET']);
export { refused as POST, refused as PUT, refused as PATCH, refused as DELETE, OPTIONS };

export function GET(request: Request, context: { params: Promise<{ file: string }> }): Promise<Response> {
  return handleApiRequest(request, async (req) => exportResponse(req, (await context.params).file));
}

/** The file's status and headers, without reading it (exportResponse). */
export { GET as HEAD };
