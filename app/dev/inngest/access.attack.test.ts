// Attack probes on today's /dev/inngest rule (an operator signed in to the portal; an operator's
// API token, whatever its scope, gets the 404): operatorAllowed() with the request headers a
// browser or a program would send. next/headers and next/server are stood in for (no Next
// request here); the environment turns the dashboard on and names the operator. All HELD.
import { beforeAll, describe, expect, it, vi } from 'vitest';

const state = vi.hoisted(() => ({ headers: new Headers() }));
vi.mock('next/headers', () => ({ headers: async () => state.headers }));
vi.mock('next/server', () => ({ connection: async () => undefined }));

import { operatorAllowed } from './access';
import { apiAs, createUser, sessionCookie, type TestUser } from '@/server/testing/api';
import { db } from '@/server/db';
import { endSession } from '@/server/domain/sessions';
import { resetEnvForTests } from '@/server/env';

let operator: TestUser;
let readToken: string;
let writeToken: string;
beforeAll(async () => {
  // The dashboard on (as OPERATOR_DASHBOARD=true in production) and this address an operator.
  Object.assign(process.env, { OPERATOR_DASHBOARD: 'true', OPERATOR_EMAILS: 'ops-attack@example.com,ops-unclaimed@example.com' });
  resetEnvForTests();
  operator = await createUser('LANDLORD', { email: 'ops-attack@example.com' });
  const portal = await apiAs(operator);
  ({ token: readToken } = await portal.apiToken.create.mutate({ name: 'ops read' }));
  ({ token: writeToken } = await portal.apiToken.create.mutate({ name: 'ops write', scope: 'WRITE' }));
});

async function allowedWith(headers: Record<string, string>) {
  state.headers = new Headers(headers);
  return operatorAllowed();
}

describe('HELD: /dev/inngest wants the operator’s portal session, nothing else', () => {
  it('the operator’s live cookie is let in (the probe works)', async () => {
    expect(await allowedWith({ cookie: await sessionCookie(operator) })).toBe(true);
  });

  it('the operator’s READ or WRITE token, in any letter case or with the live cookie beside it, is not', async () => {
    const cookie = await sessionCookie(operator);
    for (const authorization of [`Bearer ${readToken}`, `Bearer ${writeToken}`, `bearer ${writeToken}`, `BEARER  ${writeToken} `]) {
      expect(await allowedWith({ authorization }), authorization.slice(0, 8)).toBe(false);
      expect(await allowedWith({ authorization, cookie }), `${authorization.slice(0, 8)} + cookie`).toBe(false);
    }
    // A broken bearer with the cookie: nobody (the bearer is read first and fails), not the cookie.
    expect(await allowedWith({ authorization: 'Bearer dp_00000000_nope', cookie })).toBe(false);
  });

  it('an ended session’s cookie, a non-operator’s cookie, and a cookie under the other cookie name with a token are not', async () => {
    const cookie = await sessionCookie(operator);
    const sid = (await db.session.findFirstOrThrow({ where: { userId: operator.id, endedAt: null }, orderBy: { createdAt: 'desc' } })).id;
    await endSession(db, sid);
    expect(await allowedWith({ cookie })).toBe(false);
    const landlord = await createUser('LANDLORD');
    expect(await allowedWith({ cookie: await sessionCookie(landlord) })).toBe(false);
    const live = (await sessionCookie(operator)).replace('next-auth.session-token', '__Secure-next-auth.session-token');
    expect(await allowedWith({ cookie: live })).toBe(true);
    expect(await allowedWith({ cookie: live, authorization: `Bearer ${writeToken}` })).toBe(false);
  });
});

describe('an address listed in OPERATOR_EMAILS grants nothing until its holder proves it (found attacking the API)', () => {
  it('an account signed up with a listed address it has not verified is no operator: no dashboard, no operator procedure; verified, it is', async () => {
    const impostor = await createUser('RENTER', { email: 'ops-unclaimed@example.com', verified: false });
    const cookie = await sessionCookie(impostor);
    expect(await allowedWith({ cookie })).toBe(false);
    const api = await apiAs(impostor);
    // The operator's own account events: every event to an operator, none to anyone else.
    const othersEvents = async () => (await api.audit.events.query({ aggregateType: 'User', aggregateId: operator.id })).items.length;
    expect(await othersEvents()).toBe(0);

    await db.user.update({ where: { id: impostor.id }, data: { emailVerifiedAt: new Date() } });
    expect(await allowedWith({ cookie })).toBe(true);
    expect(await othersEvents()).toBeGreaterThan(0);
  });
});
