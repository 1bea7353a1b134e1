// Reads the embedded catcher's mail for /dev/mail (operators only; the pages check).
import 'server-only';
import { db } from '@/server/db';

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
