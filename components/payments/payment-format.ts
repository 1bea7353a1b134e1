// How payments read in the portal: durations, accounts, rails' terms. Pure functions shared
// by the pay-rent form, the payment page, lists and receipts.
import { formatCents, formatEastern, formatEasternBy } from '@/components/format';
import { maskedNumber } from '@/components/bank-accounts/masked-number';
import type { Rail } from '@/server/generated/prisma/enums';
import { RAILS } from '@/server/domain/rails';
import { isInFlight } from './payment-routes';

/** "under a second", "about 2 seconds", "about 3 minutes", "about 2 days". */
export function durationText(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (ms < 1000) return 'under a second';
  if (seconds < 90) return `about ${seconds} second${seconds === 1 ? '' : 's'}`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 90) return `about ${minutes} minutes`;
  const hours = Math.round(minutes / 60);
  if (hours < 36) return `about ${hours} hours`;
  return `about ${Math.round(hours / 24)} days`;
}

/** "Everyday checking · Chase ••••0000"; without the bank where space is short (a select on a phone). */
export function accountText(account: { nickname: string; bankName?: string; last4: string }): string {
  return [account.nickname, account.bankName].filter(Boolean).join(' · ') + ` ${maskedNumber(account.last4)}`;
}

export function feeText(feeCents: number): string {
  return feeCents === 0 ? 'No fee' : `${formatCents(feeCents)} fee`;
}

/** Whether the money can still come back, as the renter and landlord need to know it. */
export function finalityText(rail: { final: boolean }): string {
  return rail.final ? 'Final once sent' : 'Can be returned until the end of the 2nd banking day after it settles';
}

/** "arrives Mon, Dec 28 by 8:30 AM ET": a quote's expected settlement, in New York time. */
export function arrivalText(quote: { expectedSettlementAt: Date | string }): string {
  return `arrives ${formatEasternBy(quote.expectedSettlementAt)}`;
}

/** "Demo clock: 1 calendar day plays in 30 s"; null when the deployment runs in real time. */
export function demoClockText(clock: { secondsPerDay: number } | null | undefined): string | null {
  return clock ? `Demo clock: 1 calendar day plays in ${clock.secondsPerDay} s. Times shown are banking-calendar times.` : null;
}

/** Finality in words: RTP and wire are final when settled; ACH is returnable until its window ends, then final. */
export function returnText(payment: {
  final: boolean;
  rail: Rail;
  railName: string;
  status: string;
  returnableUntil: Date | null;
  failureCode?: string | null;
}): string {
  if (payment.status === 'FAILED' || payment.status === 'CANCELLED') return 'Nothing to return: no money moved.';
  if (payment.status === 'RETURNED') return `It was returned by the sending bank${payment.failureCode ? ` (${payment.failureCode})` : ''}.`;
  if (RAILS[payment.rail].final) return `No: ${payment.railName} payments are final once sent.`;
  if (payment.final) return `No longer: final since its return window ended${payment.returnableUntil ? ` ${formatEastern(payment.returnableUntil)}` : ''}.`;
  if (payment.returnableUntil) return `Yes, until ${formatEastern(payment.returnableUntil)} (ACH).`;
  return 'Yes, until the end of the 2nd banking day after it settles (ACH).';
}

/** 0–100: how far from creation to the expected settlement; never full before the bank answers. */
export function progressPercent(payment: { status: string; createdAt: Date; expectedSettlementAt: Date }, now: number): number {
  if (payment.status === 'COMPLETED') return 100;
  if (!isInFlight(payment.status)) return 0;
  const start = new Date(payment.createdAt).getTime();
  const end = new Date(payment.expectedSettlementAt).getTime();
  if (end <= start) return 95;
  return Math.round(Math.min(0.95, Math.max(0, (now - start) / (end - start))) * 100);
}

/** What a payment pays, for people: "November 2026 rent" or "early payoff of November 2026 rent – April 2027 rent" (the server's labels, installmentLabel). */
export function paysText(payment: { kind: string; installment: { label: string }; payoffInstallments: { label: string }[] }): string {
  if (payment.kind !== 'PAYOFF') return payment.installment.label;
  const labels = payment.payoffInstallments.map((part) => part.label);
  return labels.length > 1 ? `early payoff of ${labels[0]} – ${labels.at(-1)}` : `early payoff of ${labels[0] ?? payment.installment.label}`;
}
