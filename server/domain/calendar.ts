// The one banking calendar: every rail time, return window and finality instant comes from
// here. PURE (no database, no environment, no clock): the pay-rent form and the server compute
// the same answers. Times of day are wall-clock times in America/New_York, converted with
// @date-fns/tz (IANA time-zone data), never with hand-made UTC offsets, so DST changes are right.
//
// Banking days are Monday–Friday except the Federal Reserve System's holidays, as published in
// the Fed's holiday schedule (https://www.federalreserve.gov/aboutthefed/k8.htm):
// New Year's Day (Jan 1), Birthday of Martin Luther King Jr. (3rd Monday of January),
// Washington's Birthday (3rd Monday of February), Memorial Day (last Monday of May),
// Juneteenth National Independence Day (June 19, from 2022), Independence Day (July 4),
// Labor Day (1st Monday of September), Columbus Day / Indigenous Peoples' Day (2nd Monday of
// October), Veterans Day (Nov 11), Thanksgiving Day (4th Thursday of November) and Christmas
// Day (Dec 25). "For holidays falling on Saturday, Federal Reserve Banks and Branches will be
// open the preceding Friday"; a holiday falling on Sunday is observed the following Monday.
import { TZDate } from '@date-fns/tz';
import type { Rail } from '@/server/generated/prisma/enums';
import { isYearInRange } from './schedule';

export const BANK_TIME_ZONE = 'America/New_York';

/** A calendar day (no time, no zone). */
export interface CalendarDay {
  year: number;
  /** 1–12 */
  month: number;
  /** 1–31 */
  day: number;
}

/** A day, or an instant taken as the day it is in New York. */
export type DayLike = CalendarDay | Date;

export interface FedHoliday {
  name: string;
  /** The date in the statute (may fall on a weekend). */
  date: CalendarDay;
  /** The day the Federal Reserve is closed for it; null when it falls on a Saturday (not observed). */
  observed: CalendarDay | null;
}

const MS_PER_DAY = 86_400_000;

function dayNumber({ year, month, day }: CalendarDay): number {
  return Date.UTC(year, month - 1, day) / MS_PER_DAY;
}

function fromDayNumber(n: number): CalendarDay {
  const date = new Date(n * MS_PER_DAY);
  return { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() };
}

/** 0 = Sunday … 6 = Saturday (the weekday of a calendar day, zone-free). */
export function weekday(day: CalendarDay): number {
  return new Date(dayNumber(day) * MS_PER_DAY).getUTCDay();
}

/** `day` plus `days` calendar days (negative goes back). */
export function addCalendarDays(day: CalendarDay, days: number): CalendarDay {
  return fromDayNumber(dayNumber(day) + days);
}

export function sameDay(a: CalendarDay, b: CalendarDay): boolean {
  return a.year === b.year && a.month === b.month && a.day === b.day;
}

/** YYYY-MM-DD */
export function formatDay({ year, month, day }: CalendarDay): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** The New York calendar day of an instant (a CalendarDay is returned unchanged). */
export function dayInNewYork(at: DayLike): CalendarDay {
  if (!(at instanceof Date)) return at;
  const local = new TZDate(at.getTime(), BANK_TIME_ZONE);
  return { year: local.getFullYear(), month: local.getMonth() + 1, day: local.getDate() };
}

/**
 * True for an instant whose calendar year is inside the date range both in UTC (as it is written)
 * and in America/New_York (the business day the code works from: 1900-01-01T04:59Z is still 1899
 * there); false for an invalid Date.
 */
export function isInstantInRange(instant: Date): boolean {
  return isYearInRange(instant.getUTCFullYear()) && isYearInRange(dayInNewYork(instant).year);
}

/** The instant of a New York wall-clock time on `day` (hours 0–23, minutes, seconds, ms). */
export function newYorkTime(day: CalendarDay, hours: number, minutes = 0, seconds = 0, ms = 0): Date {
  return new Date(new TZDate(day.year, day.month - 1, day.day, hours, minutes, seconds, ms, BANK_TIME_ZONE).getTime());
}

