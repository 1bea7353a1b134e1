// The request wrapper's answer to the engine: X-App-Busy says whether users' API requests are
// being answered, so the local engine yields the app to them (inngest/engine/context.ts).
import { describe, expect, it } from 'vitest';
import { waitFor } from '@/inngest/engine/testing';
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
