// The app's sessions are UTC whatever the server's default (server/db.ts utcSessionUrl): this
// file's database defaults to America/Los_Angeles, as an embedded PostgreSQL initialised on a
// developer's machine there would. Before, Prisma (which writes and reads timestamps as UTC)
// and raw SQL (true instants: insertRows, now() defaults) disagreed by the offset there.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { testDatabaseUrl } from '@/server/testing/database';

// Before the app's pool opens its first connection.
const owner = new pg.Client({ connectionString: testDatabaseUrl });
await owner.connect();
await owner.query(`alter database "${new URL(testDatabaseUrl).pathname.slice(1)}" set timezone = 'America/Los_Angeles'`);
await owner.end();

const { db, utcSessionUrl } = await import('@/server/db');
const { SYSTEM_ACTOR } = await import('@/server/domain/actor');
const { appendEvents, verifyChain } = await import('@/server/domain/events');
const { notify } = await import('@/server/domain/notifications');
const { createUser } = await import('@/server/testing/api');

async function sessionTimeZone(url: string): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<{ tz: string }>("select current_setting('TimeZone') as tz")).rows[0]!.tz;
  } finally {
    await client.end();
  }
}

describe('session time zone', () => {
  it('is UTC on the app’s connections, where a plain connection gets the database’s default', async () => {
    expect(await sessionTimeZone(testDatabaseUrl)).toBe('America/Los_Angeles');
    expect(await sessionTimeZone(utcSessionUrl(testDatabaseUrl))).toBe('UTC');
    const [row] = await db.$queryRaw<{ tz: string }[]>`select current_setting('TimeZone') as tz`;
    expect(row?.tz).toBe('UTC');
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

  it('adds TimeZone to the options a URL already has, and leaves one that sets it', () => {
    expect(utcSessionUrl('postgresql://u:p@h:5432/d')).toBe('postgresql://u:p@h:5432/d?options=-c+TimeZone%3DUTC');
    expect(new URL(utcSessionUrl('postgresql://h/d?options=-c%20statement_timeout%3D5000&sslmode=require')).searchParams.get('options')).toBe('-c statement_timeout=5000 -c TimeZone=UTC');
    expect(utcSessionUrl('postgresql://h/d?options=-c%20TimeZone%3DEurope%2FParis')).toBe('postgresql://h/d?options=-c%20TimeZone%3DEurope%2FParis');
  });
});