/** Minutes since New York midnight of an instant's wall-clock time, with milliseconds as a fraction. */
function newYorkClockMs(at: Date): number {
  const local = new TZDate(at.getTime(), BANK_TIME_ZONE);
  return ((local.getHours() * 60 + local.getMinutes()) * 60 + local.getSeconds()) * 1000 + local.getMilliseconds();
}

function nthWeekdayOfMonth(year: number, month: number, dayOfWeek: number, n: number): CalendarDay {
  const first = { year, month, day: 1 };
  const offset = (dayOfWeek - weekday(first) + 7) % 7;
  return { year, month, day: 1 + offset + (n - 1) * 7 };
}

function lastWeekdayOfMonth(year: number, month: number, dayOfWeek: number): CalendarDay {
  // Day 0 of the next month is this month's last day.
  const lastDay = fromDayNumber(Date.UTC(year, month, 0) / MS_PER_DAY);
  return addCalendarDays(lastDay, -((weekday(lastDay) - dayOfWeek + 7) % 7));
}

const MONDAY = 1;
const THURSDAY = 4;

/** Observed day of a fixed-date holiday: Sunday → Monday; Saturday → not observed (null). */
function observe(date: CalendarDay): CalendarDay | null {
  const dow = weekday(date);
  if (dow === 0) return addCalendarDays(date, 1);
  if (dow === 6) return null;
  return date;
}

/** The Federal Reserve's holidays of a year, in calendar order, with the day each is observed. */
export function federalReserveHolidays(year: number): FedHoliday[] {
  const fixed = (name: string, month: number, day: number): FedHoliday => {
    const date = { year, month, day };
    return { name, date, observed: observe(date) };
  };
  const floating = (name: string, date: CalendarDay): FedHoliday => ({ name, date, observed: date });
  const holidays: FedHoliday[] = [
    fixed("New Year's Day", 1, 1),
    floating('Birthday of Martin Luther King, Jr.', nthWeekdayOfMonth(year, 1, MONDAY, 3)),
    floating("Washington's Birthday", nthWeekdayOfMonth(year, 2, MONDAY, 3)),
    floating('Memorial Day', lastWeekdayOfMonth(year, 5, MONDAY)),
  ];
  if (year >= 2022) holidays.push(fixed('Juneteenth National Independence Day', 6, 19));
  holidays.push(
    fixed('Independence Day', 7, 4),
    floating('Labor Day', nthWeekdayOfMonth(year, 9, MONDAY, 1)),
    floating("Columbus Day / Indigenous Peoples' Day", nthWeekdayOfMonth(year, 10, MONDAY, 2)),
    fixed('Veterans Day', 11, 11),
    floating('Thanksgiving Day', nthWeekdayOfMonth(year, 11, THURSDAY, 4)),
    fixed('Christmas Day', 12, 25),
  );
  return holidays;
}

const holidayCache = new Map<number, Set<number>>();

function observedHolidayNumbers(year: number): Set<number> {
  let days = holidayCache.get(year);
  if (!days) {
    days = new Set(
      federalReserveHolidays(year)
        .map((holiday) => holiday.observed)
        .filter((day): day is CalendarDay => day !== null)
        .map(dayNumber),
    );
    holidayCache.set(year, days);
  }
  return days;
}

/** True when the Federal Reserve is open that day (New York day of an instant): Mon–Fri and no observed holiday. */
export function isBankingDay(at: DayLike): boolean {
  const day = dayInNewYork(at);
  const dow = weekday(day);
  if (dow === 0 || dow === 6) return false;
  // A Sunday Dec 25/Jan 1 is observed the next day, still in the same year, so one year's list suffices.
  return !observedHolidayNumbers(day.year).has(dayNumber(day));
}

/** The first banking day strictly after `at`'s day. */
export function nextBankingDay(at: DayLike): CalendarDay {
  let day = addCalendarDays(dayInNewYork(at), 1);
  while (!isBankingDay(day)) day = addCalendarDays(day, 1);
  return day;
}

/** `at`'s day itself when it is a banking day, otherwise the next one. */
export function bankingDayOnOrAfter(at: DayLike): CalendarDay {
  const day = dayInNewYork(at);
  return isBankingDay(day) ? day : nextBankingDay(day);
}

