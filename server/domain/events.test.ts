import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { db } from '@/server/db';
import { asOwner } from '@/server/testing/database';
import { SYSTEM_ACTOR, type Actor } from './actor';
import { appendEvent, appendEvents, canonicalJson, listEvents, replay, verifyChain } from './events';

const actor: Actor = { id: randomUUID(), role: 'LANDLORD' };

async function appendOne(aggregateId: string, type: string, data: Record<string, unknown>) {
  return db.$transaction((tx) => appendEvent(tx, { aggregateType: 'Payment', aggregateId, type, actor, data }));
}

describe('canonicalJson', () => {
  it('sorts keys at every level, writes dates as ISO strings and drops undefined', () => {
    const value = { b: 1, a: { d: [3, { z: true, y: null }], c: new Date('2027-01-02T03:04:05.006Z') }, skipped: undefined };
    expect(canonicalJson(value)).toBe('{"a":{"c":"2027-01-02T03:04:05.006Z","d":[3,{"y":null,"z":true}]},"b":1}');
  });

  it('refuses numbers that are not whole, so a hash never depends on how a float prints', () => {
    expect(() => canonicalJson({ amount: 12.5 })).toThrow(TypeError);
    expect(() => canonicalJson({ amount: Number.NaN })).toThrow(TypeError);
  });
});

