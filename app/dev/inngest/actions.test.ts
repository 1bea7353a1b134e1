// The dashboard's actions when the database does not answer: a lock held on the engine's tables
// (an operator's psql, a migration) makes the statement outlast its statement_timeout (500 ms
// here). Found by a stranger: send-event and invoke answered a bare 500; their forms now say so.
// next/headers, next/server and next/cache are stood in for (no Next request here).
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import pg from 'pg';

const state = vi.hoisted(() => ({ headers: new Headers() }));
vi.mock('next/headers', () => ({ headers: async () => state.headers }));
vi.mock('next/server', () => ({ connection: async () => undefined }));
vi.mock('next/cache', () => ({ revalidatePath: () => undefined }));

import { testDatabaseUrl } from '@/server/testing/database';
import { disconnectDb } from '@/server/db';
import { resetEnvForTests } from '@/server/env';
import { logger } from '@/server/logger';
import { createUser, sessionCookie } from '@/server/testing/api';
import { startInngestForTests, type InngestTestHarness } from '@/inngest/engine/testing';
import { inngest } from '@/inngest/client';
import { functions } from '@/inngest/functions';
import { invokeFunction, sendTestEvent } from './actions';

let harness: InngestTestHarness;
beforeAll(async () => {
  Object.assign(process.env, { OPERATOR_DASHBOARD: 'true', OPERATOR_EMAILS: 'ops-actions@example.com', DATABASE_STATEMENT_TIMEOUT_MS: '500' });
  resetEnvForTests();
  await disconnectDb(); // the app's pool opens again with this statement_timeout
  harness = await startInngestForTests({ client: inngest, functions });
  const operator = await createUser('LANDLORD', { email: 'ops-actions@example.com' });
  state.headers = new Headers({ cookie: await sessionCookie(operator) });
});
afterAll(() => harness.stop());

const form = (fields: Record<string, string>) => {
  const data = new FormData();
  for (const [name, value] of Object.entries(fields)) data.set(name, value);
  return data;
};

describe('an operator action the database does not answer', () => {
  it('says so in its form (it may not have been done), logs it once as an outage, and works once the lock is gone', async () => {
    const holder = new pg.Client({ connectionString: testDatabaseUrl });
    await holder.connect();
    const warn = vi.spyOn(logger, 'warn');
    const error = vi.spyOn(logger, 'error');
    try {
      await holder.query('begin');
      await holder.query('lock table inngest_engine.events, inngest_engine.runs in access exclusive mode');
      const sent = await sendTestEvent({ ok: false, message: '' }, form({ name: 'ops/locked', data: '{"a":1}' }));
      expect(sent).toEqual({ ok: false, message: expect.stringMatching(/^The database did not answer, so this may not have been done/) });
      const invoked = await invokeFunction({ ok: false, message: '' }, form({ functionId: 'directpay-settle-payment', data: '{}' }));
      expect(invoked).toEqual({ ok: false, message: expect.stringMatching(/^The database did not answer/) });
      expect(warn.mock.calls.map((args) => args[1])).toEqual(['database unavailable', 'database unavailable']);
      expect(error).not.toHaveBeenCalled();
    } finally {
      await holder.query('rollback');
      await holder.end();
      vi.restoreAllMocks();
    }
    const after = await sendTestEvent({ ok: false, message: '' }, form({ name: 'ops/unlocked', data: '{"a":1}' }));
    expect(after).toMatchObject({ ok: true, message: 'Sent ops/unlocked: no function is triggered by it.' });
  });
});
