import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { addGateStep, closeConnectionsNow } from './request-gate';

/** One GET on `agent`: its status, Connection header and whether it reused a socket. */
function get(port: number, agent: http.Agent, path = '/'): Promise<{ status: number; connection: string | undefined; reused: boolean }> {
  return new Promise((resolve, reject) => {
    const request = http.get({ host: '127.0.0.1', port, path, agent }, (response) => {
      response.resume();
      response.on('end', () => resolve({ status: response.statusCode!, connection: response.headers.connection, reused: request.reusedSocket }));
    });
    request.on('error', reject);
  });
}

describe('a stopping process', () => {
  it("closes keep-alive connections as soon as they are idle, so the server's close waits for the requests in flight and not for the keep-alive timeout", async () => {
    addGateStep('test: nothing', () => false);
    let release: () => void = () => {};
    const server = http.createServer((request, response) => {
      if (request.url === '/slow') release = () => response.end('slow');
      else response.end('ok');
    });
    server.keepAliveTimeout = 65_000;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const idleAgent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const busyAgent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      expect(await get(port, idleAgent)).toMatchObject({ status: 200, reused: false });
      expect(await get(port, idleAgent)).toMatchObject({ status: 200, reused: true, connection: 'keep-alive' });
      expect(await get(port, busyAgent)).toMatchObject({ reused: false });
      const slow = get(port, busyAgent, '/slow');
      await new Promise((resolve) => setTimeout(resolve, 50)); // the request has reached the server

      const closed = new Promise<number>((resolve) => {
        const started = Date.now();
        server.close(() => resolve(Date.now() - started));
      });
      closeConnectionsNow(2_000);
      closeConnectionsNow(); // idempotent
      release();
      // The request in flight is answered; its connection is closed once idle.
      expect(await slow).toMatchObject({ status: 200, reused: true });
      // Every connection is gone well before the 65 s keep-alive timeout (measured, not asserted on time).
      expect(await closed).toBeLessThan(65_000);
    } finally {
      idleAgent.destroy();
      busyAgent.destroy();
    }
  });

  it('closes, after its grace, a connection that never sent a whole request (found by a stranger: half a request held the stop until the runner SIGKILLed Next)', async () => {
    // The same gate, already stopping from the test above (one process): a new server's half-sent
    // request is cut once the grace (2 s there) has passed since the stop began.
    const server = http.createServer((_request, response) => response.end('ok'));
    server.keepAliveTimeout = 65_000;
    server.headersTimeout = 60_000;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const socket = net.connect(port, '127.0.0.1');
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    socket.write('GET /api/health HTTP/1.1\r\nHost: x\r\n'); // no blank line: the headers never end
    const ended = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    await Promise.all([ended, closed]);
  });
});

