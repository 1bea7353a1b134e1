import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { refuseOversizedServerActions, SERVER_ACTION_MAX_BODY_BYTES } from './action-body';

/** One raw POST of `bytes` bytes with these headers: its status and body. */
function post(port: number, bytes: number, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = http.request({ host: '127.0.0.1', port, method: 'POST', path: '/dev/inngest/functions', headers: { 'content-length': String(bytes), ...headers } }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode!, body }));
    });
    request.on('error', reject);
    request.end(Buffer.alloc(bytes, 'a'));
  });
}

describe('a server action over Next’s body limit', () => {
  it('is 413 with a JSON error before the app sees it (found by a stranger: Next answered 500, before the action checked the caller); one at the limit, and other POSTs, pass', async () => {
    refuseOversizedServerActions();
    const reached: number[] = [];
    const server = http.createServer((request, response) => {
      let bytes = 0;
      request.on('data', (chunk: Buffer) => (bytes += chunk.length));
      request.on('end', () => {
        reached.push(bytes);
        response.end('app');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const over = await post(port, SERVER_ACTION_MAX_BODY_BYTES + 1, { 'next-action': '60db4072500ca91d039b912d86ebbf4c899f3316a3' });
      expect(over.status).toBe(413);
      expect(JSON.parse(over.body)).toEqual({ error: { code: 'PAYLOAD_TOO_LARGE', message: 'The request body is larger than 1 MB' } });
      expect((await post(port, SERVER_ACTION_MAX_BODY_BYTES, { 'next-action': 'x' })).status).toBe(200);
      expect((await post(port, SERVER_ACTION_MAX_BODY_BYTES + 1, {})).status).toBe(200);
      expect(reached).toEqual([SERVER_ACTION_MAX_BODY_BYTES, SERVER_ACTION_MAX_BODY_BYTES + 1]);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
