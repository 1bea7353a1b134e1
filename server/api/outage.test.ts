// When the database is away or a query fails unexpectedly, the API answers 503 with
// Retry-After or a generic 500 with a request id — never the database's own words.
import pg from 'pg';
import { PrismaPg } from '@prisma/adapter-pg';
import { afterEach, describe, expect, it } from 'vitest';
import superjson from 'superjson';
import { db, disconnectDb } from '@/server/db';
import { isDatabaseUnavailable } from '@/server/db-errors';
import { PrismaClient } from '@/server/generated/prisma/client';
import { createUser, routeFetch, sessionCookie, withDatabaseDown } from '@/server/testing/api';
import { testDatabaseUrl } from '@/server/testing/database';
import { createApiToken } from '@/server/domain/api-tokens';
import { withEnv } from '@/server/testing/env';
import { payingRenter } from '@/server/testing/payments';

const LEAKS = /prisma|invocation|ECONNREFUSED|127\.0\.0\.1|postgres|relation|node_modules/i;

async function call(path: string, headers: Record<string, string> = {}, body?: unknown) {
  const response = await routeFetch(`http://localhost:3000/api/trpc/${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify({ json: body }),
  });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

afterEach(async () => {
  await db.$executeRawUnsafe(`ALTER TABLE IF EXISTS "Property_away" RENAME TO "Property"`);
});

describe('a database outage', () => {
  it('answers 503 with Retry-After and a request id, for sessions, tokens and sign-ups alike', async () => {
    const user = await createUser('LANDLORD');
    const cookie = await sessionCookie(user);
    const { token } = await db.$transaction((tx) => createApiToken(tx, { id: user.id, role: user.role }, { name: 'script', scope: 'READ', expiresInDays: 90 }));
    await withDatabaseDown(async () => {
      const answers = [
        await call('me.get', { cookie }),
        await call('property.list', { authorization: `Bearer ${token}` }),
        await call('auth.signUp', { 'x-forwarded-for': '192.0.2.1' }, { name: 'Ada', email: 'ada-outage@example.com', password: 'a long passphrase', role: 'RENTER' }),
      ];
      for (const answer of answers) {
        expect(answer.status, answer.text).toBe(503);
        expect(Number(answer.headers.get('retry-after'))).toBeGreaterThan(0);
        expect(answer.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
        expect(answer.text).toContain('temporarily unavailable');
        expect(answer.text).not.toMatch(LEAKS);
      }
    });
    // And back to normal once it returns.
    expect((await call('me.get', { cookie })).status).toBe(200);
  });

  it('is recognized from real driver errors: unreachable, terminated; a constraint violation is not one', async () => {
    const unreachable = new PrismaClient({ adapter: new PrismaPg({ connectionString: testDatabaseUrl.replace(/:\d+\//, ':1/'), connectionTimeoutMillis: 2_000 }) });
    const refused = await unreachable.user.count().catch((error: unknown) => error);
    await unreachable.$disconnect();
    expect(isDatabaseUnavailable(refused)).toBe(true);

    const victim = new PrismaClient({ adapter: new PrismaPg({ connectionString: testDatabaseUrl, max: 1 }) });
    const [backend] = await victim.$queryRaw<{ pid: number }[]>`select pg_backend_pid() as pid`;
    const pid = backend!.pid;
    const sleeping = victim.$queryRaw`select pg_sleep(30)`.catch((error: unknown) => error);
    const admin = new pg.Client({ connectionString: testDatabaseUrl });
    await admin.connect();
    try {
      // Wait until the sleep is running, then end its connection as a server restart would.
      await expect.poll(async () => (await admin.query('select state from pg_stat_activity where pid = $1', [pid])).rows[0]?.state, { timeout: 10_000 }).toBe('active');
      await admin.query('select pg_terminate_backend($1)', [pid]);
    } finally {
      await admin.end();
    }
    expect(isDatabaseUnavailable(await sleeping)).toBe(true);
    await victim.$disconnect();

    const duplicate = await db.user.create({ data: { name: 'x', email: (await createUser('RENTER')).email, role: 'RENTER', passwordHash: 'x' } }).catch((error: unknown) => error);
    expect(isDatabaseUnavailable(duplicate)).toBe(false);
  });
});

describe('an unexpected error', () => {
  it('answers a generic 500 naming the request id; the detail stays in the log', async () => {
    const user = await createUser('LANDLORD');
    // A schema the code does not expect (the table is gone): a fault no input can fix.
    await db.$executeRawUnsafe(`ALTER TABLE "Property" RENAME TO "Property_away"`);
    const answer = await call('property.list', { cookie: await sessionCookie(user) });
    expect(answer.status).toBe(500);
    const id = answer.headers.get('x-request-id');
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(answer.text).toContain(`Something went wrong on our side; quote request id ${id}`);
    expect(answer.text).not.toMatch(LEAKS);
  });
});

describe('a statement the database cannot finish in time', () => {
  it('answers 503 with Retry-After once statement_timeout cancels it, writes nothing, and the same request succeeds after', async () => {
    const setup = await payingRenter();
    const installment = setup.lease.installments[0]!;
    const input = { installmentId: installment.id, fromAccountId: setup.from.id, rail: 'STANDARD_ACH' };
    const create = async () => {
      const response = await routeFetch('http://localhost:3000/api/trpc/payment.create', {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie: await sessionCookie(setup.renter), 'idempotency-key': 'rent-locked-lease' },
        body: JSON.stringify(superjson.serialize(input)),
      });
      return { status: response.status, headers: response.headers, text: await response.text() };
    };
    // Someone holds the lease's and the installment's locks and does not let go (a psql session, a stuck transaction).
    const holder = new pg.Client({ connectionString: testDatabaseUrl });
    await holder.connect();
    await disconnectDb();
    try {
      await holder.query('begin');
      await holder.query('select 1 from "Lease" where id = $1 for update', [setup.lease.id]);
      await holder.query('select 1 from "Installment" where id = $1 for update', [installment.id]);
      const answer = await withEnv({ DATABASE_STATEMENT_TIMEOUT_MS: '500' }, async () => {
        try {
          return await create();
        } finally {
          await disconnectDb();
        }
      });
      expect(answer.status, answer.text).toBe(503);
      expect(Number(answer.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(answer.text).toContain('temporarily unavailable');
      expect(answer.text).not.toMatch(LEAKS);
      expect(await db.payment.count({ where: { installmentId: installment.id } })).toBe(0);
    } finally {
      await holder.query('rollback');
      await holder.end();
    }
    const retried = await create();
    expect(retried.status, retried.text).toBe(200);
    expect(await db.payment.count({ where: { installmentId: installment.id } })).toBe(1);
  });
});
