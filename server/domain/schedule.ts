// A lease's installment schedule, computed from its terms alone. PURE: no server-only
// imports, no Prisma, no clock — the landlord's create-lease form imports this module for its
// live preview, and lease creation on the server calls the very same function, so what the
// landlord sees is what gets stored.
//
// The rules, precisely:
// - Due dates clamp to the month's end: due day 31 falls on Feb 28 (Feb 29 in a leap year),
//   Apr 30, …; due day 29/30 likewise in February. Each month clamps from the lease's due
//   day, never from the previous (clamped) date, so Jan 31 → Feb 28 → Mar 31.
// - The first full installment is due on the first due date on or after the start date: a
//   start date after the month's due date makes it fall due the next month.
// - The term is `termMonths` full installments of `monthlyRentCents`, one a month from that
//   first full due date.
// - When `prorateFirstMonth` is set and the start date is not itself a due date, the days
//   from the start date up to the day before the first full due date are billed as a
//   prorated installment, due on the start date (move-in). Its amount is
//   monthlyRentCents × coveredDays / periodDays, rounded half up to whole cents, where
//   periodDays is the length of the billing period those days belong to: from the due date
//   one month before the first full due date up to the day before the first full due date.
//   (With due day 1 that is exactly the days of the start month.) It exists only when the
//   amount is more than zero.
// - Installments are numbered from 1 in due-date order: the prorated one, if any, is 1.
// - Every date, the start date and each computed due date, falls in the one date range
//   below (years 1900–2999); terms that would leave it are refused, so lease.preview and
//   lease.create, which both call buildSchedule, agree.
//
// Late fees (lateFeeCents): an installment still unpaid after its due date plus `graceDays`
// is charged once `lateFeeFlatCents` plus `lateFeeBasisPoints` of its amount (1 bp = 0.01 %,
// rounded half up to whole cents), capped at `lateFeeCapCents` when set.

// The one range every date in DirectPay must fall in, whether a caller sent it or the code
// computed it (a lease's due dates, an `asOf` instant): the years 1900 through 2999. Outside
// it, dates are refused as BAD_REQUEST with a field error instead of reaching the database
// (a DATE column holds year 10000, but YYYY-MM-DD strings cannot). The input schemas
// (server/api/schemas/common.ts) use these too.
export const MIN_YEAR = 1900;
export const MAX_YEAR = 2999;
/** The one message for a date outside the range, on every field that takes or computes a date. */
export const DATE_RANGE_MESSAGE = `must be between ${MIN_YEAR}-01-01 and ${MAX_YEAR}-12-31`;

/** True for a calendar year inside the date range. */
export function isYearInRange(year: number): boolean {
  return Number.isInteger(year) && year >= MIN_YEAR && year <= MAX_YEAR;
}

export interface ScheduleTerms {
  monthlyRentCents: number;
  /** YYYY-MM-DD */
  startDate: string;
  termMonths: number;
  /** 1–31; clamped to each month's last day. */
  dueDay: number;
  prorateFirstMonth?: boolean;
  /** Days after the due date an installment may still be paid without a late fee (0–60). */
  graceDays?: number;
  /** Flat part of the late fee, in cents. */
  lateFeeFlatCents?: number;
  /** Percentage part of the late fee, in basis points of the installment (100 = 1 %). */
  lateFeeBasisPoints?: number;
  /** Largest late fee, in cents; null or absent: no cap. */
  lateFeeCapCents?: number | null;
}

export type LateFeeTerms = Pick<ScheduleTerms, 'lateFeeFlatCents' | 'lateFeeBasisPoints' | 'lateFeeCapCents'>;

export interface ScheduledInstallment {
  number: number;
  /** YYYY-MM-DD */
  dueDate: string;
  amountCents: number;
  prorated: boolean;
}

/**
 * The late fee on an installment of `amountCents`: flat + amount × basis points / 10,000
 * rounded half up to whole cents, then capped. Integer arithmetic only (the largest product,
 * 2 · 10^8 · 10^4, is far below 2^53).
 */
