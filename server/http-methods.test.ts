import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { APP_METHODS, refusePageMethods, refuseUnroutedMethods } from './http-methods';

/** One raw request (node:http, which sends any method fetch refuses), its status, headers and body. */
function send(port: number, method: string, path = '/api/health'): Promise<{ status: number; allow: string | undefined; body: string }> {
  return new Promise((resolve, reject) => {
    const request = http.request({ host: '127.0.0.1', port, method, path }, (response) => {
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

describe('methods a page does not take', () => {
  it('are 204 with Allow for OPTIONS and 405 with Allow and a JSON error for PUT, PATCH and DELETE, on every path but the API’s (Next answered an empty 400, and the page itself)', async () => {
    refuseUnroutedMethods();
    refusePageMethods();
    const reached: string[] = [];
    const server = http.createServer((request, response) => {
      reached.push(`${request.method} ${request.url}`);
      response.end('app');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      for (const path of ['/', '/renter/payments', '/sign-in?next=%2F', '/api', '/api/%2e%2e/renter', '/icon.svg']) {
        const options = await send(port, 'OPTIONS', path);
        expect({ path, status: options.status, allow: options.allow, body: options.body }).toEqual({ path, status: 204, allow: 'GET, HEAD, OPTIONS, POST', body: '' });
        for (const method of ['PUT', 'PATCH', 'DELETE']) {
          const answer = await send(port, method, path);
          expect({ path, method, status: answer.status, allow: answer.allow }).toEqual({ path, method, status: 405, allow: 'GET, HEAD, OPTIONS, POST' });
          expect(JSON.parse(answer.body)).toEqual({ error: { code: 'METHOD_NOT_SUPPORTED', message: `This path does not take ${method}; it takes GET, HEAD, OPTIONS, POST` } });
        }
        for (const method of ['GET', 'HEAD', 'POST']) expect((await send(port, method, path)).status, `${method} ${path}`).toBe(200);
      }
      // The API's route handlers answer every method themselves.
      for (const method of ['OPTIONS', 'PUT', 'PATCH', 'DELETE']) expect((await send(port, method, '/api/v1/payments')).status, method).toBe(200);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
    expect(reached.filter((line) => !/^(GET|HEAD|POST) /.test(line))).toEqual(['OPTIONS /api/v1/payments', 'PUT /api/v1/payments', 'PATCH /api/v1/payments', 'DELETE /api/v1/payments']);
  });
});
