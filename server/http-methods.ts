// A method no path of this app serves never reaches Next.js. Kept apart from
// server/http-semantics.ts (the doors' rules) because it is installed at start-up, outside
// Next's server bundle (instrumentation.ts → server/startup.ts).
import { addGateStep, refuseAtGate } from '@/server/request-gate';
import { isApiPath, resolvedPath } from '@/server/url-path';

/** The methods Next.js routes to a route handler's exports (HEAD and OPTIONS it answers itself when not exported). */
export const ROUTED_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
export type RoutedMethod = (typeof ROUTED_METHODS)[number];

/** Every method some path of this app serves (OPTIONS: the CORS preflight and Next's own answer). */
export const APP_METHODS: readonly string[] = [...ROUTED_METHODS, 'HEAD', 'OPTIONS'].sort();

/** The words of every 405 this app answers: what was asked, and what the path (or the app) takes. */
export function methodNotAllowedMessage(method: string, allow: string, scope: 'path' | 'app' = 'path'): string {
  return scope === 'path' ? `This path does not take ${method}; it takes ${allow}` : `No path here takes ${method}; methods served: ${allow}`;
}

/**
 * Makes every HTTP server in this process answer a method no path serves (TRACE, PROPFIND,
 * LOCK, … — whatever Node's parser accepts beyond APP_METHODS) with 405, `Allow` and a JSON
 * error before Next.js sees it (server/request-gate.ts): Next answered TRACE with a 500 and
 * PROPFIND with an empty 400 or a redirect. Idempotent; added at start-up (server/startup.ts).
 */
export function refuseUnroutedMethods(): void {
  const allow = APP_METHODS.join(', ');
  addGateStep('methods no path serves', (request, response) => {
    if (APP_METHODS.includes(request.method ?? '')) return false;
    return refuseAtGate(response, 405, { code: 'METHOD_NOT_SUPPORTED', message: methodNotAllowedMessage(request.method ?? '', allow, 'app') }, { allow });
  });
}

/** What a page takes: GET and HEAD, and POST for its server actions. */
export const PAGE_METHODS: readonly string[] = ['GET', 'HEAD', 'OPTIONS', 'POST'];

/**
 * Makes every HTTP server in this process answer a method a page does not take, on any path but
 * the API's route handlers (which answer their own: app/api/methods.test.ts), before Next.js
 * sees it: OPTIONS 204 with `Allow` (Next answered an empty 400), PUT, PATCH and DELETE 405 with
 * `Allow` and the JSON error (Next answered 200 with the page: found by a stranger).
 * Idempotent; added at start-up after refuseUnroutedMethods (server/startup.ts).
 */
export function refusePageMethods(): void {
  const allow = PAGE_METHODS.join(', ');
  addGateStep('methods pages take', (request, response) => {
    const method = request.method ?? '';
    if (method === 'GET' || method === 'HEAD' || method === 'POST' || isApiPath(resolvedPath(request.url))) return false;
    if (method === 'OPTIONS') {
      response.writeHead(204, { allow, 'cache-control': 'no-store' });
      response.end();
      return true;
    }
    return refuseAtGate(response, 405, { code: 'METHOD_NOT_SUPPORTED', message: methodNotAllowedMessage(method, allow) }, { allow });
  });
}
