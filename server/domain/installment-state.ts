// The one rule for what an installment is now and whether the renter can pay it, and why not.
// Every reader asks it — the lease page (getLease, its as-of view), the renter dashboard,
// payment.create's refusal, autopay, reminders and overdue notices — instead of deciding
// again from the stored status. The stored InstallmentStatus says only what its last settled
// payment did (DUE, PAID, FAILED, WAIVED); a FAILED installment whose retry is on its way is In
// flight, not Failed. Pure (no server imports), so the portal shows the same words.
import type { Prisma } from '@/server/generated/prisma/client';
import type { InstallmentStatus, LeaseStatus, PaymentKind, PaymentStatus, Rail } from '@/server/generated/prisma/enums';
import { failureText } from './failure-codes';
import { formatCents } from './money';
import { RAILS } from './rails';
import { addDays, dayFromDate, isProratedDueDate } from './schedule';

/**
 * Upcoming (before its due date) · Due (from its due date to the end of the grace period) ·
 * Overdue (after the grace period on an ACTIVE lease, the day late fees and overdue notices start) · In flight (a
 * payment or an early payoff covering it is PENDING or PROCESSING) · Paid · Returned (its last
 * payment settled and came back) · Waived (the stored WAIVED: a cancelled lease's schedule).
 */
export const INSTALLMENT_STATES = ['UPCOMING', 'DUE', 'OVERDUE', 'IN_FLIGHT', 'PAID', 'RETURNED', 'WAIVED'] as const;
export type InstallmentState = (typeof INSTALLMENT_STATES)[number];

/** A stable code beside the sentence, for API clients: why the installment cannot be paid now. */
export const NOT_PAYABLE_CODES = ['LEASE_NOT_ACTIVE', 'INSTALLMENT_PAID', 'INSTALLMENT_WAIVED', 'PAYMENT_IN_FLIGHT'] as const;
export type NotPayableCode = (typeof NOT_PAYABLE_CODES)[number];

/** The latest payment covering the installment: its own, or an early payoff that includes it. */
export interface CoveringPayment {
  /** The payment's id (for a link to it); absent where only the rule's facts were read. */
  id?: string;
  kind: PaymentKind;
  status: PaymentStatus;
  rail: Rail;
  /** What the landlord receives (rent and late fee; for a payoff, every installment it covers), in cents. */
  amountCents: number;
  createdAt: Date | string;
  failureCode: string | null;
}

/** What a query selects of each payment to decide (installment's `payments` and `payoffs.payment`, newest first). */
export const coveringSelect = { id: true, kind: true, status: true, rail: true, amountCents: true, createdAt: true, failureCode: true } satisfies Prisma.PaymentSelect;

/** The newer of an installment's own latest payment and the latest early payoff covering it. */
export function latestCovering(own: CoveringPayment | undefined, payoff: CoveringPayment | undefined): CoveringPayment | null {
  if (!own || !payoff) return own ?? payoff ?? null;
  return new Date(own.createdAt) >= new Date(payoff.createdAt) ? own : payoff;
}

export interface InstallmentFacts {
  status: InstallmentStatus;
  /** YYYY-MM-DD, a calendar date in America/New_York. */
  dueDate: string;
  /** `dueDay` names the prorated first installment in the refusal (installmentLabel). */
  lease: { status: LeaseStatus; graceDays: number; dueDay: number };
  /** The most recent payment covering it (by creation), or null when none was ever made. */
  latestPayment: CoveringPayment | null;
  /** Today in America/New_York, YYYY-MM-DD (ledger.ts businessDay). */
  today: string;
}

export interface InstallmentVerdict {
  state: InstallmentState;
  /** The renter may start a payment of it now (payment.create accepts it, limits aside). */
  canPay: boolean;
  /** When it cannot be paid: why, in words. */
  reason: string | null;
  reasonCode: NotPayableCode | null;
  /** Past its grace period, unpaid and nothing on its way: what late fees and overdue notices go by. */
  overdue: boolean;
  /** The last payment failed or came back and nothing replaced it yet: "Insufficient funds (R01)". */
  lastFailure: string | null;
}

const IN_FLIGHT: readonly PaymentStatus[] = ['PENDING', 'PROCESSING'];

// Made once: `toLocaleDateString` with options builds a new Intl.DateTimeFormat on every call,
// which was the largest CPU share of lease.byId (a 60-installment lease labels each one).
const startedFormat = new Intl.DateTimeFormat('en-US', { timeZone: 'America/New_York', month: 'short', day: 'numeric' });
const monthFormat = new Intl.DateTimeFormat('en-US', { timeZone: 'UTC', month: 'long', year: 'numeric' });

