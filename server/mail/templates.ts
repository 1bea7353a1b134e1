// Mail templates: one function per kind of mail, each returning a subject, a plain-text part
// (always) and an HTML part built from the same lines. No template engine: every value goes
// through `escapeHtml`, and a mail is a few paragraphs plus at most one button link.
import { formatDate, formatEastern } from '@/server/domain/date-text';
import { publicUrl } from '@/server/env';

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** Paragraphs, then one call to action (its URL also written out in the text part). */
function layout(subject: string, paragraphs: string[], action?: { label: string; url: string }, footer = 'You can choose which notices come by email in DirectPay → Settings.'): RenderedMail {
  const text = [...paragraphs, ...(action ? [`${action.label}: ${action.url}`] : []), '—', `DirectPay · ${footer}`].join('\n\n') + '\n';
  const html = [
    '<!doctype html><html><body style="font-family:system-ui,sans-serif;color:#0f172a;max-width:560px;margin:0 auto;padding:24px">',
    `<h1 style="font-size:18px">${escapeHtml(subject)}</h1>`,
    ...paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`),
    action ? `<p><a href="${escapeHtml(action.url)}" style="display:inline-block;background:#1d4ed8;color:#fff;padding:10px 16px;border-radius:6px;text-decoration:none">${escapeHtml(action.label)}</a></p>` : '',
    `<p style="color:#64748b;font-size:12px">DirectPay · ${escapeHtml(footer)}</p>`,
    '</body></html>',
  ].join('');
  return { subject, text, html };
}

/** What an in-portal notification carries; notices by email reuse it. */
export interface NoticeContent {
  title: string;
  body: string;
  /** Portal path, e.g. /payments/… */
  link?: string | null;
}

const viewIn = (link: string | null | undefined, label: string) => (link ? { label, url: publicUrl(link) } : undefined);

export const paymentCompletedMail = (n: NoticeContent) => layout(n.title, [n.body], viewIn(n.link, 'View the payment'));
export const paymentFailedMail = (n: NoticeContent) => layout(n.title, [n.body], viewIn(n.link, 'Open the payment'));
export const leaseCompletedMail = (n: NoticeContent) => layout(n.title, [n.body], viewIn(n.link, 'View the lease'));
export const leaseDefaultedMail = (n: NoticeContent) => layout(n.title, [n.body], viewIn(n.link, 'View the lease'));
export const leaseDeclinedMail = (n: NoticeContent) => layout(n.title, [n.body], viewIn(n.link, 'View the lease'));
export const autopayNoticeMail = (n: NoticeContent) => layout(n.title, [n.body], viewIn(n.link, 'Review or skip this payment'));
export const autopayFailedMail = (n: NoticeContent) => layout(n.title, [n.body], viewIn(n.link, 'Open it in DirectPay'));
export const rentReminderMail = (n: NoticeContent) => layout(n.title, [n.body], viewIn(n.link, 'Pay rent'));
export const installmentOverdueMail = (n: NoticeContent) => layout(n.title, [n.body], viewIn(n.link, 'Pay now'));
export const overdueDigestMail = (n: NoticeContent) => layout(n.title, n.body.split('\n'), viewIn(n.link, 'Open your leases'));
export const webhookDisabledMail = (n: NoticeContent) => layout(n.title, [n.body, 'Fix the receiver, then turn the endpoint back on and redeliver what it missed.'], viewIn(n.link, 'Open webhook settings'));

/** The invitation to a lease, mailed to the invited address (which may not have an account yet). */
export function leaseInvitationMail(input: { landlordName: string; propertyName: string; rent: string; /** YYYY-MM-DD. */ startDate: string; url: string; expiresAt: Date }): RenderedMail {
  return layout(
    `${input.landlordName} invites you to a lease at ${input.propertyName}`,
    [
      `${input.landlordName} offers you a lease at ${input.propertyName}: ${input.rent} a month from ${formatDate(input.startDate)}.`,
      'Follow the link to review and accept it. Sign in, or sign up as a renter with this email address: the link confirms the address is yours.',
      `The link works once, until ${formatEastern(input.expiresAt)}.`,
    ],
    { label: 'Review the lease', url: input.url },
    'You receive this because a landlord entered your address. If you did not expect it, ignore it.',
  );
}

/** The renter asked to confirm their address. */
export function verifyEmailMail(input: { name: string; url: string; expiresAt: Date }): RenderedMail {
  return layout(
    'Confirm your email address',
    [`Hello ${input.name}, confirm that this address is yours to see the lease invitations sent to it.`, `The link works once, until ${formatEastern(input.expiresAt)}.`],
    { label: 'Confirm my address', url: input.url },
    'If you did not ask for this, ignore it.',
  );
}
