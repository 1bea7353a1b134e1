import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { anyScheduleTerms } from '@/server/testing/arbitraries';
import { addDays, buildSchedule, daysInMonth, isProratedDueDate, lateFeeCents, leaseEndDate } from './schedule';

const dueDates = (terms: Parameters<typeof buildSchedule>[0]) => buildSchedule(terms).map((installment) => installment.dueDate);

describe('buildSchedule: due dates', () => {
  it('bills termMonths full installments from the start date when it is a due date', () => {
    expect(buildSchedule({ monthlyRentCents: 150_000, startDate: '2027-03-01', termMonths: 3, dueDay: 1, prorateFirstMonth: true })).toEqual([
      { number: 1, dueDate: '2027-03-01', amountCents: 150_000, prorated: false },
      { number: 2, dueDate: '2027-04-01', amountCents: 150_000, prorated: false },
      { number: 3, dueDate: '2027-05-01', amountCents: 150_000, prorated: false },
    ]);
  });

  it('makes the first full installment fall due next month when the start date is after the due day', () => {
    expect(dueDates({ monthlyRentCents: 100_000, startDate: '2027-03-15', termMonths: 2, dueDay: 1 })).toEqual(['2027-04-01', '2027-05-01']);
  });

  it('keeps the first full installment in the start month when the start date is before the due day', () => {
    expect(dueDates({ monthlyRentCents: 100_000, startDate: '2027-03-03', termMonths: 2, dueDay: 5 })).toEqual(['2027-03-05', '2027-04-05']);
  });

  it('rolls over the year', () => {
    expect(dueDates({ monthlyRentCents: 100_000, startDate: '2027-12-20', termMonths: 2, dueDay: 5 })).toEqual(['2028-01-05', '2028-02-05']);
  });

  it('clamps due day 31 to every month end of a common year and a leap year, never drifting', () => {
    expect(dueDates({ monthlyRentCents: 100_000, startDate: '2027-01-31', termMonths: 24, dueDay: 31 })).toEqual([
      '2027-01-31', '2027-02-28', '2027-03-31', '2027-04-30', '2027-05-31', '2027-06-30',
      '2027-07-31', '2027-08-31', '2027-09-30', '2027-10-31', '2027-11-30', '2027-12-31',
      '2028-01-31', '2028-02-29', '2028-03-31', '2028-04-30', '2028-05-31', '2028-06-30',
      '2028-07-31', '2028-08-31', '2028-09-30', '2028-10-31', '2028-11-30', '2028-12-31',
    ]);
  });

  it.each([
    [29, '2027', '2027-02-28', '2027-03-29'],
    [29, '2028', '2028-02-29', '2028-03-29'],
    [30, '2027', '2027-02-28', '2027-03-30'],
    [30, '2028', '2028-02-29', '2028-03-30'],
    [31, '2100', '2100-02-28', '2100-03-31'],
    [31, '2000', '2000-02-29', '2000-03-31'],
  ])('clamps due day %i in February %s to %s, then returns to the due day (%s)', (dueDay, year, february, march) => {
    expect(dueDates({ monthlyRentCents: 100_000, startDate: `${year}-02-01`, termMonths: 2, dueDay })).toEqual([february, march]);
  });

  it('treats a start date on a clamped month-end due date as a due date', () => {
    expect(buildSchedule({ monthlyRentCents: 100_000, startDate: '2027-02-28', termMonths: 2, dueDay: 31, prorateFirstMonth: true })).toEqual([
      { number: 1, dueDate: '2027-02-28', amountCents: 100_000, prorated: false },
      { number: 2, dueDate: '2027-03-31', amountCents: 100_000, prorated: false },
    ]);
  });

  it('runs a 60-month term to the right last date', () => {
    const schedule = buildSchedule({ monthlyRentCents: 100_000, startDate: '2027-01-31', termMonths: 60, dueDay: 31 });
    expect(schedule).toHaveLength(60);
    expect(schedule.at(-1)).toEqual({ number: 60, dueDate: '2031-12-31', amountCents: 100_000, prorated: false });
  });
});

