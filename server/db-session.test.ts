// The app's sessions are UTC and READ COMMITTED, with bounded statements and idle transactions,
// whatever the server's defaults (server/db.ts
// appSessionUrl): this file's database defaults to America/Los_Angeles, as an embedded PostgreSQL
// initialised on a developer's machine there would, and to SERIALIZABLE, as a server tuned by
// someone else might. Before, Prisma (which writes and reads timestamps as UTC) and raw SQL (true
// instants: insertRows, now() defaults) disagreed by the offset there; and the database's rules
// refuse money written at any level but READ COMMITTED.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { testDatabaseUrl } from '@/server/testing/database';

// Before the app's pool opens its first connection.
const owner = new pg.Client({ connectionString: testDatabaseUrl });
await owner.connect();
await owner.query(`alter database "${new URL(testDatabaseUrl).pathname.slice(1)}" set timezone = 'America/Los_Angeles'`);
await owner.query(`alter database "${new URL(testDatabaseUrl).pathname.slice(1)}" set default_transaction_isolation = 'serializable'`);
await owner.end();

const { db, appSessionUrl } = await import('@/server/db');
const { SYSTEM_ACTOR } = await import('@/server/domain/actor');
const { appendEvents, verifyChain } = await import('@/server/domain/events');
const { notify } = await import('@/server/domain/notifications');
const { createUser } = await import('@/server/testing/api');
const { payingRenter, paymentWithoutSettlement } = await import('@/server/testing/payments');

const SETTINGS = "select current_setting('TimeZone') as tz, current_setting('transaction_isolation') as isolation, current_setting('statement_timeout') as statement, current_setting('idle_in_transaction_session_timeout') as idle";
type Settings = { tz: string; isolation: string; statement: string; idle: string };

async function sessionSettings(url: string): Promise<Settings> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<Settings>(SETTINGS)).rows[0]!;
  } finally {
    await client.end();
  }
}

describe('session settings', () => {
  it('are UTC and READ COMMITTED on the app’s connections, where a plain connection gets the database’s defaults', async () => {
    expect(await sessionSettings(testDatabaseUrl)).toEqual({ tz: 'America/Los_Angeles', isolation: 'serializable', statement: '0', idle: '0' });
    const app = { tz: 'UTC', isolation: 'read committed', statement: '10s', idle: '1min' };
    expect(await sessionSettings(appSessionUrl(testDatabaseUrl))).toEqual(app);
    const [row] = await db.$transaction((tx) => tx.$queryRawUnsafe<Settings[]>(SETTINGS));
    expect(row).toEqual(app);
  });

  it('writes money there: a lease offered and a payment made, whose rules refuse any level but READ COMMITTED', async () => {
    const setup = await payingRenter();
    const payment = await paymentWithoutSettlement(setup, { rail: 'RTP' });
    expect(payment).toMatchObject({ status: 'PENDING', amountCents: setup.lease.installments[0]!.amountCents });
  });

  it('keeps event chains verifiable and new rows’ times true', async () => {
    const aggregateId = randomUUID();
    const before = Date.now();
    await db.$transaction((tx) => appendEvents(tx, [{ aggregateType: 'Payment', aggregateId, first: true, type: 'payment.noted', actor: SYSTEM_ACTOR, data: { n: 1 } }]));
    await db.$transaction((tx) => appendEvents(tx, [{ aggregateType: 'Payment', aggregateId, type: 'payment.noted', actor: SYSTEM_ACTOR, data: { n: 2 } }]));
    expect(await db.$transaction((tx) => verifyChain(tx, 'Payment', aggregateId))).toEqual({ ok: true, count: 2 });
    const event = await db.event.findFirstOrThrow({ where: { aggregateId }, orderBy: { sequence: 'asc' } });
    expect(Math.abs(event.createdAt.getTime() - before)).toBeLessThan(60_000);

    // A column the database fills (createdAt's default now()).
    const user = await createUser('RENTER');
    await db.$transaction((tx) => notify(tx, [{ userId: user.id, type: 'test.note', title: 't', body: 'b' }]));
    const notice = await db.notification.findFirstOrThrow({ where: { userId: user.id } });
    expect(Math.abs(notice.createdAt.getTime() - Date.now())).toBeLessThan(60_000);
  });

  it('adds its settings to the options a URL already has, each unless the URL sets it', () => {
    const options = (url: string) => new URL(appSessionUrl(url)).searchParams.get('options');
    const zone = String.raw`-c TimeZone=UTC -c default_transaction_isolation=read\ committed`;
    const idle = '-c idle_in_transaction_session_timeout=60000';
    expect(options('postgresql://u:p@h:5432/d')).toBe(`${zone} -c statement_timeout=10000 ${idle}`);
    expect(new URL(appSessionUrl('postgresql://u:p@h:5432/d', 2_500)).searchParams.get('options')).toBe(`${zone} -c statement_timeout=2500 ${idle}`);
    expect(options('postgresql://h/d?options=-c%20statement_timeout%3D5000&sslmode=require')).toBe(`-c statement_timeout=5000 ${zone} ${idle}`);
    expect(options('postgresql://h/d?options=-c%20TimeZone%3DEurope%2FParis')).toBe(String.raw`-c TimeZone=Europe/Paris -c default_transaction_isolation=read\ committed -c statement_timeout=10000 ` + idle);
    const chosen =
      'postgresql://h/d?options=-c%20TimeZone%3DUTC%20-c%20default_transaction_isolation%3Drepeatable%5C%20read%20-c%20statement_timeout%3D0%20-c%20idle_in_transaction_session_timeout%3D0';
    expect(appSessionUrl(chosen)).toBe(chosen);
  });
});
