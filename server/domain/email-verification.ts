// Proof that a person reads the mailbox of their account's email: one-time links mailed to
// the address (a lease invitation, or a verification mail the person asks for), stored only
// as SHA-256 hashes, expiring, usable once, and only by a signed-in account with that same
// email. Following one sets User.emailVerifiedAt; lease invitations to an address are shown
// to, and acceptable by, a renter of that address only once it is verified (leases.ts).
import { createHash, randomBytes } from 'node:crypto';
import type { Tx } from '@/server/db';
import { publicUrl } from '@/server/env';
import type { EmailTokenPurpose } from '@/server/generated/prisma/enums';
import { verifyEmailMail } from '@/server/mail/templates';
import type { Actor } from './actor';
import { badRequest, conflict, DomainError, notFound } from './errors';
import { queueEmails } from './mail';
import { hit } from './rate-limit';

export const INVITATION_TTL_MS = 14 * 24 * 3_600_000;
export const VERIFICATION_TTL_MS = 24 * 3_600_000;
/** Verification mails one account may ask for per hour. */
export const VERIFICATION_MAILS_PER_HOUR = 5;

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

/** The page that consumes a token (app/verify-email). */
export const verificationLink = (token: string) => publicUrl(`/verify-email?${new URLSearchParams({ token })}`);

/** Creates a one-time token for `email`; returns it in clear (only its hash is stored) with its expiry. */
export async function issueEmailToken(
  tx: Tx,
  input: { purpose: EmailTokenPurpose; email: string; leaseId?: string; ttlMs: number },
): Promise<{ token: string; expiresAt: Date }> {
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(Date.now() + input.ttlMs);
  await tx.emailToken.create({ data: { purpose: input.purpose, email: input.email, leaseId: input.leaseId ?? null, tokenHash: sha256(token), expiresAt } });
  return { token, expiresAt };
}

/** The account's email status, for the portal (me.get carries it too). */
export async function emailStatus(tx: Tx, actor: Actor): Promise<{ email: string; verified: boolean }> {
  const user = await tx.user.findUnique({ where: { id: actor.id }, select: { email: true, emailVerifiedAt: true } });
  if (!user) throw new DomainError('UNAUTHORIZED', 'Your session has ended; sign in again');
  return { email: user.email, verified: user.emailVerifiedAt !== null };
}

/** Mails a verification link to the account's own address (at most VERIFICATION_MAILS_PER_HOUR an hour). */
export async function sendVerificationEmail(tx: Tx, actor: Actor): Promise<{ sent: boolean; alreadyVerified: boolean }> {
  const user = await tx.user.findUnique({ where: { id: actor.id }, select: { id: true, name: true, email: true, emailVerifiedAt: true } });
  if (!user) throw new DomainError('UNAUTHORIZED', 'Your session has ended; sign in again');
  if (user.emailVerifiedAt) return { sent: false, alreadyVerified: true };
  await hit(tx, { key: `verify-email:${user.id}`, max: VERIFICATION_MAILS_PER_HOUR, windowMs: 60 * 60_000 });
  const { token, expiresAt } = await issueEmailToken(tx, { purpose: 'VERIFY_EMAIL', email: user.email, ttlMs: VERIFICATION_TTL_MS });
  await queueEmails(tx, [{ ...verifyEmailMail({ name: user.name, url: verificationLink(token), expiresAt }), to: user.email, kind: 'email.verification', userId: user.id }]);
  return { sent: true, alreadyVerified: false };
}

/**
 * Consumes a link: it must exist, be unused and unexpired, and have been mailed to this
 * account's email. Marks the email verified. Returns the lease an invitation link was for.
 */
export async function verifyEmail(tx: Tx, actor: Actor, input: { token: string }): Promise<{ email: string; verified: true; leaseId: string | null }> {
  const row = await tx.emailToken.findUnique({ where: { tokenHash: sha256(input.token) } });
  if (!row) throw notFound('Link');
  const user = await tx.user.findUnique({ where: { id: actor.id }, select: { email: true, emailVerifiedAt: true } });
  if (!user) throw new DomainError('UNAUTHORIZED', 'Your session has ended; sign in again');
  if (row.email !== user.email) throw new DomainError('FORBIDDEN', 'This link was sent to another email address; sign in with the account of that address');
  if (row.usedAt) throw conflict('This link was already used; if that was you, your address is confirmed');
  if (row.expiresAt.getTime() <= Date.now()) throw badRequest('This link has expired; send yourself a new verification email from your dashboard');
  const { count } = await tx.emailToken.updateMany({ where: { id: row.id, usedAt: null }, data: { usedAt: new Date() } });
  if (!count) throw conflict('This link was already used; if that was you, your address is confirmed');
  if (!user.emailVerifiedAt) await tx.user.update({ where: { id: actor.id }, data: { emailVerifiedAt: new Date() } });
  return { email: user.email, verified: true, leaseId: row.leaseId };
}
