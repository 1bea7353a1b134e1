import { describe, expect, it } from 'vitest';
import {
  addBankingDays,
  addCalendarDays,
  dayInNewYork,
  endOfBankingDayET,
  federalReserveHolidays,
  formatDay,
  isBankingDay,
  nextBankingDay,
  newYorkTime,
  railSchedule,
  returnDeadline,
  scaledInstant,
  weekday,
  type CalendarDay,
} from './calendar';

const d = (value: string): CalendarDay => {
  const [year, month, day] = value.split('-').map(Number);
  return { year: year!, month: month!, day: day! };
};
/** A New York wall-clock time, e.g. et('2026-12-24', 15) — built with @date-fns/tz in the module. */
const et = (day: string, hours: number, minutes = 0, seconds = 0, ms = 0) => newYorkTime(d(day), hours, minutes, seconds, ms);
const iso = (date: Date | null) => date?.toISOString() ?? null;

// The Federal Reserve's published closures (K.8, "Holidays Observed by the Federal Reserve
// System 2026-2030", https://www.federalreserve.gov/aboutthefed/k8.htm): Saturday holidays are
// not observed by the Reserve Banks (July 3 2026, June 18 2027, December 24 2027, November 10
// 2028 are open), Sunday holidays close the following Monday (July 5 2027, November 12 2029).
const FED_CLOSED: Record<number, string[]> = {
  2026: ['01-01', '01-19', '02-16', '05-25', '06-19', '09-07', '10-12', '11-11', '11-26', '12-25'],
  2027: ['01-01', '01-18', '02-15', '05-31', '07-05', '09-06', '10-11', '11-11', '11-25'],
  2028: ['01-17', '02-21', '05-29', '06-19', '07-04', '09-04', '10-09', '11-23', '12-25'],
  2029: ['01-01', '01-15', '02-19', '05-28', '06-19', '07-04', '09-03', '10-08', '11-12', '11-22', '12-25'],
  2030: ['01-01', '01-21', '02-18', '05-27', '06-19', '07-04', '09-02', '10-14', '11-11', '11-28', '12-25'],
};

describe('Federal Reserve holidays', () => {
  for (const [year, closed] of Object.entries(FED_CLOSED)) {
    it(`the weekdays closed in ${year} are exactly the Fed's published list`, () => {
      const found: string[] = [];
      for (let day = d(`${year}-01-01`); day.year === Number(year); day = addCalendarDays(day, 1)) {
        const dow = weekday(day);
        if (dow !== 0 && dow !== 6 && !isBankingDay(day)) found.push(formatDay(day).slice(5));
      }
      expect(found).toEqual(closed);
    });
  }

  it('computes every rule: fixed dates, nth and last weekdays', () => {
    const byName = Object.fromEntries(federalReserveHolidays(2026).map((h) => [h.name, formatDay(h.date)]));
    expect(byName).toEqual({
      "New Year's Day": '2026-01-01',
      'Birthday of Martin Luther King, Jr.': '2026-01-19', // 3rd Monday of January
      "Washington's Birthday": '2026-02-16', // 3rd Monday of February
      'Memorial Day': '2026-05-25', // last Monday of May
      'Juneteenth National Independence Day': '2026-06-19',
      'Independence Day': '2026-07-04',
      'Labor Day': '2026-09-07', // 1st Monday of September
      "Columbus Day / Indigenous Peoples' Day": '2026-10-12', // 2nd Monday of October
      'Veterans Day': '2026-11-11',
      'Thanksgiving Day': '2026-11-26', // 4th Thursday of November
      'Christmas Day': '2026-12-25',
    });
  });

  it('a Sunday holiday is observed on Monday; a Saturday holiday is not observed and the Friday before is a banking day', () => {
    const july4th2027 = federalReserveHolidays(2027).find((h) => h.name === 'Independence Day')!;
    expect(weekday(july4th2027.date)).toBe(0);
    expect(july4th2027.observed && formatDay(july4th2027.observed)).toBe('2027-07-05');
    const july4th2026 = federalReserveHolidays(2026).find((h) => h.name === 'Independence Day')!;
    expect(weekday(july4th2026.date)).toBe(6);
    expect(july4th2026.observed).toBeNull();
    expect(isBankingDay(d('2026-07-03'))).toBe(true);
    expect(isBankingDay(d('2027-12-24'))).toBe(true); // Christmas 2027 is a Saturday
    expect(isBankingDay(d('2027-12-31'))).toBe(true); // New Year's Day 2028 is a Saturday
    expect(isBankingDay(d('2028-11-10'))).toBe(true); // Veterans Day 2028 is a Saturday
    expect(isBankingDay(d('2029-11-12'))).toBe(false); // Veterans Day 2029 is a Sunday
  });

  it('Memorial Day is the last Monday even when May has five Mondays', () => {
    expect(formatDay(federalReserveHolidays(2027).find((h) => h.name === 'Memorial Day')!.date)).toBe('2027-05-31');
    expect(formatDay(federalReserveHolidays(2030).find((h) => h.name === 'Memorial Day')!.date)).toBe('2030-05-27');
  });

  it('Juneteenth is a Fed holiday from 2022 on', () => {
    expect(federalReserveHolidays(2021).some((h) => h.name.startsWith('Juneteenth'))).toBe(false);
    expect(isBankingDay(d('2022-06-20'))).toBe(false); // Sunday June 19 2022, observed Monday
  });

  it('weekends are never banking days', () => {
    expect(isBankingDay(d('2026-11-28'))).toBe(false);
    expect(isBankingDay(d('2026-11-29'))).toBe(false);
    expect(isBankingDay(d('2026-11-30'))).toBe(true);
  });
});

