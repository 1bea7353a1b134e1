// A page or server action that failed because the database could not be used answers 503 with
// Retry-After, where Next answered 500 (server/page-errors.ts): through the request gate, on a real
// HTTP server whose handler fails as Next's render does — onRequestError's call, then a 500.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { PrismaPg } from '@prisma/adapter-pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { logger } from '@/server/logger';
import { PrismaClient } from '@/server/generated/prisma/client';
import { onPageError } from '@/server/page-errors';
import { addGateStep, noteOutageAtGate } from '@/server/request-gate';
import { testDatabaseUrl } from '@/server/testing/database';

/** What the driver really throws when the database cannot be reached. */
async function outageError(): Promise<unknown> {
  const unreachable = new PrismaClient({ adapter: new PrismaPg({ connectionString: testDatabaseUrl.replace(/:\d+\//, ':1/'), connectionTimeoutMillis: 2_000 }) });
  try {
    return await unreachable.user.count().catch((error: unknown) => error);
  } finally {
    await unreachable.$disconnect();
  }
}

let server: http.Server;
let port: number;
let outage: unknown;
/** Released by the test: the /slow-outage request fails only then, while others are answered. */
let releaseSlow: (() => void) | undefined;

beforeAll(async () => {
  outage = await outageError();
  addGateStep('test: nothing', () => false); // installs the gate
  server = http.createServer(async (request, response) => {
    // Next's render: an await or two, the error reported to onRequestError, then the error page's 500.
    await new Promise((resolve) => setImmediate(resolve));
    switch (new URL(request.url!, 'http://test').pathname) {
      case '/outage':
        onPageError(outage);
        response.statusCode = 500; // the head written implicitly, as Next does
        return response.end('error page');
      case '/outage-explicit-head':
        onPageError(outage);
        response.writeHead(500, 'Internal Server Error', { 'content-type': 'text/html' });
        return response.end('error page');
      case '/slow-outage':
        await new Promise<void>((resolve) => (releaseSlow = resolve));
        onPageError(outage);
        response.statusCode = 500;
        return response.end('error page');
      case '/fault':
        onPageError(new TypeError('a bug'));
        response.statusCode = 500;
        return response.end('error page');
      case '/api/outage':
        // An API route answers its own outage 503 (server/request-context.ts): the gate keeps no note for it.
        response.statusCode = noteOutageAtGate(5) ? 599 : 500;
        return response.end('api error');
      case '/outage-shown-fine':
        onPageError(outage); // an outage a page caught and showed itself
        return response.end('ok');
      default:
        response.statusCode = 500;
        return response.end('error page');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  releaseSlow?.();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

/** The status of a GET of `path` sent as written (fetch would resolve its dot segments first). */
function rawStatus(path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = http.get({ host: '127.0.0.1', port, path }, (response) => {
      response.resume();
      resolve(response.statusCode!);
    });
    request.on('error', reject);
  });
}

async function get(path: string) {
  const response = await fetch(`http://127.0.0.1:${port}${path}`);
  return { status: response.status, statusText: response.statusText, retryAfter: response.headers.get('retry-after'), body: await response.text() };
}

describe('a page that failed because the database could not be used', () => {
  it('answers 503 with Retry-After, whether the 500 head is written implicitly or explicitly; its body is the error page; one structured line says so', async () => {
    const warn = vi.spyOn(logger, 'warn');
    expect(await get('/outage')).toEqual({ status: 503, statusText: 'Service Unavailable', retryAfter: '5', body: 'error page' });
    expect(warn.mock.calls.map((args) => args[1])).toEqual(['database unavailable']);
    warn.mockRestore();
    expect(await get('/outage-explicit-head')).toEqual({ status: 503, statusText: 'Service Unavailable', retryAfter: '5', body: 'error page' });
  });

  it('leaves any other 500 a 500, and a page that answered 200 a 200', async () => {
    expect(await get('/fault')).toEqual({ status: 500, statusText: 'Internal Server Error', retryAfter: null, body: 'error page' });
    expect(await get('/unnoted')).toMatchObject({ status: 500, retryAfter: null });
    expect(await get('/outage-shown-fine')).toMatchObject({ status: 200, retryAfter: null });
    expect(await get('/api/outage')).toMatchObject({ status: 500, retryAfter: null });
  });

  it('is noted on the path Next serves: dot segments resolved (found by a stranger: /api/../renter is the page, and answered 500)', async () => {
    for (const path of ['/api/../outage', '/_next/static/../../outage', '/api/%2e%2e/outage', '/api/%2E%2E/outage']) {
      expect({ path, status: (await rawStatus(path)) }).toEqual({ path, status: 503 });
    }
  });

  it('concerns its own request only: one failing meanwhile does not change another’s answer', async () => {
    const slow = get('/slow-outage');
    await expect.poll(() => releaseSlow).toBeDefined();
    const fault = await get('/fault');
    releaseSlow!();
    expect(fault.status).toBe(500);
    expect((await slow).status).toBe(503);
  });

  it('is no request’s outside one (start-up, a background step)', () => {
    expect(noteOutageAtGate(5)).toBe(false);
  });
});
