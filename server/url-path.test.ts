import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { literalPercentPath, readRequestTargets } from '@/server/url-path';

/** The request-target the app saw for each raw one sent (node:http sends it as written). */
async function targetsSeen(targets: string[]): Promise<string[]> {
  const seen: string[] = [];
  const server = http.createServer((request, response) => {
    seen.push(request.url!);
    response.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  try {
    for (const path of targets) {
      await new Promise<void>((resolve, reject) => {
        http.get({ host: '127.0.0.1', port, path }, (response) => response.resume().on('end', resolve)).on('error', reject);
      });
    }
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
  return seen;
}

describe('literalPercentPath', () => {
  it('leaves a path that decodes alone', () => {
    for (const path of ['/', '/leases/abc', '/a%20b/%E2%82%AC', '/api/trpc/me.get,lease.byId', '/%25FF']) {
      expect(literalPercentPath(path)).toBeNull();
    }
  });

  it('takes an escape that is not UTF-8 literally', () => {
    expect(literalPercentPath('/leases/%FF')).toBe('/leases/%25FF');
    expect(literalPercentPath('/landlord/leases/%E0%A4%A')).toBe('/landlord/leases/%25E0%25A4%25A');
    expect(literalPercentPath('/a%20b/%FF')).toBe('/a%20b/%25FF');
    expect(literalPercentPath('/x/%E2%82%AC%FF')).toBe('/x/%25E2%2582%25AC%25FF');
  });

  it('takes a % that starts no escape literally', () => {
    expect(literalPercentPath('/leases/%')).toBe('/leases/%25');
    expect(literalPercentPath('/leases/%G1')).toBe('/leases/%25G1');
    expect(literalPercentPath('/api/v1/leases/100%')).toBe('/api/v1/leases/100%25');
  });

  it('always answers a path that decodes, and decodes back to the text it was given', () => {
    const pathChar = fc.constantFrom('%', 'F', 'f', '0', '9', 'E', 'A', 'C', 'G', '/', 'a', '2', '8');
    fc.assert(
      fc.property(fc.array(pathChar, { maxLength: 24 }).map((chars) => `/${chars.join('')}`), (path) => {
        const literal = literalPercentPath(path);
        if (literal === null) return;
        // Every % of the original that was taken literally decodes back to itself; the rest decoded before.
        expect(() => decodeURIComponent(literal)).not.toThrow();
        expect(literal.replaceAll('%25', '%')).toBe(path.replaceAll('%25', '%'));
      }),
    );
  });
});

describe('the request gate', () => {
  it('hands the app a path whose escapes all decode, the query as sent', async () => {
    readRequestTargets();
    readRequestTargets(); // idempotent: one step
    expect(await targetsSeen(['/leases/%FF', '/api/trpc/me.get%E0%A4%A?input=%FF', '/leases/%', '/a%20b?q=%25', '/'])).toEqual([
      '/leases/%25FF',
      '/api/trpc/me.get%25E0%25A4%25A?input=%FF',
      '/leases/%25',
      '/a%20b?q=%25',
      '/',
    ]);
  });

  it('reads an absolute-form target as its path and query, refuses any other form but a path, and answers OPTIONS * itself', async () => {
    expect(await targetsSeen(['http://evil.example/api/health?x=1', 'https://[::1]:443/leases/%FF'])).toEqual(['/api/health?x=1', '/leases/%25FF']);
    const server = http.createServer((_request, response) => response.end('app'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const send = (method: string, path: string) =>
      new Promise<{ status: number; allow?: string; body: string }>((resolve, reject) => {
        const request = http.request({ host: '127.0.0.1', port, method, path }, (response) => {
          let body = '';
          response.on('data', (chunk: Buffer) => (body += chunk.toString()));
          response.on('end', () => resolve({ status: response.statusCode!, allow: response.headers.allow, body }));
        });
        request.on('error', reject);
        request.end();
      });
    try {
      expect(await send('OPTIONS', '*')).toMatchObject({ status: 204, allow: 'DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT' });
      for (const [method, path] of [['GET', '*'], ['POST', '*x'], ['GET', 'http://a%FF/x'], ['GET', 'http://[::1/'], ['GET', 'foo://evil.com'], ['GET', 'foo://evil.com?x=1'], ['GET', 'ws://x/api/health']]) {
        const answer = await send(method!, path!);
        expect({ path, status: answer.status }).toEqual({ path, status: 400 });
        expect(JSON.parse(answer.body).error.code).toBe('BAD_REQUEST');
      }
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