describe('buildSchedule: proration', () => {
  it('bills the days from the start date to the day before the first full due date, due at move-in', () => {
    // Jan 15..31 is 17 of January's 31 days: 150000 × 17 / 31 = 82258.06 → 82258.
    expect(buildSchedule({ monthlyRentCents: 150_000, startDate: '2027-01-15', termMonths: 2, dueDay: 1, prorateFirstMonth: true })).toEqual([
      { number: 1, dueDate: '2027-01-15', amountCents: 82_258, prorated: true },
      { number: 2, dueDate: '2027-02-01', amountCents: 150_000, prorated: false },
      { number: 3, dueDate: '2027-03-01', amountCents: 150_000, prorated: false },
    ]);
  });

  it('does not bill the partial period when proration is not asked for', () => {
    expect(buildSchedule({ monthlyRentCents: 150_000, startDate: '2027-01-15', termMonths: 1, dueDay: 1 })).toEqual([
      { number: 1, dueDate: '2027-02-01', amountCents: 150_000, prorated: false },
    ]);
  });

  it('measures the period from the previous due date when the start date is before the due day', () => {
    // Due day 5, start Mar 3 2027: Mar 3..4 is 2 days of the period Feb 5..Mar 4 (28 days).
    const [first] = buildSchedule({ monthlyRentCents: 280_000, startDate: '2027-03-03', termMonths: 1, dueDay: 5, prorateFirstMonth: true });
    expect(first).toEqual({ number: 1, dueDate: '2027-03-03', amountCents: 20_000, prorated: true });
  });

  it('prorates one day of a leap February against a clamped month-end due day', () => {
    // Due day 31, start Feb 28 2028: the period Jan 31..Feb 28 has 29 days; Feb 28 is 1 of them.
    expect(buildSchedule({ monthlyRentCents: 290_000, startDate: '2028-02-28', termMonths: 1, dueDay: 31, prorateFirstMonth: true })).toEqual([
      { number: 1, dueDate: '2028-02-28', amountCents: 10_000, prorated: true },
      { number: 2, dueDate: '2028-02-29', amountCents: 290_000, prorated: false },
    ]);
  });

  it('rounds half a cent up', () => {
    // Apr 16..30 is 15 of April's 30 days: 3 × 15 / 30 = 1.5 → 2.
    expect(buildSchedule({ monthlyRentCents: 3, startDate: '2027-04-16', termMonths: 1, dueDay: 1, prorateFirstMonth: true })[0]).toMatchObject({ amountCents: 2, prorated: true });
  });

  it('leaves out a prorated installment that rounds to zero cents', () => {
    expect(buildSchedule({ monthlyRentCents: 1, startDate: '2027-04-30', termMonths: 1, dueDay: 1, prorateFirstMonth: true })).toEqual([
      { number: 1, dueDate: '2027-05-01', amountCents: 1, prorated: false },
    ]);
  });

  it('bills one day of the month for a start on every month end of 2027 and 2028 (due day 1)', () => {
    const rent = 3_000_000;
    for (const year of [2027, 2028]) {
      for (let month = 1; month <= 12; month += 1) {
        const days = daysInMonth(year, month);
        const startDate = `${year}-${String(month).padStart(2, '0')}-${days}`;
        const [first] = buildSchedule({ monthlyRentCents: rent, startDate, termMonths: 1, dueDay: 1, prorateFirstMonth: true });
        expect(first, startDate).toEqual({ number: 1, dueDate: startDate, amountCents: Math.round(rent / days), prorated: true });
      }
    }
    expect(daysInMonth(2028, 2)).toBe(29);
    expect(daysInMonth(2027, 2)).toBe(28);
  });
});

describe('buildSchedule: invalid terms', () => {
  it.each([
    ['a date that does not exist', { startDate: '2027-02-30' }],
    ['a malformed date', { startDate: '2027-2-3' }],
    ['due day 0', { dueDay: 0 }],
    ['due day 32', { dueDay: 32 }],
    ['term 0', { termMonths: 0 }],
    ['fractional cents', { monthlyRentCents: 12.5 }],
    ['zero rent', { monthlyRentCents: 0 }],
  ])('throws a RangeError for %s', (_label, override) => {
    expect(() => buildSchedule({ monthlyRentCents: 100_000, startDate: '2027-01-01', termMonths: 12, dueDay: 1, ...override })).toThrow(RangeError);
  });

  it('refuses terms whose lease would end after 2999-12-31, naming termMonths, and allows one ending on that day', () => {
    const terms = { monthlyRentCents: 100_000, termMonths: 60, dueDay: 31 };
    // Due 2999-12-31 last: the period it pays for ends 3000-01-30.
    expect(() => buildSchedule({ ...terms, startDate: '2995-01-31' })).toThrow(expect.objectContaining({ name: 'ScheduleRangeError', field: 'termMonths' }));
    expect(() => buildSchedule({ ...terms, dueDay: 1, startDate: '2995-01-31' })).toThrow(expect.objectContaining({ field: 'termMonths' }));
    const lastInRange = { ...terms, dueDay: 1, startDate: '2995-01-01' };
    expect(buildSchedule(lastInRange).at(-1)?.dueDate).toBe('2999-12-01');
    expect(leaseEndDate(lastInRange)).toBe('2999-12-31');
  });
});

