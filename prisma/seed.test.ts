// The seed writes through the same domain functions as everyone else: each demo user signs up
// (with its user.signedUp event), the demo lease is offered and accepted, and the history
// matches the tables. Running it again changes nothing.
import { afterAll, describe, expect, it } from 'vitest';
import { db } from '@/server/db';
import { DEMO_USERS } from '@/server/domain/demo';
import { verifyCredentials } from '@/server/domain/users';
import { testDatabaseUrl } from '@/server/testing/database';
import { historyMismatches } from '@/server/testing/history';
import { apiAs, codeOf } from '@/server/testing/api';
import { seed } from './seed';

afterAll(async () => {
  expect((await historyMismatches()).mismatches).toEqual([]);
});

describe('the demo seed', () => {
  it('signs up every demo user, the operator included, with a user.signedUp event and the published password', async () => {
    const lines: string[] = [];
    await seed(testDatabaseUrl, (line) => lines.push(line));
    for (const demo of DEMO_USERS) {
      const user = await verifyCredentials(db, demo.email, demo.password);
      expect(user).toMatchObject({ email: demo.email, role: demo.role, name: demo.name });
      const events = await db.event.findMany({ where: { aggregateType: 'User', aggregateId: user!.id }, select: { type: true } });
      expect(events.map((event) => event.type)).toEqual(['user.signedUp']);
    }
    expect(lines.filter((line) => line.endsWith('(created)'))).toHaveLength(DEMO_USERS.length);
    expect(await db.lease.count({ where: { status: 'ACTIVE' } })).toBe(1);

    const again: string[] = [];
    await seed(testDatabaseUrl, (line) => again.push(line));
    expect(again.filter((line) => line.endsWith('(created)'))).toEqual([]);
    expect(await db.user.count()).toBe(DEMO_USERS.length);
    expect(await db.lease.count()).toBe(1);
  });

  it('is the only way to a demo password: sign-up refuses it for anyone else', async () => {
    const api = await apiAs(null);
    for (const demo of DEMO_USERS) {
      expect(await codeOf(api.auth.signUp.mutate({ name: 'Copycat', email: `copycat-${demo.role.toLowerCase()}@example.com`, password: demo.password, role: demo.role }))).toBe('BAD_REQUEST');
    }
  });
});
