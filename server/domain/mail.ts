// Outgoing mail as the domain sees it: a row in "EmailMessage" written in the same transaction
// as the change it reports, sent later by the `send-email` Inngest function (so a request
// never waits for SMTP, and a rolled-back change never mails anyone). Also each person's
// choice of which notices come by email (every kind, unless they opt out).
import type { Tx } from '@/server/db';
import { insertRows, type ColumnTypes } from '@/server/insert-rows';
import type { Actor } from './actor';
import { badRequest, DomainError } from './errors';
import {
  autopayFailedMail,
  autopayNoticeMail,
  installmentOverdueMail,
  leaseCompletedMail,
  leaseDeclinedMail,
  leaseDefaultedMail,
  paymentCompletedMail,
  overdueDigestMail,
  paymentFailedMail,
  rentReminderMail,
  webhookDisabledMail,
  type NoticeContent,
  type RenderedMail,
} from '@/server/mail/templates';

/**
 * Notices that can also come by email: kind → what Settings calls it, its template, and whether
 * it comes by email unless the person opts out (`defaultEmail` true, stored in emailOptOuts) or
 * only if they opt in (false, stored in emailOptIns).
 */
export const NOTICE_KINDS = {
  'payment.completed': { label: 'Rent received', template: paymentCompletedMail, defaultEmail: true },
  'payment.failed': { label: 'A payment failed', template: paymentFailedMail, defaultEmail: true },
  'lease.completed': { label: 'A lease is paid in full', template: leaseCompletedMail, defaultEmail: true },
  'lease.defaulted': { label: 'A lease defaulted', template: leaseDefaultedMail, defaultEmail: true },
  'lease.declined': { label: 'A renter declined a lease (landlords)', template: leaseDeclinedMail, defaultEmail: true },
  'webhook.disabled': { label: 'A webhook endpoint was disabled', template: webhookDisabledMail, defaultEmail: true },
  'autopay.notice': { label: 'Autopay will pay soon (3 days before)', template: autopayNoticeMail, defaultEmail: true },
  'autopay.failed': { label: 'An autopay payment failed or autopay stopped', template: autopayFailedMail, defaultEmail: true },
  'rent.reminder': { label: 'Rent is due soon (renters without autopay)', template: rentReminderMail, defaultEmail: true },
  'installment.overdue': { label: 'Rent is overdue', template: installmentOverdueMail, defaultEmail: true },
  'overdue.digest': { label: 'Daily digest of overdue rent (landlords)', template: overdueDigestMail, defaultEmail: false },
} as const satisfies Record<string, { label: string; template: (notice: NoticeContent) => RenderedMail; defaultEmail: boolean }>;

export type NoticeKind = keyof typeof NOTICE_KINDS;
export const NOTICE_KIND_NAMES = Object.keys(NOTICE_KINDS) as NoticeKind[];

export const isNoticeKind = (kind: string): kind is NoticeKind => Object.hasOwn(NOTICE_KINDS, kind);

export interface QueuedMail extends RenderedMail {
  to: string;
  /** A notice kind, or 'lease.invitation' / 'email.verification'. */
  kind: string;
  userId?: string | null;
}

const EMAIL_COLUMNS: ColumnTypes<Pick<QueuedMail, 'userId' | 'to' | 'kind' | 'subject' | 'text' | 'html'>> = { userId: 'uuid', to: 'text', kind: 'text', subject: 'text', text: 'text', html: 'text' };

/** Queues mail in the caller's transaction; the dispatcher hands it to `send-email` after commit. */
export async function queueEmails(tx: Tx, mails: QueuedMail[]): Promise<void> {
  if (!mails.length) return;
  await insertRows(
    tx,
    'EmailMessage',
    EMAIL_COLUMNS,
    mails.map((mail) => ({ userId: mail.userId, to: mail.to, kind: mail.kind, subject: mail.subject.slice(0, 200), text: mail.text, html: mail.html })),
    { computed: { id: 'gen_random_uuid()' } },
  );
}

/** Notices by email for these users, per their preferences. Called by `notify`. */
export async function queueNoticeEmails(tx: Tx, notices: (NoticeContent & { userId: string; type: string })[]): Promise<void> {
  const mailable = notices.filter((notice) => isNoticeKind(notice.type));
  if (!mailable.length) return;
  const users = await tx.user.findMany({ where: { id: { in: [...new Set(mailable.map((n) => n.userId))] } }, select: { id: true, email: true, emailOptOuts: true, emailOptIns: true } });
  const byId = new Map(users.map((user) => [user.id, user]));
  await queueEmails(
    tx,
    mailable.flatMap((notice) => {
      const user = byId.get(notice.userId);
      if (!user || !wantsEmail(user, notice.type as NoticeKind)) return [];
      return [{ ...NOTICE_KINDS[notice.type as NoticeKind].template(notice), to: user.email, kind: notice.type, userId: user.id }];
    }),
  );
}

/** Whether this person gets notices of `kind` by email (its default, unless they chose otherwise). */
export function wantsEmail(user: { emailOptOuts: string[]; emailOptIns: string[] }, kind: NoticeKind): boolean {
  return NOTICE_KINDS[kind].defaultEmail ? !user.emailOptOuts.includes(kind) : user.emailOptIns.includes(kind);
}

export interface EmailPreference {
  kind: NoticeKind;
  label: string;
  email: boolean;
}

/** Every notice kind with whether this person gets it by email. */
export async function getEmailPreferences(tx: Tx, actor: Actor): Promise<EmailPreference[]> {
  const user = await tx.user.findUnique({ where: { id: actor.id }, select: { emailOptOuts: true, emailOptIns: true } });
  if (!user) throw new DomainError('UNAUTHORIZED', 'Your session has ended; sign in again');
  return NOTICE_KIND_NAMES.map((kind) => ({ kind, label: NOTICE_KINDS[kind].label, email: wantsEmail(user, kind) }));
}

/** Turns email on or off for the given kinds; kinds not named keep their setting. */
export async function setEmailPreferences(tx: Tx, actor: Actor, input: { email: Partial<Record<string, boolean>> }): Promise<EmailPreference[]> {
  // Named by count, not echoed: a made-up kind may be any text, of any number.
  const unknown = Object.keys(input.email).filter((kind) => !isNoticeKind(kind)).length;
  if (unknown) {
    const problem = `${unknown} unknown notice kind${unknown === 1 ? '' : 's'}; the kinds are ${NOTICE_KIND_NAMES.join(', ')}`;
    throw badRequest(`Unknown notice kind (${problem})`, { email: [problem] });
  }
  const current = await getEmailPreferences(tx, actor);
  const wanted = current.map((pref) => ({ kind: pref.kind, email: input.email[pref.kind] ?? pref.email }));
  const optOuts = wanted.filter((pref) => NOTICE_KINDS[pref.kind].defaultEmail && !pref.email).map((pref) => pref.kind);
  const optIns = wanted.filter((pref) => !NOTICE_KINDS[pref.kind].defaultEmail && pref.email).map((pref) => pref.kind);
  await tx.user.update({ where: { id: actor.id }, data: { emailOptOuts: optOuts, emailOptIns: optIns } });
  return getEmailPreferences(tx, actor);
}
