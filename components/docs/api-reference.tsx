'use client';
// The interactive reference of the REST API: Swagger UI reading /api/openapi.json, whose
// Markdown description carries the prose (auth, idempotency, errors, rate limits, webhooks,
// curl). Loaded in the browser only (Swagger UI needs `window`); runs under the pages' CSP
// as it is: its scripts are this site's chunks, its styles a stylesheet and inline styles, its
// requests ("Try it out") go to this origin.
import dynamic from 'next/dynamic';
import 'swagger-ui-react/swagger-ui.css';

const SwaggerUI = dynamic(() => import('swagger-ui-react'), {
  ssr: false,
  loading: () => <p role="status" className="text-sm text-slate-600">Loading the API reference…</p>,
});

/** "Try it out" sends the token the reader enters under Authorize, never this browser's session cookie. */
function withoutCookies(request: { credentials?: string; [key: string]: unknown }) {
  request.credentials = 'omit';
  return request;
}

export function ApiReference({ url }: { url: string }) {
  return (
    <div className="api-reference rounded-lg border border-slate-200 bg-white">
      <SwaggerUI url={url} docExpansion="list" defaultModelsExpandDepth={0} deepLinking={false} requestInterceptor={withoutCookies} />
    </div>
  );
}
