// next-auth's route refuses, before next-auth runs, what next-auth 4 would answer 500 or nonsense
// for (found by strangers): a body declared JSON that is not, a callback URL in the query or in
// its cookie that is neither a path nor an http(s) URL, another body type, a path or method no
// endpoint serves. What next-auth then does with a good request (HEAD too, and its own refusals)
// needs the Next server around it (e2e/auth.spec.ts).
import { NextRequest } from 'next/server';
import { describe, expect, it } from 'vitest';
import * as routes from './route';

const { GET, POST } = routes;

const context = (...nextauth: string[]) => ({ params: Promise.resolve({ nextauth }) });

async function errorOf(response: Response) {
  return { status: response.status, body: (await response.json()) as { error: { json: { message: string; data: { code: string; requestId: string } } } } };
}

describe('/api/auth refuses before next-auth', () => {
  it('a POST whose body is declared JSON and is not, or is empty: 400 (found by a stranger, the empty one after the first fix)', async () => {
    for (const path of ['callback/credentials', 'signin/credentials', 'signout', 'session', 'csrf', '_log']) {
      for (const body of ['{', 'email=a@b.c', '']) {
        const request = new NextRequest(`http://localhost:3000/api/auth/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
        const { status, body: answer } = await errorOf(await POST(request, context(...path.split('/'))));
        expect(status, `${path} ${body}`).toBe(400);
        expect(answer.error.json).toMatchObject({ message: 'The request body is not JSON', data: { code: 'BAD_REQUEST' } });
        expect(answer.error.json.data.requestId).toMatch(/^[0-9a-f-]{36}$/);
      }
    }
  });

  it('a POST of another type than the two next-auth reads, or none: 415 (it answered "[object Object]")', async () => {
    for (const headers of [{}, { 'content-type': 'text/plain' }, { 'content-type': 'multipart/form-data; boundary=x' }] as Record<string, string>[]) {
      const request = new NextRequest('http://localhost:3000/api/auth/session', { method: 'POST', headers, body: headers['content-type'] ? 'csrfToken=x' : undefined });
      const { status, body } = await errorOf(await POST(request, context('session')));
      expect(status, JSON.stringify(headers)).toBe(415);
      expect(body.error.json.data.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    }
  });

  it('a path that is none of next-auth’s endpoints: 404; a method its endpoint does not serve: 405 with Allow (next-auth answered a text/plain 400 for each)', async () => {
    const cases: [method: string, path: string, status: number, allow?: string][] = [
      ['GET', 'foo', 404],
      ['POST', 'foo', 404],
      ['OPTIONS', 'foo', 404],
      ['GET', 'callback', 404],
      ['POST', 'callback/nope', 404],
      ['GET', 'session/x', 404],
      ['POST', 'signin/nope', 404],
      ['GET', 'providers/credentials', 404],
      ['GET', 'constructor', 404],
      ['GET', '_log', 405, 'OPTIONS, POST'],
      ['HEAD', '_log', 405, 'OPTIONS, POST'],
      ['PUT', '_log', 405, 'OPTIONS, POST'],
      ['GET', 'callback/credentials', 405, 'OPTIONS, POST'],
      ['HEAD', 'callback/credentials', 405, 'OPTIONS, POST'],
      ['DELETE', 'callback/credentials', 405, 'OPTIONS, POST'],
      ['POST', 'providers', 405, 'GET, HEAD, OPTIONS'],
      ['PATCH', 'providers', 405, 'GET, HEAD, OPTIONS'],
      ['POST', 'csrf', 405, 'GET, HEAD, OPTIONS'],
      ['POST', 'error', 405, 'GET, HEAD, OPTIONS'],
      ['POST', 'verify-request', 405, 'GET, HEAD, OPTIONS'],
      ['PUT', 'session', 405, 'GET, HEAD, OPTIONS, POST'],
      // OPTIONS names what this endpoint takes (it named GET and POST for every one: found by a stranger).
      ['OPTIONS', 'providers', 204, 'GET, HEAD, OPTIONS'],
      ['OPTIONS', 'callback/credentials', 204, 'OPTIONS, POST'],
      ['OPTIONS', 'session', 204, 'GET, HEAD, OPTIONS, POST'],
    ];
    for (const [method, path, status, allow] of cases) {
      const withBody = !['GET', 'HEAD', 'OPTIONS'].includes(method);
      const request = new NextRequest(`http://localhost:3000/api/auth/${path}`, { method, ...(withBody ? { headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'csrfToken=x' } : {}) });
      const response = await (routes[(method === 'HEAD' ? 'GET' : method) as keyof typeof routes] as typeof GET)(request, context(...path.split('/')));
      expect({ method, path, status: response.status, allow: response.headers.get('allow') ?? undefined }).toEqual({ method, path, status, allow });
      if (method === 'HEAD' || status === 204) continue;
      const body = await response.json();
      if (status === 404) expect(body.error.json.data.code).toBe('NOT_FOUND');
      // The 405 of every route outside the two doors (server/http-semantics.ts servedMethods).
      else expect(body).toEqual({ error: { code: 'METHOD_NOT_SUPPORTED', message: `This path does not take ${method}; it takes ${allow}` } });
    }
  });

  it('a callbackUrl that is not a path or an http(s) URL: 400, in the query; in its cookie, 400 and the cookie cleared', async () => {
    for (const value of ['x', 'javascript:alert(1)', 'ftp://example.com/', '//']) {
      for (const path of ['signin', 'csrf', 'providers', 'session']) {
        for (const query of [`callbackUrl=${encodeURIComponent(value)}`, `callbackUrl=%2Fok&callbackUrl=${encodeURIComponent(value)}`]) {
          const request = new NextRequest(`http://localhost:3000/api/auth/${path}?${query}`);
          const { status, body } = await errorOf(await GET(request, context(path)));
          expect(status, `${path} ${query}`).toBe(400);
          expect(body.error.json.message).toBe('callbackUrl must be a path on this site or an http(s) URL');
        }
      }
      for (const name of ['next-auth.callback-url', '__Secure-next-auth.callback-url']) {
        const request = new NextRequest('http://localhost:3000/api/auth/session', { headers: { cookie: `${name}=${encodeURIComponent(value)}` } });
        const response = await GET(request, context('session'));
        expect(response.status, `${name} ${value}`).toBe(400);
        expect(response.headers.getSetCookie()).toEqual([expect.stringMatching(new RegExp(`^${name.replace(/\./g, '\\.')}=; Path=/; Max-Age=0`))]);
      }
    }
  });
});
