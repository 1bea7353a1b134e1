import { describe, expect, it } from 'vitest';
import { db, type Tx } from '@/server/db';
import { createUser } from '@/server/testing/api';
import { DomainError } from './errors';
import { runIdempotent } from './idempotency';

// The protected work: writes one notification row and returns it (with a Date, to check replay types).
const work = (userId: string, title: string) => async (tx: Tx) =>
  tx.notification.create({ data: { userId, type: 'test', title, body: 'b' }, select: { id: true, title: true, createdAt: true } });

describe('idempotent requests', () => {
  it('replays the first response for the same key and parameters without doing the work again', async () => {
    const user = await createUser('RENTER');
    const scope = { userId: user.id, procedure: 'test.create', key: 'k-1', request: { title: 'a' } };
    const first = await runIdempotent(db, scope, work(user.id, 'a'));
    const second = await runIdempotent(db, scope, work(user.id, 'a'));
    expect(first.replayed).toBe(false);
    expect(second).toEqual({ result: first.result, replayed: true });
    expect(second.result.createdAt).toBeInstanceOf(Date);
    expect(await db.notification.count({ where: { userId: user.id } })).toBe(1);
  });

  it('answers CONFLICT when the key is reused with other parameters', async () => {
    const user = await createUser('RENTER');
    await runIdempotent(db, { userId: user.id, procedure: 'test.create', key: 'k-2', request: { title: 'a' } }, work(user.id, 'a'));
    const reuse = runIdempotent(db, { userId: user.id, procedure: 'test.create', key: 'k-2', request: { title: 'b' } }, work(user.id, 'b'));
    await expect(reuse).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/different parameters/) });
    expect(await db.notification.count({ where: { userId: user.id } })).toBe(1);
  });

  it('scopes keys to the caller and the procedure', async () => {
    const one = await createUser('RENTER');
    const two = await createUser('RENTER');
    const request = { title: 'same' };
    const a = await runIdempotent(db, { userId: one.id, procedure: 'test.create', key: 'shared', request }, work(one.id, 'same'));
    const b = await runIdempotent(db, { userId: two.id, procedure: 'test.create', key: 'shared', request }, work(two.id, 'same'));
    const c = await runIdempotent(db, { userId: one.id, procedure: 'test.other', key: 'shared', request }, work(one.id, 'same'));
    expect([a.replayed, b.replayed, c.replayed]).toEqual([false, false, false]);
    expect(new Set([a.result.id, b.result.id, c.result.id]).size).toBe(3);
  });

  it('does the work once when 30 calls with one key arrive together; the others replay it', async () => {
    const user = await createUser('RENTER');
    const scope = { userId: user.id, procedure: 'test.create', key: 'race', request: { title: 'r' } };
    const results = await Promise.all(Array.from({ length: 30 }, () => runIdempotent(db, scope, work(user.id, 'r'))));
    expect(results.filter((r) => !r.replayed)).toHaveLength(1);
    expect(new Set(results.map((r) => r.result.id)).size).toBe(1);
    expect(await db.notification.count({ where: { userId: user.id } })).toBe(1);
  });

  it('leaves the key unused when the work fails, so a corrected request can use it', async () => {
    const user = await createUser('RENTER');
    const scope = { userId: user.id, procedure: 'test.create', key: 'k-3', request: { title: 'a' } };
    await expect(
      runIdempotent(db, scope, async () => {
        throw new DomainError('CONFLICT', 'refused');
      }),
    ).rejects.toThrow('refused');
    expect(await db.idempotencyRecord.count({ where: { userId: user.id } })).toBe(0);
    expect((await runIdempotent(db, scope, work(user.id, 'a'))).replayed).toBe(false);
  });

  it('treats a key older than 24 hours as a new request', async () => {
    const user = await createUser('RENTER');
    const scope = { userId: user.id, procedure: 'test.create', key: 'k-4', request: { title: 'a' } };
    const first = await runIdempotent(db, scope, work(user.id, 'a'));
    await db.idempotencyRecord.updateMany({ where: { userId: user.id }, data: { createdAt: new Date(Date.now() - 25 * 3600_000), expiresAt: new Date(Date.now() - 3600_000) } });
    const later = await runIdempotent(db, { ...scope, request: { title: 'b' } }, work(user.id, 'b'));
    expect(later.replayed).toBe(false);
    expect(later.result.id).not.toBe(first.result.id);
    expect(await db.notification.count({ where: { userId: user.id } })).toBe(2);
  });
});
