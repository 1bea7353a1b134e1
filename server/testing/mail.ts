// Reading queued mail in tests, as a person reads their inbox: the newest mail of a kind to an
// address, and the one-time link token in it.
import { db } from '@/server/db';
import type { ApiClient } from './api';

export async function latestMailTo(to: string, kind?: string) {
  return db.emailMessage.findFirst({ where: { to, ...(kind ? { kind } : {}) }, orderBy: { createdAt: 'desc' } });
}

/** The token of the /verify-email link in a mail's text. */
export function linkToken(text: string | null | undefined): string {
  const match = /\/verify-email\?token=([\w-]+)/.exec(text ?? '');
  if (!match) throw new Error(`no verification link in: ${text}`);
  return match[1]!;
}

/** The invited renter follows the newest invitation link mailed to them, then accepts the lease. */
export async function acceptInvitation(renterApi: ApiClient, renterEmail: string, leaseId: string) {
  const mail = await latestMailTo(renterEmail, 'lease.invitation');
  await renterApi.me.verifyEmail.mutate({ token: linkToken(mail?.text) });
  return renterApi.lease.accept.mutate({ id: leaseId });
}
