// Reads the embedded catcher's mail for /dev/mail (operators only; the pages check).
import 'server-only';
import { db, type Db } from '@/server/db';
import { env } from '@/server/env';

export const CAUGHT_PAGE_SIZE = 50;

export function listCaughtMail(input: { to?: string; limit?: number }) {
  return db.caughtMail.findMany({
    where: input.to ? { to: { has: input.to.trim().toLowerCase() } } : {},
    orderBy: { receivedAt: 'desc' },
    take: input.limit ?? CAUGHT_PAGE_SIZE,
    select: { id: true, from: true, to: true, subject: true, receivedAt: true },
  });
}

export function getCaughtMail(id: string) {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return Promise.resolve(null);
  return db.caughtMail.findUnique({ where: { id } });
}

/**
 * Deletes caught mail older than CAUGHT_MAIL_RETENTION_DAYS (their bodies hold one-time links
 * such as verification tokens), at most `limit` rows a call; returns how many. The recovery
 * sweep calls it every minute.
 */
export function purgeCaughtMail(database: Db = db, now = new Date(), limit = 1000): Promise<number> {
  const cutoff = new Date(now.getTime() - env.CAUGHT_MAIL_RETENTION_DAYS * 86_400_000);
  return database.$executeRaw`DELETE FROM "CaughtMail" WHERE id IN (SELECT id FROM "CaughtMail" WHERE "receivedAt" < ${cutoff} LIMIT ${limit})`;
}
