'use client';
// The interactive reference of the REST API: Swagger UI reading /api/openapi.json, whose
// Markdown description carries the prose (auth, idempotency, errors, rate limits, webhooks,
// curl). swagger-ui-dist's prebuilt bundle, served as-is by app/docs/swagger-ui-bundle.js
// (Next's bundler broke swagger-ui-react's resolver: "refract is not a function"), is loaded by
// this component: a script element added by one of the page's nonce'd chunks, which the pages'
// CSP ('strict-dynamic') allows. Its styles are a stylesheet and inline styles, its requests
// ("Try it out") go to this origin; nothing in the CSP is relaxed for it.
import { useEffect, useRef, useState } from 'react';
import 'swagger-ui-dist/swagger-ui.css';
import './api-reference.css';

const BUNDLE_URL = '/docs/swagger-ui-bundle.js';

interface SwaggerRequest {
  credentials?: string;
  [key: string]: unknown;
}

/** The part of swagger-ui-dist's global `SwaggerUIBundle` used here (the package ships no types). */
type SwaggerUIBundle = (options: {
  domNode: HTMLElement;
  url: string;
  docExpansion?: 'list' | 'full' | 'none';
  defaultModelsExpandDepth?: number;
  deepLinking?: boolean;
  requestInterceptor?: (request: SwaggerRequest) => SwaggerRequest;
  /** Called once the document is fetched and rendered. */
  onComplete?: () => void;
}) => unknown;

declare global {
  interface Window {
    SwaggerUIBundle?: SwaggerUIBundle;
  }
}

/** "Try it out" sends the token the reader enters under Authorize, never this browser's session cookie. */
function withoutCookies(request: SwaggerRequest): SwaggerRequest {
  request.credentials = 'omit';
  return request;
}

/** The bundle's global, loading its script once per page load (a later visit to /docs reuses it). */
function loadBundle(): Promise<SwaggerUIBundle> {
  if (window.SwaggerUIBundle) return Promise.resolve(window.SwaggerUIBundle);
  return new Promise((resolve, reject) => {
    let script = document.querySelector<HTMLScriptElement>(`script[src="${BUNDLE_URL}"]`);
    if (!script) {
      script = document.createElement('script');
      script.src = BUNDLE_URL;
      script.async = true;
      document.head.appendChild(script);
    }
    script.addEventListener('load', () => (window.SwaggerUIBundle ? resolve(window.SwaggerUIBundle) : reject(new Error('SwaggerUIBundle missing'))));
    script.addEventListener('error', () => reject(new Error(`could not load ${BUNDLE_URL}`)));
  });
}

export function ApiReference({ url }: { url: string }) {
  const container = useRef<HTMLDivElement>(null);
  const [state, setState] = useState<'loading' | 'ready' | 'failed'>('loading');

  useEffect(() => {
    let cancelled = false;
    loadBundle()
      .then((SwaggerUIBundle) => {
        if (cancelled || !container.current) return;
        SwaggerUIBundle({
          domNode: container.current,
          url,
          docExpansion: 'list',
          defaultModelsExpandDepth: 0,
          deepLinking: false,
          requestInterceptor: withoutCookies,
          onComplete: () => {
            if (cancelled) return;
            // Swagger UI's server picker is a <select> in an empty <label>: give it a name (axe, select-name).
            container.current?.querySelector('select#servers')?.setAttribute('aria-label', 'Server');
            setState('ready');
          },
        });
      })
      .catch(() => !cancelled && setState('failed'));
    return () => {
      cancelled = true;
    };
  }, [url]);

  return (
    // aria-busy until the document is rendered: e2e/page-checks.ts waits for it before measuring.
    <div className="api-reference rounded-lg border border-slate-200 bg-white" aria-busy={state === 'loading'}>
      {state !== 'ready' && (
        <p role="status" className="p-4 text-sm text-slate-600">
          {state === 'loading' ? 'Loading the API reference…' : 'The API reference could not load; the OpenAPI document is at /api/openapi.json.'}
        </p>
      )}
      <div ref={container} />
    </div>
  );
}