export function lateFeeCents(terms: LateFeeTerms, amountCents: number): number {
  const bp = terms.lateFeeBasisPoints ?? 0;
  const percentCents = Math.floor((2 * amountCents * bp + 10_000) / 20_000);
  const fee = (terms.lateFeeFlatCents ?? 0) + percentCents;
  return terms.lateFeeCapCents === null || terms.lateFeeCapCents === undefined ? fee : Math.min(fee, terms.lateFeeCapCents);
}

/** The day `days` days after `day` (both YYYY-MM-DD). */
export function addDays(day: string, days: number): string {
  const date = dateFromDay(day);
  date.setUTCDate(date.getUTCDate() + days);
  return dayFromDate(date);
}

interface CalendarDate {
  year: number;
  /** 1–12 */
  month: number;
  day: number;
}

const MS_PER_DAY = 86_400_000;

/** Terms whose schedule leaves the date range; `field` names the input to change. */
export class ScheduleRangeError extends RangeError {
  constructor(
    readonly field: 'startDate' | 'termMonths',
    message: string,
  ) {
    super(message);
    this.name = 'ScheduleRangeError';
  }
}

export function daysInMonth(year: number, month: number): number {
  // Day 0 of the next month is the last day of this one.
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function parseDate(value: string): CalendarDate {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) throw new RangeError(`dates are written YYYY-MM-DD, got "${value}"`);
  const date = { year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) };
  if (date.month < 1 || date.month > 12 || date.day < 1 || date.day > daysInMonth(date.year, date.month)) {
    throw new RangeError(`${value} is not a real date`);
  }
  if (!isYearInRange(date.year)) throw new ScheduleRangeError('startDate', DATE_RANGE_MESSAGE);
  return date;
}

export function formatDate({ year, month, day }: CalendarDate): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** The month `offset` months after (year, month), as (year, month). */
function addMonths(year: number, month: number, offset: number): { year: number; month: number } {
  const index = year * 12 + (month - 1) + offset;
  return { year: Math.floor(index / 12), month: (index % 12) + 1 };
}

/** The due date in a given month: the due day, or the month's last day when the month is shorter. */
export function clampDueDate(year: number, month: number, dueDay: number): CalendarDate {
  return { year, month, day: Math.min(dueDay, daysInMonth(year, month)) };
}

function dayNumber({ year, month, day }: CalendarDate): number {
  return Date.UTC(year, month - 1, day) / MS_PER_DAY;
}

function checkTerms(terms: ScheduleTerms): void {
  const { monthlyRentCents, termMonths, dueDay } = terms;
  if (!Number.isSafeInteger(monthlyRentCents) || monthlyRentCents <= 0) throw new RangeError('monthlyRentCents must be a positive whole number of cents');
  if (!Number.isInteger(termMonths) || termMonths < 1) throw new RangeError('termMonths must be a whole number of months, at least 1');
  if (!Number.isInteger(dueDay) || dueDay < 1 || dueDay > 31) throw new RangeError('dueDay must be a day of the month, 1–31');
  const { graceDays = 0, lateFeeFlatCents = 0, lateFeeBasisPoints = 0, lateFeeCapCents = null } = terms;
  if (!Number.isInteger(graceDays) || graceDays < 0 || graceDays > 60) throw new RangeError('graceDays must be a whole number of days, 0–60');
  if (!Number.isSafeInteger(lateFeeFlatCents) || lateFeeFlatCents < 0) throw new RangeError('lateFeeFlatCents must be a whole number of cents, 0 or more');
  if (!Number.isInteger(lateFeeBasisPoints) || lateFeeBasisPoints < 0 || lateFeeBasisPoints > 10_000) throw new RangeError('lateFeeBasisPoints must be 0–10,000');
  if (lateFeeCapCents !== null && (!Number.isSafeInteger(lateFeeCapCents) || lateFeeCapCents < 0)) throw new RangeError('lateFeeCapCents must be a whole number of cents, 0 or more');
}

