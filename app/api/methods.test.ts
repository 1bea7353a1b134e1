// Every API route answers every method Next routes to it: a method a path does not take is a
// 405 with `Allow` and a JSON error body (server/http-semantics.ts), never Next's empty 405.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROUTED_METHODS } from '@/server/http-methods';

type Handler = (request: Request, context?: unknown) => Promise<Response> | Response;

/** Every route.ts under app/api, as its URL path's directory. */
function routeFiles(dir = path.join(process.cwd(), 'app/api')): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return routeFiles(full);
    return entry.name === 'route.ts' ? [full] : [];
  });
}

/** The routes outside the two doors (/api/trpc and /api/v1 have their own tests), with what they serve and, for a dynamic path, the params Next passes. */
const SERVED: Record<string, { url: string; allow: string; params?: Record<string, string | string[]> }> = {
  'health/route.ts': { url: 'http://localhost/api/health', allow: 'GET, HEAD, OPTIONS' },
  'metrics/route.ts': { url: 'http://localhost/api/metrics', allow: 'GET, HEAD, OPTIONS' },
  'openapi.json/route.ts': { url: 'http://localhost/api/openapi.json', allow: 'GET, HEAD, OPTIONS' },
  'export/[file]/route.ts': { url: 'http://localhost/api/export/payments.csv', allow: 'GET, HEAD, OPTIONS', params: { file: 'payments.csv' } },
  'auth/[...nextauth]/route.ts': { url: 'http://localhost/api/auth/session', allow: 'GET, HEAD, OPTIONS, POST', params: { nextauth: ['session'] } },
  'inngest/route.ts': { url: 'http://localhost/api/inngest', allow: 'GET, HEAD, OPTIONS, POST, PUT' },
};

describe('methods on every API route', () => {
  const files = routeFiles();

  it('finds the routes this test knows, and each exports a handler for every method Next routes', async () => {
    expect(files.length).toBeGreaterThanOrEqual(8);
    for (const file of files) {
      const route = (await import(file)) as Record<string, unknown>;
      for (const method of ROUTED_METHODS) expect(typeof route[method], `${path.relative(process.cwd(), file)} ${method}`).toBe('function');
    }
    const known = files.map((file) => path.relative(path.join(process.cwd(), 'app/api'), file)).filter((file) => !file.startsWith('trpc/') && !file.startsWith('v1/'));
    expect(known.sort()).toEqual(Object.keys(SERVED).sort());
  });

  it.each(Object.entries(SERVED))('%s: a method it does not take is 405 with Allow and a JSON error, and changes nothing', async (file, { url, allow, params }) => {
    const route = (await import(path.join(process.cwd(), 'app/api', file))) as Record<string, Handler>;
    const refused = ROUTED_METHODS.filter((method) => !allow.split(', ').includes(method));
    expect(refused.length).toBeGreaterThan(0);
    for (const method of refused) {
      const answer = await route[method]!(
        new Request(url, { method, body: method === 'GET' ? undefined : '{"x":1}', headers: { 'content-type': 'application/json' } }),
        { params: Promise.resolve(params ?? {}) },
      );
      expect(answer.status, method).toBe(405);
      expect(answer.headers.get('allow')).toBe(allow);
      expect(await answer.json()).toEqual({ error: { code: 'METHOD_NOT_SUPPORTED', message: `This path does not take ${method}; it takes ${allow}` } });
    }
  });
});

describe('OPTIONS on every API route outside the doors', () => {
  it.each(Object.entries(SERVED))('%s: names only the methods it takes', async (file, { url, allow, params }) => {
    const route = (await import(path.join(process.cwd(), 'app/api', file))) as Record<string, Handler>;
    // Exported, or Next answers OPTIONS itself and names every exported method, the refused ones too.
    expect(typeof route.OPTIONS).toBe('function');
    const answer = await route.OPTIONS!(new Request(url, { method: 'OPTIONS' }), { params: Promise.resolve(params ?? {}) });
    expect(answer.status).toBe(204);
    // A route that takes CORS preflights answers them instead (server/cors.ts), without Allow.
    expect([null, allow]).toContain(answer.headers.get('allow'));
  });
});