describe('schedule.ts', () => {
  it('imports nothing, so the browser can run the same function as the server', () => {
    const source = readFileSync(new URL('./schedule.ts', import.meta.url), 'utf8');
    expect(source).not.toMatch(/^\s*import\s/m);
    expect(source).not.toMatch(/\brequire\(/);
  });
});

describe('lateFeeCents', () => {
  it('adds the flat fee and the percentage, rounded half up to whole cents, then caps it', () => {
    expect(lateFeeCents({}, 150_000)).toBe(0);
    expect(lateFeeCents({ lateFeeFlatCents: 5_000 }, 150_000)).toBe(5_000);
    // 5 % of $1,500.00 = $75.00.
    expect(lateFeeCents({ lateFeeBasisPoints: 500 }, 150_000)).toBe(7_500);
    // 1 % of 150 cents is 1.5 cents: half up to 2; of 149 cents 1.49: down to 1.
    expect(lateFeeCents({ lateFeeBasisPoints: 100 }, 150)).toBe(2);
    expect(lateFeeCents({ lateFeeBasisPoints: 100 }, 149)).toBe(1);
    expect(lateFeeCents({ lateFeeFlatCents: 2_500, lateFeeBasisPoints: 500, lateFeeCapCents: 7_000 }, 150_000)).toBe(7_000);
    expect(lateFeeCents({ lateFeeFlatCents: 2_500, lateFeeBasisPoints: 500, lateFeeCapCents: null }, 150_000)).toBe(10_000);
    // The largest inputs stay exact integers.
    expect(lateFeeCents({ lateFeeFlatCents: 100_000_000, lateFeeBasisPoints: 10_000 }, 100_000_000)).toBe(200_000_000);
  });

  it('counts grace days on the calendar, across month and year ends', () => {
    expect(addDays('2027-01-31', 1)).toBe('2027-02-01');
    expect(addDays('2026-12-28', 5)).toBe('2027-01-02');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
  });

  it('refuses late-fee terms out of range', () => {
    const base = { monthlyRentCents: 100_000, startDate: '2027-01-01', termMonths: 1, dueDay: 1 };
    expect(() => buildSchedule({ ...base, graceDays: 61 })).toThrow(RangeError);
    expect(() => buildSchedule({ ...base, lateFeeBasisPoints: 10_001 })).toThrow(RangeError);
    expect(() => buildSchedule({ ...base, lateFeeFlatCents: -1 })).toThrow(RangeError);
  });
});

describe('leaseEndDate', () => {
  const terms = { monthlyRentCents: 100_000, termMonths: 12, dueDay: 1 };
  it('a term starting on its due date ends the day before the same date a term later', () => {
    expect(leaseEndDate({ ...terms, startDate: '2027-01-01' })).toBe('2027-12-31');
  });
  it('a start after the due day ends a term after the first full month begins', () => {
    expect(leaseEndDate({ ...terms, startDate: '2027-01-15' })).toBe('2028-01-31');
    expect(leaseEndDate({ ...terms, startDate: '2027-01-15', prorateFirstMonth: true })).toBe('2028-01-31');
  });
  it('clamped due days end the day before the next clamped due date', () => {
    expect(leaseEndDate({ ...terms, dueDay: 31, termMonths: 1, startDate: '2027-01-31' })).toBe('2027-02-27');
  });
});

describe('isProratedDueDate', () => {
  it('tells the prorated installment from the due date and due day alone, as buildSchedule marks it', () => {
    fc.assert(
      fc.property(anyScheduleTerms(24), (terms) => {
        const schedule = buildSchedule(terms);
        expect(schedule.map((row) => isProratedDueDate(row.dueDate, terms.dueDay))).toEqual(schedule.map((row) => row.prorated));
      }),
      { seed: 20261130, numRuns: 1000 },
    );
  });

  it('reads a clamped due date as a due date', () => {
    expect(isProratedDueDate('2027-02-28', 31)).toBe(false);
    expect(isProratedDueDate('2027-02-27', 31)).toBe(true);
    expect(isProratedDueDate('2028-02-29', 29)).toBe(false);
    expect(isProratedDueDate('2027-01-15', 1)).toBe(true);
  });
});
