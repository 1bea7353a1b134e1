import { describe, expect, it } from 'vitest';
import { balanceWords, formatBasisPoints, formatDate, formatDateTime, formatEastern, formatEasternBy, formatMonth, statusLabel } from './format';

describe('statusLabel', () => {
  it.each([
    ['ACTIVE', 'Active'],
    ['PROCESSING', 'Processing'],
    ['IN_PROGRESS', 'In progress'],
  ])('writes %s as %j', (status, label) => {
    expect(statusLabel(status)).toBe(label);
  });
});

describe('date formats (one Intl.DateTimeFormat each, made once)', () => {
  // What each function wrote when it called toLocale*String with its options on every call.
  const east = { timeZone: 'America/New_York', weekday: 'short', month: 'short', day: 'numeric' } as const;
  const instants = Array.from({ length: 400 }, (_, n) => new Date(Date.UTC(2019, 0, 1) + n * 7_919_993_117));

  it('write instants as toLocaleString did, all in New York time and labelled ET', () => {
    for (const at of instants) {
      expect(formatDateTime(at)).toBe(`${at.toLocaleString('en-US', { timeZone: 'America/New_York', month: 'short', day: 'numeric', year: 'numeric', hour: 'numeric', minute: '2-digit', second: '2-digit' })} ET`);
      expect(formatEastern(at.toISOString())).toBe(`${at.toLocaleString('en-US', { ...east, year: 'numeric', hour: 'numeric', minute: '2-digit' })} ET`);
      expect(formatEastern(at, { year: false })).toBe(`${at.toLocaleString('en-US', { ...east, hour: 'numeric', minute: '2-digit' })} ET`);
      expect(formatEasternBy(at)).toBe(`${at.toLocaleDateString('en-US', east)} by ${at.toLocaleTimeString('en-US', { timeZone: 'America/New_York', hour: 'numeric', minute: '2-digit' })} ET`);
    }
    expect(formatEastern('2026-12-28T13:30:00.000Z')).toBe('Mon, Dec 28, 2026, 8:30 AM ET');
    expect(formatEasternBy('2026-12-28T13:30:00.000Z')).toBe('Mon, Dec 28 by 8:30 AM ET');
    // The same text whatever zone the server or the browser runs in.
    expect(formatDateTime('2026-11-30T06:50:43.000Z')).toBe('Nov 30, 2026, 1:50:43 AM ET');
    expect(formatDateTime(new Date('2026-07-04T16:00:00.000Z'))).toBe('Jul 4, 2026, 12:00:00 PM ET');
  });

  it('write calendar dates and months without a time zone shift', () => {
    expect(formatDate('2027-03-01')).toBe('Mar 1, 2027');
    expect(formatDate('2026-12-31')).toBe('Dec 31, 2026');
    expect(formatMonth('2026-11')).toBe('Nov 2026');
    expect(formatMonth('2027-01')).toBe('Jan 2027');
  });
});

describe('balanceWords', () => {
  it('says what is owed, or the credit of rent paid ahead, without a minus sign', () => {
    expect(balanceWords(300_000)).toEqual({ label: 'Balance', amount: '$3,000.00' });
    expect(balanceWords(0)).toEqual({ label: 'Balance', amount: '$0.00' });
    expect(balanceWords(-150_000)).toEqual({ label: 'Credit', amount: '$1,500.00' });
    expect(balanceWords(-1)).toEqual({ label: 'Credit', amount: '$0.01' });
  });
});

describe('formatBasisPoints', () => {
  it('reads basis points as a percentage (1 bp = 0.01 %)', () => {
    expect([200, 250, 5, 0, 10_000, 33].map(formatBasisPoints)).toEqual(['2%', '2.5%', '0.05%', '0%', '100%', '0.33%']);
  });
});
