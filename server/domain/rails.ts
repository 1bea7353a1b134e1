// The payment rails: one table of names, limits, fees, finality and the cut-offs in words.
// Pure data (no server imports) so the pay-rent form shows the same numbers the server
// charges. Every time (submission, settlement, return window) comes from the banking calendar
// (calendar.ts `railSchedule`), never from this table.
import type { Rail } from '@/server/generated/prisma/enums';

export interface RailInfo {
  rail: Rail;
  name: string;
  /** Largest single payment, in cents. */
  limitCents: number;
  /** What the renter pays for the rail, on top of the rent, in cents. */
  feeCents: number;
  /** Final once settled (RTP, wire); ACH can be returned after it settles (see calendar.ts `returnDeadline`). */
  final: boolean;
  /** What a person should know about timing, in one sentence (the rules of calendar.ts `railSchedule`). */
  cutoff: string;
}

/**
 * The most one payment can carry, in cents: Payment.amountCents (and a ledger entry's) is a
 * 4-byte integer, at most 2,147,483,647 cents ($21,474,836.47). Every rail's limit is at or
 * below this ($20,000,000), so an amount a rail accepts always fits.
 */
export const MAX_PAYMENT_CENTS = 20_000_000_00;

export const RAILS: Record<Rail, RailInfo> = {
  RTP: {
    rail: 'RTP',
    name: 'Instant (RTP)',
    limitCents: 10_000_000_00,
    feeCents: 1_50,
    final: true,
    cutoff: 'Real time, 24/7/365, holidays included; settles in seconds. Final once sent.',
  },
  WIRE: {
    rail: 'WIRE',
    name: 'Wire',
    limitCents: MAX_PAYMENT_CENTS,
    feeCents: 15_00,
    final: true,
    cutoff: 'Settles within minutes when sent before 6:00 p.m. ET on a banking day; otherwise at the start of the next banking day. Final once sent.',
  },
  SAME_DAY_ACH: {
    rail: 'SAME_DAY_ACH',
    name: 'Same-day ACH',
    limitCents: 1_000_000_00,
    feeCents: 1_00,
    final: false,
    cutoff:
      'Batches close 10:30 a.m., 2:45 p.m. and 4:45 p.m. ET on banking days and settle 1:00, 5:00 and 6:00 p.m. ET; later, the next banking day. Returnable until the end of the 2nd banking day after it settles.',
  },
  STANDARD_ACH: {
    rail: 'STANDARD_ACH',
    name: 'Standard ACH',
    limitCents: 1_000_000_00,
    feeCents: 0,
    final: false,
    cutoff: 'Submitted by 5:00 p.m. ET on a banking day, it settles 8:30 a.m. ET the next banking day. Returnable until the end of the 2nd banking day after it settles.',
  },
};

/** What one payment moves, in cents: the renter pays `totalCents`, the landlord receives `landlordReceivesCents`. */
export interface PaymentSplit {
  rentCents: number;
  /** Late fee charged and not waived (0 when none); it goes to the landlord with the rent. */
  lateFeeCents: number;
  /** The rail's fee, paid by the renter on top (RAILS[rail].feeCents); the landlord does not receive it. */
  feeCents: number;
  /** What leaves the renter's account: rent + late fee + rail fee. */
  totalCents: number;
  /** What reaches the landlord's payout account: rent + late fee (the payment's amountCents). */
  landlordReceivesCents: number;
}

/** The one place a payment's money is split into rent, late fee, rail fee, total and what the landlord receives. */
export function paymentSplit(rentCents: number, lateFeeCents: number, feeCents: number): PaymentSplit {
  const landlordReceivesCents = rentCents + lateFeeCents;
  return { rentCents, lateFeeCents, feeCents, totalCents: landlordReceivesCents + feeCents, landlordReceivesCents };
}

/**
 * Where a payment's money stands after settlement, the one rule for the payment page, the API
 * and the as-of view. `final`: it stays with the landlord — RTP and wire once settled, ACH once
 * its return window passed (`finalAt` set) — unless it came back after all: an R10
 * (unauthorized) may arrive up to 60 calendar days after settlement, and a RETURNED payment is
 * never final (`finalAt` still says when it had become final). `returnable`: settled ACH still
 * inside its window.
 */
export function settlementStanding(payment: { status: string; finalAt: Date | string | null; returnableUntil: Date | string | null }): { final: boolean; returnable: boolean } {
  return {
    final: payment.finalAt !== null && payment.status !== 'RETURNED',
    returnable: payment.status === 'COMPLETED' && payment.finalAt === null && payment.returnableUntil !== null,
  };
}