/** The last banking day strictly before `at`'s day. */
export function previousBankingDay(at: DayLike): CalendarDay {
  let day = addCalendarDays(dayInNewYork(at), -1);
  while (!isBankingDay(day)) day = addCalendarDays(day, -1);
  return day;
}

/** `at`'s day itself when it is a banking day, otherwise the banking day before it. */
export function bankingDayOnOrBefore(at: DayLike): CalendarDay {
  const day = dayInNewYork(at);
  return isBankingDay(day) ? day : previousBankingDay(day);
}

/**
 * The `count`-th banking day after `at`'s day (count ≥ 0; 0 answers the day itself, banking
 * day or not). Counting starts from the calendar day, so 2 banking days after a Sunday is Tuesday.
 */
export function addBankingDays(at: DayLike, count: number): CalendarDay {
  if (!Number.isInteger(count) || count < 0) throw new RangeError('count must be a whole number ≥ 0');
  let day = dayInNewYork(at);
  for (let i = 0; i < count; i++) day = nextBankingDay(day);
  return day;
}

/** The first instant of a day in New York (00:00:00.000 ET). */
export function startOfDayET(at: DayLike): Date {
  return newYorkTime(dayInNewYork(at), 0);
}

/** The last instant of a day in New York: 23:59:59.999 ET (whatever DST does that day). */
export function endOfBankingDayET(at: DayLike): Date {
  return newYorkTime(dayInNewYork(at), 23, 59, 59, 999);
}

// ---------------------------------------------------------------------------------------------
// The rails' clocks.

/** RTP settles in seconds; this is the real-calendar time we plan for it, in ms. */
export const RTP_SETTLEMENT_MS = 2_000;
/** A wire sent in Fedwire hours settles within minutes; this is the real-calendar time we plan for it, in ms. */
export const WIRE_SETTLEMENT_MS = 5 * 60_000;

interface ClockTime {
  hours: number;
  minutes: number;
}
const at = (hours: number, minutes = 0): ClockTime => ({ hours, minutes });
const clockMs = ({ hours, minutes }: ClockTime) => (hours * 60 + minutes) * 60_000;
const on = (day: CalendarDay, time: ClockTime) => newYorkTime(day, time.hours, time.minutes);

/** Same-day ACH submission windows (close, inclusive) and their settlement times, ET. */
export const SAME_DAY_ACH_WINDOWS: readonly { closes: ClockTime; settles: ClockTime }[] = [
  { closes: at(10, 30), settles: at(13, 0) },
  { closes: at(14, 45), settles: at(17, 0) },
  { closes: at(16, 45), settles: at(18, 0) },
];
/** Standard ACH: submitted by 17:00 ET (inclusive) on a banking day, it settles 08:30 ET the next banking day. */
export const STANDARD_ACH_CUTOFF = at(17, 0);
export const STANDARD_ACH_SETTLES = at(8, 30);
/** Wires go out on banking days before 18:00 ET (exclusive). */
export const WIRE_CUTOFF = at(18, 0);

/** Return codes and their windows (NACHA): most within 2 banking days; R10 within 60 calendar days. */
export type ReturnCode = 'R01' | 'R02' | 'R03' | 'R10' | 'R29';
export const RETURN_CODES: readonly ReturnCode[] = ['R01', 'R02', 'R03', 'R10', 'R29'];
/** Banking days after the settlement date during which R01/R02/R03/R29 may arrive. */
export const RETURN_WINDOW_BANKING_DAYS = 2;
/** Calendar days after the settlement date during which R10 (unauthorized, consumer) may arrive. */
export const UNAUTHORIZED_RETURN_CALENDAR_DAYS = 60;

export const isAchRail = (rail: Rail) => rail === 'SAME_DAY_ACH' || rail === 'STANDARD_ACH';

export interface RailSchedule {
  /** When the payment leaves PENDING for the rail (the batch window for ACH); cancellable until then. */
  submitAt: Date;
  expectedSettlementAt: Date;
  /** ACH: the end of the ordinary return window (final after it); RTP and wire: null (final when settled). */
  returnableUntil: Date | null;
}