describe('banking-day arithmetic', () => {
  it('takes an instant as its day in New York, not in UTC', () => {
    // 2026-11-28 03:00 UTC is still Friday 22:00 in New York.
    expect(formatDay(dayInNewYork(new Date('2026-11-28T03:00:00Z')))).toBe('2026-11-27');
    expect(isBankingDay(new Date('2026-11-28T03:00:00Z'))).toBe(true);
    expect(isBankingDay(new Date('2026-11-28T05:00:00Z'))).toBe(false);
  });

  it('nextBankingDay skips weekends and holidays, across month and year ends', () => {
    expect(formatDay(nextBankingDay(d('2026-11-25')))).toBe('2026-11-27');
    expect(formatDay(nextBankingDay(d('2026-12-24')))).toBe('2026-12-28');
    expect(formatDay(nextBankingDay(d('2026-12-31')))).toBe('2027-01-04');
    expect(formatDay(nextBankingDay(d('2027-12-31')))).toBe('2028-01-03');
    expect(formatDay(nextBankingDay(d('2027-04-30')))).toBe('2027-05-03');
  });

  it('addBankingDays counts from the calendar day', () => {
    expect(formatDay(addBankingDays(d('2026-11-29'), 2))).toBe('2026-12-01');
    expect(formatDay(addBankingDays(d('2026-11-27'), 2))).toBe('2026-12-01');
    expect(formatDay(addBankingDays(d('2026-11-25'), 0))).toBe('2026-11-25');
    expect(formatDay(addBankingDays(d('2026-12-23'), 3))).toBe('2026-12-29');
    expect(() => addBankingDays(d('2026-12-23'), -1)).toThrow(RangeError);
  });

  it('the end of a banking day is 23:59:59.999 New York time, EST or EDT', () => {
    expect(iso(endOfBankingDayET(d('2026-12-01')))).toBe('2026-12-02T04:59:59.999Z');
    expect(iso(endOfBankingDayET(d('2027-07-06')))).toBe('2027-07-07T03:59:59.999Z');
    // DST days: 23 hours on 2027-03-14, 25 hours on 2026-11-01.
    expect(iso(endOfBankingDayET(d('2027-03-14')))).toBe('2027-03-15T03:59:59.999Z');
    expect(iso(endOfBankingDayET(d('2026-11-01')))).toBe('2026-11-02T04:59:59.999Z');
  });
});

