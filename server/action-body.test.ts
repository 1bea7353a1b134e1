import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refuseUnreadableServerActions, SERVER_ACTION_CALL_HEADER, SERVER_ACTION_MAX_BODY_BYTES, serverActionRan } from './action-body';

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** One raw POST to `path` with these headers and body. */
function post(port: number, path: string, headers: Record<string, string>, body: string | Buffer): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const request = http.request({ host: '127.0.0.1', port, method: 'POST', path, headers }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('end', () => resolve({ status: response.statusCode!, headers: response.headers, body: text }));
    });
    request.on('error', reject);
    request.end(body);
  });
}

const sized = (body: string | Buffer, headers: Record<string, string> = {}) => ({ ...headers, 'content-length': String(Buffer.byteLength(body)) });
const CHUNKED = { 'transfer-encoding': 'chunked' };
const ACTION = { 'next-action': '60db4072500ca91d039b912d86ebbf4c899f3316a3', 'content-type': 'text/plain;charset=UTF-8' };

/**
 * Stands in for Next: reads the body, then answers as `?as=` says, the way Next writes: `end` (a
 * 500 with its page), `head` (writeHead then write), `flush` (flushHeaders then a streamed
 * write, as Next's pipe does), `ran-end` (the action ran: serverActionRan, then a 500), `ok`.
 */
const seen: { bytes: number; callHeader: string | undefined }[] = [];
const server = http.createServer((request, response) => {
  let bytes = 0;
  request.on('data', (chunk: Buffer) => (bytes += chunk.length));
  request.on('end', () => {
    const callHeader = request.headers[SERVER_ACTION_CALL_HEADER] as string | undefined;
    seen.push({ bytes, callHeader });
    const as = new URL(request.url!, 'http://x').searchParams.get('as') ?? 'ok';
    if (as.startsWith('forward-')) {
      // As Next forwards a call to the page that has its action: the first request's headers, the body streamed.
      const headers: http.OutgoingHttpHeaders = { ...request.headers, 'transfer-encoding': 'chunked' };
      delete headers['content-length'];
      const inner = http.request({ host: '127.0.0.1', port, method: 'POST', path: `/target?as=${as.slice('forward-'.length)}`, headers }, (answer) => {
        answer.resume();
        answer.on('end', () => {
          response.setHeader('content-type', 'text/x-component');
          response.end(`forwarded ${answer.statusCode}`);
        });
      });
      inner.end('xxx');
      return;
    }
    response.setHeader('x-from-next', 'yes');
    response.setHeader('content-type', 'text/x-component');
    if (as === 'ok') return response.end('app');
    if (as === 'ran-end') serverActionRan(callHeader ?? null);
    response.statusCode = 500;
    if (as === 'end' || as === 'ran-end') return response.end('0:{"a":"$@1"}\n1:E{"digest":"1"}\n');
    if (as === 'head') {
      response.writeHead(500, { 'x-more': '1' });
      response.write('partial', () => response.end());
      return;
    }
    response.flushHeaders();
    response.write('streamed');
    response.end();
  });
});
let port = 0;

