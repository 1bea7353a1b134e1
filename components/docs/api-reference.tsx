'use client';
// The interactive reference of the REST API: Swagger UI reading /api/openapi.json, whose
// Markdown description carries the prose (auth, idempotency, errors, rate limits, webhooks,
// curl). swagger-ui-dist's self-contained bundle (its own React and OpenAPI 3.1 resolver),
// loaded in the browser only; swagger-ui-react's unbundled ESM build fails to resolve an
// operation under Next's bundler ("refract is not a function"). It runs under the pages' CSP as
// it is: its script is one of this site's chunks, its styles a stylesheet and inline styles, its
// requests ("Try it out") go to this origin.
import { useEffect, useRef, useState } from 'react';
import 'swagger-ui-dist/swagger-ui.css';

/** "Try it out" sends the token the reader enters under Authorize, never this browser's session cookie. */
function withoutCookies<R extends { credentials?: string }>(request: R): R {
  request.credentials = 'omit';
  return request;
}

export function ApiReference({ url }: { url: string }) {
  const container = useRef<HTMLDivElement>(null);
  const [state, setState] = useState<'loading' | 'ready' | 'failed'>('loading');

  useEffect(() => {
    let cancelled = false;
    import('swagger-ui-dist/swagger-ui-es-bundle.js')
      .then(({ default: SwaggerUIBundle }) => {
        if (cancelled || !container.current) return;
        SwaggerUIBundle({ domNode: container.current, url, docExpansion: 'list', defaultModelsExpandDepth: 0, deepLinking: false, requestInterceptor: withoutCookies });
        setState('ready');
      })
      .catch(() => !cancelled && setState('failed'));
    return () => {
      cancelled = true;
    };
  }, [url]);

  return (
    <div className="rounded-lg border border-slate-200 bg-white">
      {state !== 'ready' && (
        <p role="status" className="p-4 text-sm text-slate-600">
          {state === 'loading' ? 'Loading the API reference…' : 'The API reference could not load; the document is at /api/openapi.json.'}
        </p>
      )}
      <div ref={container} />
    </div>
  );
}