describe('appendEvent', () => {
  it('numbers an aggregate’s events from 1 and links each to the previous hash', async () => {
    const id = randomUUID();
    const first = await appendOne(id, 'payment.created', { status: 'PENDING', amountCents: 100 });
    const second = await db.$transaction((tx) =>
      appendEvent(tx, { aggregateType: 'Payment', aggregateId: id, type: 'payment.settled', actor: SYSTEM_ACTOR, reason: 'bank confirmed', data: { status: 'COMPLETED' } }),
    );
    expect(first).toMatchObject({ sequence: 1, prevHash: null, actor: { id: actor.id, role: 'LANDLORD' }, reason: null });
    expect(second).toMatchObject({ sequence: 2, prevHash: first.hash, actor: { id: null, role: 'SYSTEM' }, reason: 'bank confirmed' });
    expect(first.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(typeof first.id).toBe('string');
    expect(second.createdAt.getTime()).toBeGreaterThanOrEqual(first.createdAt.getTime());
    expect(await verifyChain(db, 'Payment', id)).toEqual({ ok: true, count: 2 });
    // Another aggregate's chain starts over.
    expect((await appendOne(randomUUID(), 'payment.created', {})).sequence).toBe(1);
  });

  it('keeps sequences gap-free and unique under concurrent writers', async () => {
    const id = randomUUID();
    const writers = 12;
    await Promise.all(Array.from({ length: writers }, (_, index) => appendOne(id, 'payment.noted', { index })));
    const events = await listEvents(db, 'Payment', id);
    expect(events.map((event) => event.sequence)).toEqual(Array.from({ length: writers }, (_, index) => index + 1));
    expect(await verifyChain(db, 'Payment', id)).toEqual({ ok: true, count: writers });
  });

  it('appends a batch for several aggregates in one call, consecutive per aggregate', async () => {
    const [a, b] = [randomUUID(), randomUUID()];
    await appendOne(a, 'payment.created', {});
    const appended = await db.$transaction((tx) =>
      appendEvents(tx, [
        { aggregateType: 'Payment', aggregateId: a, type: 'payment.step', actor, data: { step: 1 } },
        { aggregateType: 'Payment', aggregateId: b, type: 'payment.created', actor, data: {} },
        { aggregateType: 'Payment', aggregateId: a, type: 'payment.step', actor, data: { step: 2 } },
      ]),
    );
    expect(appended.map((event) => [event.aggregateId, event.sequence])).toEqual([[a, 2], [b, 1], [a, 3]]);
    expect(await verifyChain(db, 'Payment', a)).toEqual({ ok: true, count: 3 });
    expect(await verifyChain(db, 'Payment', b)).toEqual({ ok: true, count: 1 });
  });

  it('writes nothing when the transaction that appended rolls back', async () => {
    const id = randomUUID();
    await expect(
      db.$transaction(async (tx) => {
        await appendEvent(tx, { aggregateType: 'Payment', aggregateId: id, type: 'payment.created', actor, data: {} });
        throw new Error('the state change failed');
      }),
    ).rejects.toThrow('the state change failed');
    expect(await listEvents(db, 'Payment', id)).toEqual([]);
  });

  it('is refused by the database when anything tries to rewrite history', async () => {
    const event = await appendOne(randomUUID(), 'payment.created', {});
    // The app's role lacks the privilege; the owner is stopped by the trigger.
    await expect(db.$executeRaw`UPDATE "Event" SET reason = 'rewritten' WHERE id = ${BigInt(event.id)}`).rejects.toThrow(/permission denied/);
    await expect(db.$executeRaw`DELETE FROM "Event" WHERE id = ${BigInt(event.id)}`).rejects.toThrow(/permission denied/);
    await expect(asOwner([[`UPDATE "Event" SET reason = 'rewritten' WHERE id = $1`, [event.id]]])).rejects.toThrow(/append-only/);
    await expect(asOwner([[`DELETE FROM "Event" WHERE id = $1`, [event.id]]])).rejects.toThrow(/append-only/);
  });
});

describe('verifyChain', () => {
  // What only the owner can do: the event history's append-only rule lifted (the chain check stays).
  const appendOnlyLifted: [string, string][] = [['Event', 'Event_append_only_rows']];

  it('names the first row whose content was altered (trigger disabled in this test database)', async () => {
    const id = randomUUID();
    for (const status of ['PENDING', 'PROCESSING', 'COMPLETED']) await appendOne(id, `payment.${status.toLowerCase()}`, { status, amountCents: 5_000 });
    await asOwner([[`UPDATE "Event" SET data = jsonb_set(data, '{amountCents}', '1') WHERE "aggregateId" = $1 AND sequence = 2`, [id]]], { without: appendOnlyLifted });
    expect(await verifyChain(db, 'Payment', id)).toEqual({ ok: false, brokenAt: 2, reason: 'content does not match its hash (the row was altered)' });
  });

  it('names the row after a deleted one, and a row whose hash was recomputed without its successor', async () => {
    const deleted = randomUUID();
    for (let step = 1; step <= 3; step += 1) await appendOne(deleted, 'payment.step', { step });
    const rehashed = randomUUID();
    for (let step = 1; step <= 3; step += 1) await appendOne(rehashed, 'payment.step', { step });
    await asOwner(
      [
        [`DELETE FROM "Event" WHERE "aggregateId" = $1 AND sequence = 2`, [deleted]],
        [`UPDATE "Event" SET hash = repeat('0', 64) WHERE "aggregateId" = $1 AND sequence = 1`, [rehashed]],
      ],
      { without: appendOnlyLifted },
    );
    expect(await verifyChain(db, 'Payment', deleted)).toEqual({ ok: false, brokenAt: 3, reason: 'sequence 2 is missing before 3' });
    expect(await verifyChain(db, 'Payment', rehashed)).toMatchObject({ ok: false, brokenAt: 1 });
  });

  it('reports an empty chain as intact with no rows', async () => {
    expect(await verifyChain(db, 'Payment', randomUUID())).toEqual({ ok: true, count: 0 });
  });
});

describe('replay', () => {
  it('rebuilds the state now and as of any moment, from the events alone', async () => {
    const id = randomUUID();
    const created = await appendOne(id, 'payment.created', { id, status: 'PENDING', amountCents: 5_000, failureCode: null });
    // Distinct millisecond timestamps so "as of the first event" excludes the second.
    await sleep(5);
    const failed = await appendOne(id, 'payment.failed', { id, status: 'FAILED', amountCents: 5_000, failureCode: 'R01' });

    expect(await replay(db, 'Payment', id)).toEqual({ state: { id, status: 'FAILED', amountCents: 5_000, failureCode: 'R01' }, sequence: 2, at: failed.createdAt });
    expect(await replay(db, 'Payment', id, created.createdAt)).toEqual({
      state: { id, status: 'PENDING', amountCents: 5_000, failureCode: null },
      sequence: 1,
      at: created.createdAt,
    });
    expect(await replay(db, 'Payment', id, new Date(created.createdAt.getTime() - 1))).toBeNull();
  });
});
