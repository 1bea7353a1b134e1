// The bank simulator: decides how a submitted payment ends. Real outcomes are random with
// BANK_SUCCESS_RATE, failing with realistic return codes for the rail. Like a bank's test
// mode, the sending account's last four digits force an outcome, so tests and demos can make
// any payment fail on purpose:
//   …0000 always settles · …0001 R01 / rejection for insufficient funds · …0002 account closed
//   …0003 no account / unable to locate · …0029 R29 not authorized (ACH)
//   …0408 the bank times out once, then settles (a transient error Inngest retries).
//   …0011 settles, then is returned R01 (insufficient funds) about one banking day later (ACH)
//   …0010 settles, then is returned R10 (unauthorized) about ten banking days later (ACH)
// For RTP and wire, …0011 and …0010 simply settle: those rails are final.
import type { Rail } from '@/server/generated/prisma/enums';
import { isAchRail, type ReturnCode } from './calendar';
import { ACH_RETURN_CODES, INSTANT_REJECTION_CODES } from './failure-codes';

/** A return the simulated bank will send after settling: `code`, `afterBankingDays` banking days after the settlement date. */
export interface LaterReturn {
  code: ReturnCode;
  afterBankingDays: number;
}

export type SettlementOutcome = { ok: true; laterReturn?: LaterReturn } | { ok: false; code: string; reason: string };

/** NACHA return codes as stored on a returned payment (failure-codes.ts). */
export const ACH_RETURN_REASONS = Object.fromEntries(Object.entries(ACH_RETURN_CODES).map(([code, { detail }]) => [code, detail])) as Record<ReturnCode, string>;

/** The bank did not answer (timeout, unavailable): retry later, nothing happened. */
export class TransientBankError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TransientBankError';
  }
}

const achFailure = (code: ReturnCode) => ({ code, reason: ACH_RETURN_REASONS[code] });
const ACH_FAILURES = {
  insufficient: achFailure('R01'),
  closed: achFailure('R02'),
  missing: achFailure('R03'),
  unauthorized: achFailure('R29'),
} as const;

const instantFailure = (code: keyof typeof INSTANT_REJECTION_CODES) => ({ code, reason: INSTANT_REJECTION_CODES[code].detail });
const INSTANT_FAILURES = {
  insufficient: instantFailure('AM04'),
  closed: instantFailure('AC04'),
  missing: instantFailure('AC01'),
  unauthorized: instantFailure('AG01'),
} as const;

type FailureKind = keyof typeof ACH_FAILURES;

function failure(rail: Rail, kind: FailureKind): SettlementOutcome {
  return { ok: false, ...(isAchRail(rail) ? ACH_FAILURES : INSTANT_FAILURES)[kind] };
}

function settlesThenReturns(rail: Rail, laterReturn: LaterReturn): SettlementOutcome {
  return isAchRail(rail) ? { ok: true, laterReturn } : { ok: true };
}

export interface SettlementRequest {
  rail: Rail;
  /** Last four digits of the sending account. */
  fromLast4: string;
  /** 0-based attempt of this question (Inngest's step attempt), for the transient-error test mode. */
  attempt: number;
}

export function decideSettlement(request: SettlementRequest, successRate: number, random: () => number = Math.random): SettlementOutcome {
  switch (request.fromLast4) {
    case '0000':
      return { ok: true };
    case '0001':
      return failure(request.rail, 'insufficient');
    case '0002':
      return failure(request.rail, 'closed');
    case '0003':
      return failure(request.rail, 'missing');
    case '0029':
      return failure(request.rail, 'unauthorized');
    case '0011':
      return settlesThenReturns(request.rail, { code: 'R01', afterBankingDays: 1 });
    case '0010':
      return settlesThenReturns(request.rail, { code: 'R10', afterBankingDays: 10 });
    case '0408':
      if (request.attempt === 0) throw new TransientBankError('The bank did not answer in time');
      return { ok: true };
  }
  if (random() < successRate) return { ok: true };
  // Real-world mix: most returns are insufficient funds.
  const roll = random();
  const kind: FailureKind = roll < 0.6 ? 'insufficient' : roll < 0.75 ? 'closed' : roll < 0.9 ? 'missing' : 'unauthorized';
  return failure(request.rail, kind);
}
