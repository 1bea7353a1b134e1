// /docs: the REST API's reference for programs in any language, public. The prose and the
// operations come from the OpenAPI document (/api/openapi.json, server/api/openapi.ts).
import type { Metadata } from 'next';
import { ApiReference } from '@/components/docs/api-reference';

export const metadata: Metadata = { title: 'API reference' };

export default function DocsPage() {
  return (
    <div className="space-y-4">
      <div>
        <h1 className="text-2xl font-semibold">DirectPay API</h1>
        <p className="mt-1 text-slate-600">
          REST over HTTPS with JSON, for any language. Authenticate with an API token from Settings → API tokens (scope READ for the GET operations, WRITE to pay rent too). The OpenAPI 3.1 document is at{' '}
          <a className="font-medium text-brand-700 underline" href="/api/openapi.json">
            /api/openapi.json
          </a>
          .
        </p>
      </div>
      <ApiReference url="/api/openapi.json" />
    </div>
  );
}