describe('railSchedule: the examples of issue 11', () => {
  it('standard ACH at Thu 2026-12-24 15:00 ET settles Mon 2026-12-28 (Christmas in between)', () => {
    const s = railSchedule('STANDARD_ACH', et('2026-12-24', 15));
    expect(iso(s.submitAt)).toBe('2026-12-24T22:00:00.000Z');
    expect(iso(s.expectedSettlementAt)).toBe('2026-12-28T13:30:00.000Z');
    expect(iso(s.returnableUntil)).toBe('2026-12-31T04:59:59.999Z');
  });

  it('same-day ACH at Sun 2027-07-04 noon ET settles Tue 2027-07-06 (July 4th observed Monday)', () => {
    const s = railSchedule('SAME_DAY_ACH', et('2027-07-04', 12));
    expect(iso(s.submitAt)).toBe(iso(et('2027-07-06', 10, 30)));
    expect(iso(s.expectedSettlementAt)).toBe('2027-07-06T17:00:00.000Z');
  });

  it('standard ACH at Wed 2026-11-25 14:00 ET settles Fri 2026-11-27, returnable through Tue 2026-12-01 23:59:59.999 ET', () => {
    const s = railSchedule('STANDARD_ACH', et('2026-11-25', 14));
    expect(iso(s.expectedSettlementAt)).toBe('2026-11-27T13:30:00.000Z');
    expect(iso(s.returnableUntil)).toBe('2026-12-02T04:59:59.999Z');
  });

  it('a payment settled Sun 2026-11-29 09:53 UTC is returnable until the end of Tue 2026-12-01 ET, not 48 hours', () => {
    expect(iso(returnDeadline('STANDARD_ACH', new Date('2026-11-29T09:53:00Z')))).toBe('2026-12-02T04:59:59.999Z');
  });
});

