// Sends queued mail ("EmailMessage" rows) over SMTP with nodemailer, to SMTP_URL. Used only
// by the `send-email` Inngest function, which retries what throws here.
import nodemailer, { type Transporter } from 'nodemailer';
import type { Db } from '@/server/db';
import { env } from '@/server/env';

let transport: { url: string; transporter: Transporter } | undefined;

/**
 * SMTP_URL with nodemailer's connection pool on unless the URL says otherwise (`?pool=false`):
 * each mail then reuses an open SMTP connection (up to 5, 100 mails each) instead of opening
 * and greeting a new one. One connection per mail cost a `send-email` call about 210 ms (p50)
 * with the catcher on this machine (BENCHMARKS.md, "Prepared statements, pooled SMTP").
 */
export function pooledSmtpUrl(url: string): string {
  const pooled = new URL(url);
  if (!pooled.searchParams.has('pool')) pooled.searchParams.set('pool', 'true');
  return pooled.toString();
}

function transporter(): Transporter {
  const url = env.SMTP_URL;
  if (!url) throw new Error('SMTP_URL is not set: `npm run dev`/`npm start` start a mail catcher and set it; elsewhere point it at your SMTP service');
  if (transport?.url !== url) {
    transport?.transporter.close();
    transport = { url, transporter: nodemailer.createTransport(pooledSmtpUrl(url)) };
  }
  return transport.transporter;
}

export type SendOutcome = { status: 'sent'; messageId: string } | { status: 'already-sent' | 'missing' };

/**
 * Sends one queued mail and marks it SENT, erasing its bodies (they may hold one-time links).
 * At least once: a crash between the SMTP answer and the update sends it again on retry.
 * Throws on an SMTP failure after recording it, so the caller's retry policy applies.
 */
export async function sendQueuedEmail(db: Db, emailId: string): Promise<SendOutcome> {
  const mail = await db.emailMessage.findUnique({ where: { id: emailId } });
  if (!mail) return { status: 'missing' };
  if (mail.status !== 'QUEUED' || mail.text === null) return { status: 'already-sent' };
  // This run is alive: the dispatcher must not count the mail as lost (outbox.ts LOST_AFTER_MS).
  await db.emailMessage.update({ where: { id: mail.id }, data: { dispatchedAt: new Date() } });
  try {
    const info = await transporter().sendMail({ from: env.MAIL_FROM, to: mail.to, subject: mail.subject, text: mail.text, html: mail.html ?? undefined });
    await db.emailMessage.update({ where: { id: mail.id }, data: { status: 'SENT', sentAt: new Date(), attempts: { increment: 1 }, text: null, html: null, lastError: null } });
    return { status: 'sent', messageId: info.messageId };
  } catch (error) {
    await db.emailMessage.update({ where: { id: mail.id }, data: { attempts: { increment: 1 }, lastError: String(error instanceof Error ? error.message : error).slice(0, 500) } });
    throw error;
  }
}

/** After every retry failed: the mail is FAILED (kept, with its last error, for operators). */
export async function markEmailFailed(db: Db, emailId: string): Promise<void> {
  await db.emailMessage.updateMany({ where: { id: emailId, status: 'QUEUED' }, data: { status: 'FAILED' } });
}
