// insertRows against a real PostgreSQL: every row in one prepared statement whose text does
// not depend on the number of rows, values stored as given (JSON as JSON, absent as NULL),
// computed columns filled by the database.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { db } from '@/server/db';
import { SYSTEM_ACTOR } from '@/server/domain/actor';
import { appendEvents } from '@/server/domain/events';
import { insertRows } from '@/server/insert-rows';
import { payingRenter } from '@/server/testing/payments';
import { recordStatements } from '@/server/testing/statements';

interface Notice {
  userId: string;
  type: string;
  title: string;
  body: string;
  link: string | null;
}
const NOTICE = { userId: 'uuid', type: 'text', title: 'text', body: 'text', link: 'text' } as const;

describe('insertRows', () => {
  it('writes every row in one named statement, the same text for 1 row and for 12', async () => {
    const { renter } = await payingRenter();
    const notice = (n: number): Notice => ({ userId: renter.id, type: 'test.note', title: `title ${n}`, body: `body ${n}`, link: n % 2 ? `/n/${n}` : null });
    const one = await recordStatements(() => db.$transaction((tx) => insertRows(tx, 'Notification', NOTICE, [notice(0)], { computed: { id: 'gen_random_uuid()' } })));
    const twelve = await recordStatements(() =>
      db.$transaction((tx) => insertRows(tx, 'Notification', NOTICE, Array.from({ length: 12 }, (_, n) => notice(n + 1)), { computed: { id: 'gen_random_uuid()' } })),
    );
    const inserts = (recorded: { statements: string[]; names: string[] }) => recorded.statements.flatMap((text, i) => (text.startsWith('INSERT') ? [{ text, name: recorded.names[i] }] : []));
    expect(inserts(one)).toHaveLength(1);
    expect(inserts(twelve)).toHaveLength(1);
    expect(inserts(twelve)[0]!.text).toBe(inserts(one)[0]!.text);
    expect(inserts(one)[0]!.name).not.toBe('');

    const stored = await db.notification.findMany({ where: { userId: renter.id, type: 'test.note' }, orderBy: { title: 'asc' } });
    expect(stored).toHaveLength(13);
    for (const row of stored) {
      const n = Number(row.title.slice('title '.length));
      expect(row).toMatchObject({ body: `body ${n}`, link: n % 2 ? `/n/${n}` : null, readAt: null });
      expect(row.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(row.createdAt).toBeInstanceOf(Date);
    }
  });

  it('stores JSON values as JSON (a string stays a string), dates as instants, and answers RETURNING', async () => {
    const aggregateId = randomUUID();
    // An instant with its milliseconds, of today: the database dates events when they are written.
    const createdAt = new Date(Date.now() - (Date.now() % 1000) + 123);
    const rows = [
      { aggregateType: 'Payment', aggregateId, sequence: 1, type: 'payment.noted', actorId: null, actorRole: 'SYSTEM', reason: null, data: '{"looks":"like json"}', createdAt, prevHash: null, hash: 'a'.repeat(64) },
      { aggregateType: 'Payment', aggregateId, sequence: 2, type: 'payment.noted', actorId: null, actorRole: 'SYSTEM', reason: 'r', data: { nested: [1, { b: null }] }, createdAt, prevHash: 'a'.repeat(64), hash: 'b'.repeat(64) },
    ];
    const types = { aggregateType: 'text', aggregateId: 'uuid', sequence: 'int', type: 'text', actorId: 'uuid', actorRole: 'text', reason: 'text', data: 'jsonb', createdAt: 'timestamptz', prevHash: 'text', hash: 'text' } as const;
    const returned = await db.$transaction((tx) => insertRows<(typeof rows)[number], { sequence: number; data: unknown; createdAt: Date }>(tx, 'Event', types, rows, { returning: 'sequence, data, "createdAt"' }));
    expect(returned.sort((a, b) => a.sequence - b.sequence)).toEqual([
      { sequence: 1, data: '{"looks":"like json"}', createdAt },
      { sequence: 2, data: { nested: [1, { b: null }] }, createdAt },
    ]);
  });

  it('writes nothing and sends no statement for no rows', async () => {
    const { statements } = await recordStatements(() => insertRows(db, 'Notification', NOTICE, []));
    expect(statements).toEqual([]);
  });

  it('appendEvents: one aggregate’s events get ids in sequence order', async () => {
    const aggregateId = randomUUID();
    const events = await db.$transaction((tx) =>
      appendEvents(
        tx,
        Array.from({ length: 12 }, (_, n) => ({ aggregateType: 'Payment' as const, aggregateId, first: n === 0, type: `payment.step${n}`, actor: SYSTEM_ACTOR, data: { n } })),
      ),
    );
    const stored = await db.event.findMany({ where: { aggregateId }, orderBy: { id: 'asc' } });
    expect(stored.map((row) => row.sequence)).toEqual(Array.from({ length: 12 }, (_, n) => n + 1));
    expect(stored.map((row) => row.type)).toEqual(events.map((event) => event.type));
    expect(events.map((event) => event.id)).toEqual(stored.map((row) => row.id.toString()));
    expect(events.map((event) => event.data)).toEqual(stored.map((row) => row.data));
  });
});
