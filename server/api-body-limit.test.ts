// The gate's 413 for an API request that declares a body over its route's limit: before the body
// is invited (`Expect: 100-continue`) or read, in the door's error shape (found by a stranger: a
// 2 MB payment.create was invited, sent, then refused; /api/inngest waited for the whole body).
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INNGEST_MAX_BODY_BYTES, MAX_BODY_BYTES } from '@/server/api/limits';
import { refuseApiBodiesTooLarge } from '@/server/api-body-limit';

const server = http.createServer((request, response) => {
  request.resume();
  request.on('end', () => response.end('app'));
});
let port = 0;

beforeAll(async () => {
  refuseApiBodiesTooLarge();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

/** Sends a POST's head only and reads the first answer: its status line, headers (lower-case) and body. */
function firstAnswer(path: string, length: number, headers: Record<string, string> = {}): Promise<{ line: string; headers: Record<string, string>; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let received = '';
    socket.setEncoding('utf8');
    socket.on('error', reject);
    socket.on('data', (chunk: string) => {
      received += chunk;
      const end = received.indexOf('\r\n\r\n');
      if (end < 0) return;
      const [line = '', ...fields] = received.slice(0, end).split('\r\n');
      const parsed = Object.fromEntries(fields.map((field) => [field.slice(0, field.indexOf(':')).toLowerCase(), field.slice(field.indexOf(':') + 1).trim()]));
      const body = received.slice(end + 4);
      if (body.length < Number(parsed['content-length'] ?? 0)) return;
      socket.destroy();
      resolve({ line, headers: parsed, body });
    });
    const extra = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`).join('');
    socket.write(`POST ${path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${length}\r\n${extra}\r\n`);
  });
}

describe('an API request declaring a body over its route’s limit', () => {
  it('is 413 before its body is invited or read, in the door’s error shape, with its request id', async () => {
    const expect100 = { Expect: '100-continue' };
    const trpc = await firstAnswer('/api/trpc/payment.create', 2_000_000, { ...expect100, 'X-Request-Id': 'mine-1' });
    expect(trpc.line).toBe('HTTP/1.1 413 Payload Too Large');
    expect(trpc.headers['x-request-id']).toBe('mine-1');
    expect(JSON.parse(trpc.body)).toEqual({ error: { json: { message: 'The request body is larger than 1 MB', code: -32013, data: { code: 'PAYLOAD_TOO_LARGE', httpStatus: 413, requestId: 'mine-1' } } } });

    const rest = await firstAnswer('/api/v1/payments', MAX_BODY_BYTES + 1);
    expect(rest.line).toBe('HTTP/1.1 413 Payload Too Large');
    expect(JSON.parse(rest.body)).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', data: { httpStatus: 413, requestId: rest.headers['x-request-id'] } });

    const auth = await firstAnswer('/api/auth/callback/credentials', 2_000_000, expect100);
    expect(auth.line).toBe('HTTP/1.1 413 Payload Too Large');
    const engine = await firstAnswer('/api/inngest', INNGEST_MAX_BODY_BYTES + 1, expect100);
    expect(engine.line).toBe('HTTP/1.1 413 Payload Too Large');
    expect(JSON.parse(engine.body)).toMatchObject({ error: { json: { message: 'The request body is larger than 4 MB' } } });
    // Resolved as Next resolves it.
    expect((await firstAnswer('/x/../api/trpc/me.get', 2_000_000, expect100)).line).toBe('HTTP/1.1 413 Payload Too Large');
  });

  it('is invited when within its route’s limit, and a page’s request is not this step’s', async () => {
    const expect100 = { Expect: '100-continue' };
    expect((await firstAnswer('/api/trpc/payment.create', MAX_BODY_BYTES, expect100)).line).toBe('HTTP/1.1 100 Continue');
    expect((await firstAnswer('/api/inngest', 2_000_000, expect100)).line).toBe('HTTP/1.1 100 Continue');
    expect((await firstAnswer('/renter', 2_000_000, expect100)).line).toBe('HTTP/1.1 100 Continue');
  });
});
