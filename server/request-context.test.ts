// The request wrapper: its answer to the engine (X-App-Busy says whether users' API requests are
// being answered, so the local engine yields the app to them: inngest/engine/context.ts), and
// what it makes of a caller that hangs up.
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { describe, expect, it, vi } from 'vitest';
import { waitFor } from '@/inngest/engine/testing';
import { logger } from '@/server/logger';
import { handleApiRequest, usersBusy } from '@/server/request-context';

const engineCall = () =>
  handleApiRequest(new Request('http://localhost:3000/api/inngest?fnId=f&stepId=s', { method: 'POST', body: '{}' }), async () => new Response('[]', { status: 206 }));

describe('X-App-Busy', () => {
  it("answers 1 to the engine while a user's request is in flight, 0 once none has been for a moment", async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const userRequest = handleApiRequest(new Request('http://localhost:3000/api/trpc/me.get'), async () => {
      await held;
      return Response.json({ ok: true });
    });
    expect(usersBusy()).toBe(true);
    expect((await engineCall()).headers.get('x-app-busy')).toBe('1');
    release();
    expect((await userRequest).status).toBe(200);
    // Still busy for the grace after it (a client's next request follows at once), then free.
    await waitFor(async () => !usersBusy(), 'the grace after the last user request to pass');
    const answer = await engineCall();
    expect(answer.status).toBe(206);
    expect(answer.headers.get('x-app-busy')).toBe('0');
  });

  it('does not count the engine\'s own calls as users, nor answer the header to users or to an unsigned call', async () => {
    await waitFor(async () => !usersBusy(), 'no user request');
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const slowStep = handleApiRequest(new Request('http://localhost:3000/api/inngest?fnId=f&stepId=s', { method: 'POST', body: '{}' }), async () => {
      await held;
      return new Response('[]', { status: 206 });
    });
    expect(usersBusy()).toBe(false);
    expect((await engineCall()).headers.get('x-app-busy')).toBe('0');
    release();
    await slowStep;
    const user = await handleApiRequest(new Request('http://localhost:3000/api/trpc/me.get'), async () => Response.json({ ok: true }));
    expect(user.headers.has('x-app-busy')).toBe(false);
    const refused = await handleApiRequest(new Request('http://localhost:3000/api/inngest?fnId=f&stepId=s', { method: 'POST', body: '{}' }), async () => new Response('unsigned', { status: 401 }));
    expect(refused.headers.has('x-app-busy')).toBe(false);
  });
});

describe('a caller that hangs up before its body is read', () => {
  it('is a 499 in the log and the metrics, not a database outage (found by a stranger: "database unavailable", 503)', async () => {
    const warn = vi.spyOn(logger, 'warn');
    let answered: (status: number) => void;
    const status = new Promise<number>((resolve) => (answered = resolve));
    const server = http.createServer(async (incoming, outgoing) => {
      const request = new Request(`http://localhost:3000${incoming.url}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: Readable.toWeb(incoming) as ReadableStream,
        duplex: 'half',
      } as RequestInit);
      const response = await handleApiRequest(request, async () => new Response('{}'), undefined, { jsonBody: 'required' });
      answered(response.status);
      outgoing.destroy();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const socket = net.connect(port, '127.0.0.1', () => socket.write('POST /api/trpc/auth.signUp HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{"json":'));
      socket.on('error', () => undefined);
      // Hang up once the server has the head and part of the body.
      server.once('request', () => setImmediate(() => socket.destroy()));
      expect(await status).toBe(499);
      expect(warn).not.toHaveBeenCalled();
    } finally {
      warn.mockRestore();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
