import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { APP_METHODS, refuseUnroutedMethods } from './http-methods';

/** One raw request (node:http, which sends any method fetch refuses), its status, headers and body. */
function send(port: number, method: string): Promise<{ status: number; allow: string | undefined; body: string }> {
  return new Promise((resolve, reject) => {
    const request = http.request({ host: '127.0.0.1', port, method, path: '/api/health' }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode!, allow: response.headers.allow, body }));
    });
    request.on('error', reject);
    request.end();
  });
}

describe('methods no path serves', () => {
  it('are 405 with Allow and a JSON error before the app sees them; the methods the app serves pass through', async () => {
    refuseUnroutedMethods();
    refuseUnroutedMethods(); // idempotent: one gate
    const reached: string[] = [];
    const server = http.createServer((request, response) => {
      reached.push(request.method!);
      response.end('app');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      for (const method of ['TRACE', 'PROPFIND', 'LOCK', 'MKCOL', 'PURGE']) {
        const answer = await send(port, method);
        expect(answer.status, method).toBe(405);
        expect(answer.allow).toBe('DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT');
        expect(JSON.parse(answer.body)).toEqual({ error: { code: 'METHOD_NOT_SUPPORTED', message: `No path here takes ${method}; methods served: DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT` } });
      }
      for (const method of APP_METHODS) expect((await send(port, method)).status, method).toBe(200);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
    expect(reached).toEqual(APP_METHODS);
  });
});