/** "Nov 3": the day a payment started, as New York reads it. */
function startedText(at: Date | string): string {
  return startedFormat.format(new Date(at));
}

/**
 * "November 2026 rent": an installment named by the month of its due date (a calendar date), in
 * every page, mail, notice, event reason and ledger line. A lease's prorated first installment
 * (isProratedDueDate: due on the start date, not on the lease's due day) reads "November 2026
 * rent (prorated)", so no two installments of a lease share a name: full installments fall due
 * one a month, and there is at most one prorated one.
 */
export function installmentLabel(installment: { dueDate: string | Date }, lease: { dueDay: number }): string {
  const dueDate = typeof installment.dueDate === 'string' ? installment.dueDate : dayFromDate(installment.dueDate);
  const [year, month] = dueDate.split('-').map(Number);
  const name = monthFormat.format(new Date(Date.UTC(year!, month! - 1, 1)));
  return isProratedDueDate(dueDate, lease.dueDay) ? `${name} rent (prorated)` : `${name} rent`;
}

/** "A payment of $1,500.00 is on its way (Standard ACH, started Nov 3)". */
export function onItsWayText(payment: Pick<CoveringPayment, 'kind' | 'rail' | 'amountCents' | 'createdAt'>): string {
  const what = payment.kind === 'PAYOFF' ? 'An early payoff' : 'A payment';
  return `${what} of ${formatCents(payment.amountCents)} is on its way (${RAILS[payment.rail].name}, started ${startedText(payment.createdAt)})`;
}

const leaseWords: Record<LeaseStatus, string> = {
  PENDING: 'Rent can be paid once the lease is accepted',
  ACTIVE: '',
  COMPLETED: 'This lease is completed; there is nothing more to pay',
  DEFAULTED: 'This lease defaulted; rent can no longer be paid here',
  CANCELLED: 'This lease was cancelled; there is nothing to pay',
  DECLINED: 'The renter declined this lease; there is nothing to pay',
};

/**
 * Decides an installment's one state, whether it can be paid, and why not. Overdue follows the
 * late-fee rule (ledger.ts chargeLateFee): unpaid after its due date plus the lease's grace
 * days, in America/New_York, with nothing on its way, on an ACTIVE lease.
 */
export function decideInstallment(facts: InstallmentFacts): InstallmentVerdict {
  const { status, dueDate, lease, latestPayment, today } = facts;
  const inFlight = latestPayment !== null && IN_FLIGHT.includes(latestPayment.status);
  const unpaid = status === 'DUE' || status === 'FAILED';
  const failedLast = unpaid && !inFlight && latestPayment !== null && (latestPayment.status === 'FAILED' || latestPayment.status === 'RETURNED');
  const lastFailure = failedLast ? failureText(latestPayment.failureCode) : null;
  const overdue = unpaid && !inFlight && lease.status === 'ACTIVE' && today > addDays(dueDate, lease.graceDays);

  const state: InstallmentState =
    status === 'WAIVED'
      ? 'WAIVED'
      : status === 'PAID'
        ? 'PAID'
        : inFlight
          ? 'IN_FLIGHT'
          : latestPayment?.status === 'RETURNED'
            ? 'RETURNED'
            : overdue
              ? 'OVERDUE'
              : today < dueDate
                ? 'UPCOMING'
                : 'DUE';

  const refusal = ((): [NotPayableCode, string] | null => {
    if (state === 'PAID') return ['INSTALLMENT_PAID', `${installmentLabel(facts, lease)} is paid`];
    if (state === 'WAIVED') return ['INSTALLMENT_WAIVED', `${installmentLabel(facts, lease)} was waived; there is nothing to pay`];
    if (lease.status !== 'ACTIVE') return ['LEASE_NOT_ACTIVE', leaseWords[lease.status]];
    if (state === 'IN_FLIGHT') return ['PAYMENT_IN_FLIGHT', onItsWayText(latestPayment!)];
    return null;
  })();
  return { state, canPay: refusal === null, reason: refusal?.[1] ?? null, reasonCode: refusal?.[0] ?? null, overdue, lastFailure };
}

/** The earliest installment the renter can pay now ("Pay next"), or null. */
export function payNext<T extends { number: number; canPay: boolean }>(installments: T[]): T | null {
  return installments.filter((installment) => installment.canPay).sort((a, b) => a.number - b.number)[0] ?? null;
}
