import { describe, expect, it } from 'vitest';
import { buildSchedule } from '@/server/domain/schedule';
import { dueDayText, firstMonthText, ordinal } from './lease-format';

describe('ordinal', () => {
  it.each([
    [1, '1st'],
    [2, '2nd'],
    [3, '3rd'],
    [4, '4th'],
    [11, '11th'],
    [12, '12th'],
    [13, '13th'],
    [21, '21st'],
    [22, '22nd'],
    [23, '23rd'],
    [30, '30th'],
    [31, '31st'],
  ])('writes %i as %s', (day, text) => {
    expect(ordinal(day)).toBe(text);
  });
});

describe('dueDayText', () => {
  it('says what happens in shorter months only for days past the 28th', () => {
    expect(dueDayText(28)).toBe('the 28th of each month');
    expect(dueDayText(29)).toBe('the 29th of each month (the last day in shorter months)');
  });
});

describe('firstMonthText', () => {
  // Found by a tester: a lease starting on its due day, prorating asked, read "Prorated by days" with no prorated installment.
  it.each([
    [{ prorateFirstMonth: false, startDate: '2027-01-15', dueDay: 1 }, 'Full rent'],
    [{ prorateFirstMonth: true, startDate: '2027-01-15', dueDay: 1 }, 'Prorated by days'],
    [{ prorateFirstMonth: true, startDate: '2026-12-30', dueDay: 30 }, 'Full rent (the lease starts on its due day)'],
    [{ prorateFirstMonth: true, startDate: '2027-02-28', dueDay: 31 }, 'Full rent (the lease starts on its due day)'],
    // A tester's case: one cent a month from Jan 31, due on the 1st: one day of a cent rounds to nothing.
    [{ prorateFirstMonth: true, startDate: '2027-01-31', dueDay: 1, monthlyRentCents: 1 }, 'Full rent (the prorated days come to less than a cent)'],
  ])('%o reads %s, as its schedule has it', (given, text) => {
    const lease = { monthlyRentCents: 100_000, termMonths: 3, ...given };
    expect(firstMonthText(lease)).toBe(text);
    const schedule = buildSchedule(lease);
    expect(schedule.some((installment) => installment.prorated)).toBe(text === 'Prorated by days');
  });
});