beforeAll(async () => {
  refuseUnreadableServerActions();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

describe('a server action call whose body Next cannot read', () => {
  it('is 413 with a JSON error before the app sees it when it declares more than Next’s 1 MB (Next answered 500, before the action checked the caller); one at the limit, and other POSTs, pass', async () => {
    seen.length = 0;
    const big = Buffer.alloc(SERVER_ACTION_MAX_BODY_BYTES + 1, 'a');
    const over = await post(port, '/dev/inngest/functions', sized(big, ACTION), big);
    expect(over.status).toBe(413);
    expect(JSON.parse(over.body)).toEqual({ error: { code: 'PAYLOAD_TOO_LARGE', message: 'The request body is larger than 1 MB' } });
    const multipartOver = await post(port, '/', sized(big, { 'content-type': 'multipart/form-data; boundary=zz' }), big);
    expect(multipartOver.status).toBe(413);
    const limit = big.subarray(1);
    expect((await post(port, '/dev/inngest/functions', sized(limit, ACTION), limit)).status).toBe(200);
    expect((await post(port, '/dev/inngest/functions', sized(big), big)).status).toBe(200);
    expect(seen.map((call) => call.bytes)).toEqual([SERVER_ACTION_MAX_BODY_BYTES, SERVER_ACTION_MAX_BODY_BYTES + 1]);
  });

  it('is 411 when it declares no length (chunked: Next read on, then answered 500), before the app sees it; other chunked POSTs pass', async () => {
    seen.length = 0;
    const chunked = await post(port, '/dev/inngest/functions', { ...ACTION, ...CHUNKED }, 'xxx');
    expect(chunked.status).toBe(411);
    expect(JSON.parse(chunked.body)).toEqual({ error: { code: 'LENGTH_REQUIRED', message: 'A server action request must declare its Content-Length' } });
    expect((await post(port, '/', { 'content-type': 'multipart/form-data; boundary=zz', ...CHUNKED }, '--zz\r\nbroken')).status).toBe(411);
    expect((await post(port, '/api/%2e%2e/', { 'content-type': 'multipart/form-data; boundary=zz', ...CHUNKED }, '--zz')).status).toBe(411);
    expect((await post(port, '/api/trpc/me.get', { 'content-type': 'application/json', ...CHUNKED }, '{}')).status).toBe(200);
    // A caller's own call header does not make a stream Next's forwarding.
    expect((await post(port, '/dev/inngest/events', { ...ACTION, ...CHUNKED, 'x-action-forwarded': '1', [SERVER_ACTION_CALL_HEADER]: '6f1c1b1e-0000-4000-8000-000000000000' }, 'xxx')).status).toBe(411);
    expect(seen).toHaveLength(1);
  });

  it.each(['end', 'head', 'flush'])('is 400 with a JSON error, and none of Next’s headers, when Next answers 500 before any action ran (written by %s)', async (as) => {
    for (const [path, headers, body] of [
      [`/dev/inngest/functions?as=${as}`, ACTION, 'xxx'],
      [`/?as=${as}`, { 'content-type': 'multipart/form-data; boundary=zz' }, '--zz\r\nbroken'],
      [`/renter?as=${as}`, { 'content-type': 'application/x-www-form-urlencoded' }, '%%%'],
      // Found by a stranger: a type Next reads as multipart by its prefix, and paths under /api that are pages to Next.
      [`/?as=${as}`, { 'content-type': 'multipart/form-datax; boundary=zz' }, 'garbage'],
      [`/api?as=${as}`, { 'content-type': 'multipart/form-data; boundary=zz' }, 'garbage'],
      [`/api/%2e%2e/dev/inngest/events?as=${as}`, ACTION, 'xxx'],
      [`/api/x/%2E%2E/%2e%2e/auth/..?as=${as}`, { 'content-type': 'application/x-www-form-urlencoded' }, '%%%'],
    ] as const) {
      const answer = await post(port, path, sized(body, headers), body);
      expect({ path, status: answer.status, body: JSON.parse(answer.body) }).toEqual({ path, status: 400, body: { error: { code: 'BAD_REQUEST', message: 'The server action request could not be read' } } });
      expect(answer.headers['content-type']).toBe('application/json');
      expect(answer.headers['x-from-next']).toBeUndefined();
      expect(answer.headers['x-more']).toBeUndefined();
      expect(answer.headers['x-content-type-options']).toBe('nosniff');
    }
  });

  it('stays a 500 once the action has run (its own failure), and stays whatever Next answers otherwise', async () => {
    const ran = await post(port, '/dev/inngest/functions?as=ran-end', sized('xxx', ACTION), 'xxx');
    expect(ran.status).toBe(500);
    expect(ran.headers['x-from-next']).toBe('yes');
    expect((await post(port, '/dev/inngest/functions?as=ok', sized('xxx', ACTION), 'xxx')).status).toBe(200);
    // Not a possible action: next-auth's form (a route handler's own 500), a page POST of another type.
    expect((await post(port, '/api/auth/callback/credentials?as=end', sized('a=b', { 'content-type': 'application/x-www-form-urlencoded' }), 'a=b')).status).toBe(500);
    expect((await post(port, '/renter?as=end', sized('{}', { 'content-type': 'application/json' }), '{}')).status).toBe(500);
  });

  it('lets Next forward a call to the page that has its action (streamed, with the first request’s headers), and answers 400 when that page could not decode it (found by a stranger: the gate refused every forward, and Next answered 200 {})', async () => {
    const ok = await post(port, '/?as=forward-ok', sized('xxx', ACTION), 'xxx');
    expect({ status: ok.status, body: ok.body }).toEqual({ status: 200, body: 'forwarded 200' });
    const undecodable = await post(port, '/?as=forward-end', sized('xxx', ACTION), 'xxx');
    expect({ status: undecodable.status, body: JSON.parse(undecodable.body) }).toEqual({ status: 400, body: { error: { code: 'BAD_REQUEST', message: 'The server action request could not be read' } } });
    const ran = await post(port, '/?as=forward-ran-end', sized('xxx', ACTION), 'xxx');
    expect({ status: ran.status, body: ran.body }).toEqual({ status: 200, body: 'forwarded 500' });
  });

  it('answers a call that waits for 100 Continue with the refusal instead of inviting its body (found by a stranger: Node sent 100 Continue, then the 413); one that passes is invited and answered', async () => {
    /** Sends the head, waits for the first answer, then (if invited) the body: what came back, in order. */
    const exchange = (length: number, body: string) =>
      new Promise<string>((resolve, reject) => {
        const socket = net.connect(port, '127.0.0.1');
        let received = '';
        socket.setEncoding('utf8');
        socket.on('error', reject);
        socket.on('data', (chunk: string) => {
          if (!received && chunk.startsWith('HTTP/1.1 100')) socket.write(body);
          received += chunk;
          if (/\r\n\r\n[\s\S]*(app|})$/.test(received.replace(/^HTTP\/1\.1 100 Continue\r\n\r\n/, ''))) socket.end();
        });
        socket.on('end', () => resolve(received));
        socket.write(`POST /dev/inngest/functions HTTP/1.1\r\nHost: x\r\nNext-Action: ${ACTION['next-action']}\r\nContent-Type: text/plain\r\nContent-Length: ${length}\r\nExpect: 100-continue\r\n\r\n`);
      });
    const refused = await exchange(SERVER_ACTION_MAX_BODY_BYTES + 1, '');
    expect(refused.split('\r\n')[0]).toBe('HTTP/1.1 413 Payload Too Large');
    expect(refused).toMatch(/connection: close/i);
    const invited = await exchange(3, 'abc');
    // Refused after the invitation (Next could not decode it): the connection still closes.
    const undecodable = await new Promise<string>((resolve, reject) => {
      const socket = net.connect(port, '127.0.0.1');
      let received = '';
      socket.setEncoding('utf8');
      socket.on('error', reject);
      socket.on('data', (chunk: string) => {
        if (!received && chunk.startsWith('HTTP/1.1 100')) socket.write('xxx');
        received += chunk;
      });
      socket.on('end', () => resolve(received));
      // Still open with nothing more to say: fail by the assertion below, not by the test's timeout.
      socket.setTimeout(15_000, () => {
        socket.destroy();
        resolve(`${received}\r\n[the server kept the connection open]`);
      });
      socket.write(`POST /dev/inngest/functions?as=end HTTP/1.1\r\nHost: x\r\nNext-Action: ${ACTION['next-action']}\r\nContent-Type: text/plain\r\nContent-Length: 3\r\nExpect: 100-continue\r\n\r\n`);
    });
    expect(undecodable).toMatch(/^HTTP\/1\.1 100 Continue\r\n\r\nHTTP\/1\.1 400 Bad Request\r\n[\s\S]*connection: close/i);
    expect(invited.split('\r\n')[0]).toBe('HTTP/1.1 100 Continue');
    expect(invited).toMatch(/HTTP\/1\.1 200 OK[\s\S]*app$/);
  });

  it('names each call with a header of its own; a caller’s own value of it is never what the app sees', async () => {
    seen.length = 0;
    const forged = { [SERVER_ACTION_CALL_HEADER]: 'forged' };
    await post(port, '/dev/inngest/functions', sized('xxx', { ...ACTION, ...forged }), 'xxx');
    await post(port, '/dev/inngest/functions', sized('xxx', { ...ACTION, ...forged }), 'xxx');
    await post(port, '/renter', sized('{}', { 'content-type': 'application/json', ...forged }), '{}');
    const [first, second, other] = seen.map((call) => call.callHeader);
    expect(first).toMatch(/^[0-9a-f-]{36}$/);
    expect(second).toMatch(/^[0-9a-f-]{36}$/);
    expect(second).not.toBe(first);
    expect(other).toBeUndefined();
  });
});
