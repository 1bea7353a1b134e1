import { describe, expect, it } from 'vitest';
import { buildSchedule } from '@/server/domain/schedule';
import { dueDayText, ordinal, withProration } from './lease-format';

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

describe('withProration', () => {
  // The stored schedule does not say which installment is prorated; this must agree with buildSchedule, which does.
  it.each([
    { startDate: '2027-01-15', dueDay: 1, prorateFirstMonth: true },
    { startDate: '2027-01-01', dueDay: 1, prorateFirstMonth: true },
    { startDate: '2027-01-15', dueDay: 1, prorateFirstMonth: false },
    { startDate: '2027-02-28', dueDay: 31, prorateFirstMonth: true },
    { startDate: '2027-03-31', dueDay: 31, prorateFirstMonth: true },
  ])('marks the same installment as buildSchedule for %j', (terms) => {
    const lease = { ...terms, monthlyRentCents: 120_000, termMonths: 6 };
    const built = buildSchedule(lease);
    const stored = built.map(({ number, dueDate, amountCents }) => ({ number, dueDate, amountCents, status: 'DUE' }));
    expect(withProration(stored, lease).map((row) => row.prorated)).toEqual(built.map((row) => row.prorated));
  });
});