/**
 * Until when an ACH payment settled at `settledAt` can be returned with `code`:
 * R01/R02/R03/R29 until 23:59:59.999 ET of the 2nd banking day after the settlement date;
 * R10 until 23:59:59.999 ET of the 60th calendar day after it. Null for RTP and wire (final).
 */
export function returnDeadline(rail: Rail, settledAt: Date, code: ReturnCode = 'R01'): Date | null {
  if (!isAchRail(rail)) return null;
  const settlementDay = dayInNewYork(settledAt);
  if (code === 'R10') return endOfBankingDayET(addCalendarDays(settlementDay, UNAUTHORIZED_RETURN_CALENDAR_DAYS));
  return endOfBankingDayET(addBankingDays(settlementDay, RETURN_WINDOW_BANKING_DAYS));
}

/**
 * When a payment asked for at instant `requestedAt` is submitted, settles, and stops being
 * returnable, on the real calendar:
 * - RTP: at once, any day and time; settles RTP_SETTLEMENT_MS later; final.
 * - Same-day ACH: the first window on a banking day that closes at or after `requestedAt`
 *   (10:30, 14:45, 16:45 ET; exactly 10:30:00.000 still makes it) settles 13:00, 17:00, 18:00
 *   ET that day; later, the 10:30 window of the next banking day.
 * - Standard ACH: by 17:00:00.000 ET on a banking day it is submitted at 17:00 and settles
 *   08:30 ET the next banking day; later (or on a non-banking day) it counts from the next
 *   banking day.
 * - Wire: on a banking day before 18:00 ET it is sent at once and settles WIRE_SETTLEMENT_MS
 *   later; otherwise it is sent at the start (00:00 ET) of the next banking day. Final.
 * ACH payments are returnable until `returnDeadline(rail, expectedSettlementAt)`.
 */
export function railSchedule(rail: Rail, requestedAt: Date): RailSchedule {
  const day = dayInNewYork(requestedAt);
  const clock = newYorkClockMs(requestedAt);
  const banking = isBankingDay(day);
  switch (rail) {
    case 'RTP':
      return { submitAt: requestedAt, expectedSettlementAt: new Date(requestedAt.getTime() + RTP_SETTLEMENT_MS), returnableUntil: null };
    case 'WIRE': {
      const submitAt = banking && clock < clockMs(WIRE_CUTOFF) ? requestedAt : startOfDayET(nextBankingDay(day));
      return { submitAt, expectedSettlementAt: new Date(submitAt.getTime() + WIRE_SETTLEMENT_MS), returnableUntil: null };
    }
    case 'SAME_DAY_ACH': {
      const window = banking ? SAME_DAY_ACH_WINDOWS.find((w) => clock <= clockMs(w.closes)) : undefined;
      const settlementDay = window ? day : nextBankingDay(day);
      const chosen = window ?? SAME_DAY_ACH_WINDOWS[0]!;
      const expectedSettlementAt = on(settlementDay, chosen.settles);
      return { submitAt: on(settlementDay, chosen.closes), expectedSettlementAt, returnableUntil: returnDeadline(rail, expectedSettlementAt) };
    }
    case 'STANDARD_ACH': {
      const submissionDay = banking && clock <= clockMs(STANDARD_ACH_CUTOFF) ? day : nextBankingDay(day);
      const expectedSettlementAt = on(nextBankingDay(submissionDay), STANDARD_ACH_SETTLES);
      return { submitAt: on(submissionDay, STANDARD_ACH_CUTOFF), expectedSettlementAt, returnableUntil: returnDeadline(rail, expectedSettlementAt) };
    }
  }
}

/**
 * The demo clock. A payment's real-calendar instant `realInstant` plays at
 * `from + (realInstant − from) × scale` (ms arithmetic), where `from` is when the payment was
 * created and `scale` is SETTLEMENT_TIME_SCALE (1 = real time). Instants before `from` play at
 * `from`.
 */
export function scaledInstant(from: Date, realInstant: Date, scale: number): Date {
  const elapsed = Math.max(0, realInstant.getTime() - from.getTime());
  return new Date(from.getTime() + Math.round(elapsed * scale));
}
