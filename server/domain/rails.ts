// The payment rails: one table of names, delays, limits, fees and return windows. Pure data
// and arithmetic (no server imports) so the pay-rent form shows the same numbers the server
// charges. Demo delays are multiplied by SETTLEMENT_TIME_SCALE on the server.
import type { Rail } from '@/server/generated/prisma/enums';

export interface RailInfo {
  rail: Rail;
  name: string;
  /** Wait before the payment is submitted to the rail (the next ACH batch window); cancellable until then. */
  submissionDelayMs: number;
  /** Time from submission to settlement. */
  settlementDelayMs: number;
  /** Largest single payment, in cents. */
  limitCents: number;
  /** What the renter pays for the rail, on top of the rent, in cents. */
  feeCents: number;
  /** How long after settlement the payment can still be returned (ACH); null when final. */
  returnWindowMs: number | null;
  /** What a person should know about timing, in one sentence. */
  cutoff: string;
}

const SECOND = 1000;
const DAY = 24 * 60 * 60 * SECOND;

export const RAILS: Record<Rail, RailInfo> = {
  RTP: {
    rail: 'RTP',
    name: 'Instant (RTP)',
    submissionDelayMs: 0,
    settlementDelayMs: 1.5 * SECOND,
    limitCents: 10_000_000_00,
    feeCents: 1_50,
    returnWindowMs: null,
    cutoff: 'Real time, 24/7/365. Final once sent.',
  },
  WIRE: {
    rail: 'WIRE',
    name: 'Wire',
    submissionDelayMs: 0,
    settlementDelayMs: 30 * SECOND,
    limitCents: 100_000_000_00,
    feeCents: 15_00,
    returnWindowMs: null,
    cutoff: 'Same business day when sent before 5:00 p.m. ET. Final once sent.',
  },
  SAME_DAY_ACH: {
    rail: 'SAME_DAY_ACH',
    name: 'Same-day ACH',
    submissionDelayMs: 10 * SECOND,
    settlementDelayMs: 60 * SECOND,
    limitCents: 1_000_000_00,
    feeCents: 1_00,
    returnWindowMs: 2 * DAY,
    cutoff: 'Same business day when submitted before the 2:45 p.m. ET cutoff. Can be returned for 2 banking days.',
  },
  STANDARD_ACH: {
    rail: 'STANDARD_ACH',
    name: 'Standard ACH',
    submissionDelayMs: 20 * SECOND,
    settlementDelayMs: 3 * 60 * SECOND,
    limitCents: 1_000_000_00,
    feeCents: 0,
    returnWindowMs: 2 * DAY,
    cutoff: 'Next business day. Can be returned for 2 banking days.',
  },
};

export interface PaymentTimeline {
  /** When the payment leaves PENDING for its rail. */
  submitAt: Date;
  expectedSettlementAt: Date;
}

/** When a payment created at `now` is submitted and expected to settle, at the given time scale. */
export function paymentTimeline(rail: Rail, now: Date, timeScale: number): PaymentTimeline {
  const info = RAILS[rail];
  const submitAt = new Date(now.getTime() + Math.round(info.submissionDelayMs * timeScale));
  return { submitAt, expectedSettlementAt: new Date(submitAt.getTime() + Math.round(info.settlementDelayMs * timeScale)) };
}

/** Until when a payment settled at `settledAt` can be returned; null for final rails. Return windows are real time, not scaled. */
export function returnableUntil(rail: Rail, settledAt: Date): Date | null {
  const window = RAILS[rail].returnWindowMs;
  return window === null ? null : new Date(settledAt.getTime() + window);
}
