import { describe, expect, it } from 'vitest';
import { db } from '@/server/db';
import { hit, purgeExpiredRateLimits } from './rate-limit';

describe('rate limits', () => {
  it('allows `max` hits per window, then answers TOO_MANY_REQUESTS saying when to come back', async () => {
    const limit = { key: 'test:a', max: 3, windowMs: 60_000 };
    for (let i = 0; i < 3; i++) await hit(db, limit);
    await expect(hit(db, limit)).rejects.toMatchObject({ code: 'TOO_MANY_REQUESTS', message: 'Too many attempts; try again in 1 minute' });
  });

  it('starts a new window once the old one ended, and counts concurrent hits exactly', async () => {
    const limit = { key: 'test:b', max: 20, windowMs: 60_000 };
    const results = await Promise.allSettled(Array.from({ length: 25 }, () => hit(db, limit)));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(20);
    await db.rateLimit.update({ where: { key: 'test:b' }, data: { resetAt: new Date(Date.now() - 1) } });
    await expect(hit(db, limit)).resolves.toBeUndefined();
    expect((await db.rateLimit.findUniqueOrThrow({ where: { key: 'test:b' } })).count).toBe(1);
  });

  it('purges ended windows only', async () => {
    await hit(db, { key: 'test:live', max: 5, windowMs: 60_000 });
    await db.rateLimit.create({ data: { key: 'test:ended', count: 9, resetAt: new Date(Date.now() - 1000) } });
    expect(await purgeExpiredRateLimits(db)).toBeGreaterThanOrEqual(1);
    expect(await db.rateLimit.findUnique({ where: { key: 'test:ended' } })).toBeNull();
    expect(await db.rateLimit.findUnique({ where: { key: 'test:live' } })).not.toBeNull();
  });

  it('answers how many seconds are left in the window with TOO_MANY_REQUESTS (Retry-After)', async () => {
    const limit = { key: 'test:retry-after', max: 1, windowMs: 90_000 };
    await hit(db, limit);
    const error = await hit(db, limit).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'TOO_MANY_REQUESTS', message: 'Too many attempts; try again in 2 minutes' });
    expect((error as { retryAfterSeconds: number }).retryAfterSeconds).toBeGreaterThan(80);
    expect((error as { retryAfterSeconds: number }).retryAfterSeconds).toBeLessThanOrEqual(90);
  });
});