describe('railSchedule: rules and edges', () => {
  it('RTP settles in seconds at any time, holidays included, and is final', () => {
    const at = et('2026-12-25', 3, 15);
    const s = railSchedule('RTP', at);
    expect(s.submitAt).toEqual(at);
    expect(s.expectedSettlementAt.getTime() - at.getTime()).toBeLessThan(10_000);
    expect(s.returnableUntil).toBeNull();
  });

  it('same-day ACH: each window closes inclusively at its exact millisecond', () => {
    const day = '2027-03-10'; // a Wednesday
    const settle = (h: number, m: number, s = 0, ms = 0) => iso(railSchedule('SAME_DAY_ACH', et(day, h, m, s, ms)).expectedSettlementAt);
    expect(settle(0, 0)).toBe(iso(et(day, 13)));
    expect(settle(10, 30)).toBe(iso(et(day, 13)));
    expect(settle(10, 30, 0, 1)).toBe(iso(et(day, 17)));
    expect(settle(14, 45)).toBe(iso(et(day, 17)));
    expect(settle(14, 45, 0, 1)).toBe(iso(et(day, 18)));
    expect(settle(16, 45)).toBe(iso(et(day, 18)));
    expect(settle(16, 45, 0, 1)).toBe(iso(et('2027-03-11', 13)));
    expect(iso(railSchedule('SAME_DAY_ACH', et(day, 14, 45, 0, 1)).submitAt)).toBe(iso(et(day, 16, 45)));
  });

  it('same-day ACH after the last window on a Friday at month end goes to Monday 10:30', () => {
    const s = railSchedule('SAME_DAY_ACH', et('2027-04-30', 17));
    expect(iso(s.submitAt)).toBe(iso(et('2027-05-03', 10, 30)));
    expect(iso(s.expectedSettlementAt)).toBe(iso(et('2027-05-03', 13)));
    expect(iso(s.returnableUntil)).toBe(iso(endOfBankingDayET(d('2027-05-05'))));
  });

  it('standard ACH: 17:00:00.000 ET makes the cutoff, 17:00:00.001 counts from the next banking day', () => {
    expect(iso(railSchedule('STANDARD_ACH', et('2027-03-10', 17)).expectedSettlementAt)).toBe(iso(et('2027-03-11', 8, 30)));
    const late = railSchedule('STANDARD_ACH', et('2027-03-10', 17, 0, 0, 1));
    expect(iso(late.submitAt)).toBe(iso(et('2027-03-11', 17)));
    expect(iso(late.expectedSettlementAt)).toBe(iso(et('2027-03-12', 8, 30)));
  });

  it('standard ACH on a weekend counts from Monday', () => {
    const s = railSchedule('STANDARD_ACH', et('2026-11-29', 4, 53));
    expect(iso(s.submitAt)).toBe(iso(et('2026-11-30', 17)));
    expect(iso(s.expectedSettlementAt)).toBe(iso(et('2026-12-01', 8, 30)));
    expect(iso(s.returnableUntil)).toBe(iso(endOfBankingDayET(d('2026-12-03'))));
  });

  it('standard ACH across year ends: New Year on Friday, and a Saturday New Year not observed', () => {
    expect(iso(railSchedule('STANDARD_ACH', et('2026-12-31', 17, 30)).expectedSettlementAt)).toBe(iso(et('2027-01-05', 8, 30)));
    expect(iso(railSchedule('STANDARD_ACH', et('2027-12-31', 16)).expectedSettlementAt)).toBe(iso(et('2028-01-03', 8, 30)));
    // Christmas 2027 is a Saturday: Friday Dec 24 is a banking day.
    expect(iso(railSchedule('STANDARD_ACH', et('2027-12-23', 16)).expectedSettlementAt)).toBe(iso(et('2027-12-24', 8, 30)));
  });

  it('DST: spring forward and fall back move the UTC instant of 08:30 ET', () => {
    const spring = railSchedule('STANDARD_ACH', et('2027-03-12', 16)); // Friday before 2027-03-14
    expect(iso(spring.submitAt)).toBe('2027-03-12T22:00:00.000Z'); // 17:00 EST
    expect(iso(spring.expectedSettlementAt)).toBe('2027-03-15T12:30:00.000Z'); // 08:30 EDT
    const fall = railSchedule('STANDARD_ACH', et('2026-10-30', 16)); // Friday before 2026-11-01
    expect(iso(fall.submitAt)).toBe('2026-10-30T21:00:00.000Z'); // 17:00 EDT
    expect(iso(fall.expectedSettlementAt)).toBe('2026-11-02T13:30:00.000Z'); // 08:30 EST
    expect(iso(fall.returnableUntil)).toBe('2026-11-05T04:59:59.999Z');
  });

  it('DST: 01:30 on the fall-back Sunday is a weekend instant either way', () => {
    const first = new Date('2026-11-01T05:30:00Z'); // 01:30 EDT
    const second = new Date('2026-11-01T06:30:00Z'); // 01:30 EST
    expect(formatDay(dayInNewYork(first))).toBe('2026-11-01');
    expect(formatDay(dayInNewYork(second))).toBe('2026-11-01');
    expect(iso(railSchedule('SAME_DAY_ACH', second).expectedSettlementAt)).toBe(iso(et('2026-11-02', 13)));
  });

  it('wire: before 18:00 ET on a banking day it settles within minutes; at 18:00 it waits for the next banking day', () => {
    const inTime = et('2026-11-25', 17, 59, 59, 999);
    const s = railSchedule('WIRE', inTime);
    expect(s.submitAt).toEqual(inTime);
    expect(s.expectedSettlementAt.getTime() - inTime.getTime()).toBeLessThanOrEqual(10 * 60_000);
    expect(s.returnableUntil).toBeNull();
    const late = railSchedule('WIRE', et('2026-11-25', 18));
    expect(iso(late.submitAt)).toBe(iso(et('2026-11-27', 0)));
    expect(late.expectedSettlementAt.getTime() - late.submitAt.getTime()).toBeLessThanOrEqual(10 * 60_000);
    expect(iso(railSchedule('WIRE', et('2026-12-25', 10)).submitAt)).toBe(iso(et('2026-12-28', 0)));
  });

  it('R10 is returnable through the 60th calendar day after settlement; RTP and wire never', () => {
    expect(iso(returnDeadline('SAME_DAY_ACH', et('2026-11-27', 13), 'R10'))).toBe(iso(endOfBankingDayET(d('2027-01-26'))));
    expect(returnDeadline('RTP', et('2026-11-27', 13), 'R10')).toBeNull();
    expect(returnDeadline('WIRE', et('2026-11-27', 13))).toBeNull();
  });
});

describe('scaledInstant', () => {
  it('plays a real-calendar instant at the demo scale, measured from the payment creation', () => {
    const from = new Date('2026-11-29T12:00:00Z');
    expect(iso(scaledInstant(from, new Date('2026-11-30T12:00:00Z'), 1 / 2880))).toBe('2026-11-29T12:00:30.000Z');
    expect(iso(scaledInstant(from, new Date('2026-11-30T12:00:00Z'), 1))).toBe('2026-11-30T12:00:00.000Z');
    expect(iso(scaledInstant(from, new Date('2026-11-28T12:00:00Z'), 0.5))).toBe(iso(from));
  });
});
