// A transaction that lost to a concurrent one (deadlock, serialization failure) is answered 409
// CONFLICT "try again", whether it failed in a Prisma model query (P2034) or in raw SQL such as
// insertRows (P2010 carrying the SQLSTATE). Before, the raw-SQL case reached callers as a 500.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db } from '@/server/db';
import { isDatabaseUnavailable, isWriteConflict } from '@/server/db-errors';
import { apiAs, createUser, errorOf } from '@/server/testing/api';
import { testDatabaseUrl } from '@/server/testing/database';

async function asOwner(sql: string) {
  const client = new pg.Client({ connectionString: testDatabaseUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  // A rename to "Lost 40P01" (or "Lost 40001") fails its event insert with that SQLSTATE.
  await asOwner(`create function lose_race() returns trigger language plpgsql as $$
    begin
      if new.type = 'user.renamed' and new.data->>'name' like 'Lost 40%' then
        raise exception 'lost a race' using errcode = substr(new.data->>'name', 6);
      end if;
      return new;
    end $$;
    create trigger lose_race before insert on "Event" for each row execute function lose_race()`);
});

afterAll(async () => {
  await asOwner('drop trigger lose_race on "Event"; drop function lose_race()');
});

const raise = (state: string) => db.$executeRawUnsafe(`do $$ begin raise exception 'probe' using errcode = '${state}'; end $$`);

describe('isWriteConflict', () => {
  it('is true for a deadlock or serialization failure in raw SQL, false for other refusals', async () => {
    for (const state of ['40P01', '40001']) {
      const error = await raise(state).catch((caught: unknown) => caught);
      expect(isWriteConflict(error), state).toBe(true);
      expect(isDatabaseUnavailable(error), state).toBe(false);
    }
    for (const state of ['23505', '22001', '57P01']) expect(isWriteConflict(await raise(state).catch((caught: unknown) => caught)), state).toBe(false);
  });

  it('answers 409 CONFLICT "try again" through the route when an insert loses, changing nothing', async () => {
    const user = await createUser('RENTER', { name: 'Kept Name' });
    const api = await apiAs(user);
    for (const name of ['Lost 40P01', 'Lost 40001']) {
      const error = await errorOf(api.me.updateName.mutate({ name }));
      expect(error.data).toMatchObject({ code: 'CONFLICT', httpStatus: 409 });
      expect(error.message).toMatch(/try again/);
    }
    expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).name).toBe('Kept Name');
  });
});

describe('a transaction that cannot start in time', () => {
  it('is an outage (503) when no connection came free within maxWait (P2028, found by a stranger: a 500 during a freeze); a transaction that outran its own timeout is not', async () => {
    const { PrismaPg } = await import('@prisma/adapter-pg');
    const { PrismaClient } = await import('@/server/generated/prisma/client');
    const one = new PrismaClient({ adapter: new PrismaPg({ connectionString: testDatabaseUrl, max: 1 }) });
    try {
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      const holding = one.$transaction(async (tx) => {
        await tx.$queryRawUnsafe('select 1');
        await held;
      }, { timeout: 10_000 });
      const starved = await one.$transaction((tx) => tx.$queryRawUnsafe('select 1'), { maxWait: 200 }).catch((error: unknown) => error);
      release();
      await holding;
      expect((starved as { code?: string }).code).toBe('P2028');
      expect(isDatabaseUnavailable(starved)).toBe(true);

      const outran = await one
        .$transaction(async (tx) => {
          await new Promise((resolve) => setTimeout(resolve, 300));
          await tx.$queryRawUnsafe('select 1');
        }, { timeout: 100 })
        .catch((error: unknown) => error);
      expect((outran as { code?: string }).code).toBe('P2028');
      expect(isDatabaseUnavailable(outran)).toBe(false);
    } finally {
      await one.$disconnect();
    }
  });
});