/** The full schedule for these terms; throws RangeError for terms that are not valid. */
export function buildSchedule(terms: ScheduleTerms): ScheduledInstallment[] {
  checkTerms(terms);
  const start = parseDate(terms.startDate);
  const { monthlyRentCents, termMonths, dueDay } = terms;

  const dueInStartMonth = clampDueDate(start.year, start.month, dueDay);
  const firstFullOffset = start.day <= dueInStartMonth.day ? 0 : 1;
  const dueDateAt = (offset: number) => {
    const { year, month } = addMonths(start.year, start.month, offset);
    return clampDueDate(year, month, dueDay);
  };
  const firstFullDue = dueDateAt(firstFullOffset);

  const schedule: ScheduledInstallment[] = [];
  if (terms.prorateFirstMonth) {
    const coveredDays = dayNumber(firstFullDue) - dayNumber(start);
    const periodDays = dayNumber(firstFullDue) - dayNumber(dueDateAt(firstFullOffset - 1));
    // Half-up rounding in integers: floor((2·rent·days + period) / (2·period)). The largest
    // numerator (2 · 10^8 · 31 + 31) is far below 2^53, so this is exact.
    const amountCents = Math.floor((2 * monthlyRentCents * coveredDays + periodDays) / (2 * periodDays));
    if (coveredDays > 0 && amountCents > 0) {
      schedule.push({ number: 1, dueDate: formatDate(start), amountCents, prorated: true });
    }
  }
  // The covered period ends on or after the last due date, so this also keeps every due date in range.
  if (!isYearInRange(lastCoveredDay(start, terms).year)) {
    throw new ScheduleRangeError('termMonths', `the lease would end after ${MAX_YEAR}-12-31; start earlier or shorten the term`);
  }
  for (let month = 0; month < termMonths; month += 1) {
    schedule.push({
      number: schedule.length + 1,
      dueDate: formatDate(dueDateAt(firstFullOffset + month)),
      amountCents: monthlyRentCents,
      prorated: false,
    });
  }
  return schedule;
}

/** The last day the terms cover: the day before the due date one month after the last full installment's. */
function lastCoveredDay(start: CalendarDate, { termMonths, dueDay }: ScheduleTerms): CalendarDate {
  const firstFullOffset = start.day <= clampDueDate(start.year, start.month, dueDay).day ? 0 : 1;
  const { year, month } = addMonths(start.year, start.month, firstFullOffset + termMonths);
  const dayAfter = new Date((dayNumber(clampDueDate(year, month, dueDay)) - 1) * MS_PER_DAY);
  return { year: dayAfter.getUTCFullYear(), month: dayAfter.getUTCMonth() + 1, day: dayAfter.getUTCDate() };
}

/**
 * The last day these terms cover (YYYY-MM-DD): the day before the due date one month after the
 * last full installment's, i.e. the end of the period the last installment pays for. Start
 * Jan 1, due day 1, 12 months → Dec 31; start Jan 15 → Jan 31 of the next year (the first
 * full month starts Feb 1). Throws RangeError like checkTerms for terms that are not valid; a
 * stored lease's terms passed buildSchedule, which refuses an end after the date range.
 */
export function leaseEndDate(terms: ScheduleTerms): string {
  checkTerms(terms);
  return formatDate(lastCoveredDay(parseDate(terms.startDate), terms));
}

/**
 * Whether the installment due on `dueDate` (YYYY-MM-DD) is its lease's prorated first one. The
 * rule follows from buildSchedule: every full installment falls due on the lease's due day
 * (clamped to the month's end), and the prorated one on the start date, which is never a due
 * date (a start on a due date has no prorated installment). So the due date alone, beside the
 * lease's `dueDay`, tells them apart, in a stored schedule, a preview or an as-of view.
 */
export function isProratedDueDate(dueDate: string, dueDay: number): boolean {
  const { year, month, day } = parseDate(dueDate);
  return day !== clampDueDate(year, month, dueDay).day;
}

/** A calendar day as PostgreSQL DATE columns come back through Prisma: midnight UTC. */
export function dateFromDay(day: string): Date {
  const { year, month, day: dayOfMonth } = parseDate(day);
  return new Date(Date.UTC(year, month - 1, dayOfMonth));
}

/** The YYYY-MM-DD of a DATE column's value (midnight UTC). */
export function dayFromDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}
