import { describe, expect, it } from 'vitest';
import { db } from '@/server/db';
import { createUser } from '@/server/testing/api';
import { appendEvents, listEvents } from '@/server/domain/events';

describe('first flag', () => {
  it('first:true on an aggregate with events fails loudly (unique index), nothing written', async () => {
    const user = await createUser('RENTER');
    const actor = { id: user.id, role: user.role };
    const before = await listEvents(db, 'User', user.id);
    expect(before.length).toBe(1);
    const err = await db.$transaction((tx) => appendEvents(tx, [{ aggregateType: 'User', aggregateId: user.id, first: true, type: 'user.x', actor, data: {} }])).catch((e) => e);
    console.log('error', err?.code, String(err?.message).slice(0, 200));
    expect(err).toBeInstanceOf(Error);
    expect((await listEvents(db, 'User', user.id)).length).toBe(1);
  });
  it('first on the second event of a call for the same aggregate chains correctly', async () => {
    const user = await createUser('RENTER');
    const actor = { id: user.id, role: user.role };
    const out = await db.$transaction((tx) =>
      appendEvents(tx, [
        { aggregateType: 'User', aggregateId: user.id, type: 'user.a', actor, data: {} },
        { aggregateType: 'User', aggregateId: user.id, first: true, type: 'user.b', actor, data: {} },
      ]),
    );
    const all = await listEvents(db, 'User', user.id);
    expect(all.map((e) => e.sequence)).toEqual([1, 2, 3]);
    expect(all[2]!.prevHash).toBe(all[1]!.hash);
    void out;
  });
});
