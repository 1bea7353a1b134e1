import { describe, expect, it } from 'vitest';
import { asOfHref, fromEasternInput, parseAsOf, toEasternInput } from './as-of';

describe('as of', () => {
  it('reads New York wall-clock time both ways, across daylight saving time', () => {
    expect(fromEasternInput('2027-01-05T15:04:05')).toEqual(new Date('2027-01-05T20:04:05Z'));
    expect(fromEasternInput('2027-07-05T15:04')).toEqual(new Date('2027-07-05T19:04:00Z'));
    expect(toEasternInput(new Date('2027-01-05T20:04:05.600Z'))).toBe('2027-01-05T15:04:05');
    expect(toEasternInput(new Date('2027-07-05T19:04:00Z'))).toBe('2027-07-05T15:04:00');
    expect(fromEasternInput('')).toBeNull();
    expect(fromEasternInput('2027-01-05')).toBeNull();
  });

  it('takes only an ISO instant with its offset from the URL', () => {
    expect(parseAsOf('2026-01-05T20:04:05.000Z')).toEqual(new Date('2026-01-05T20:04:05Z'));
    expect(parseAsOf('2026-01-05T15:04:05-05:00')).toEqual(new Date('2026-01-05T20:04:05Z'));
    for (const bad of [undefined, null, '', 'yesterday', '2027-01-05', '2027-01-05T15:04:05', ['2027-01-05T20:04:05Z']]) expect(parseAsOf(bad)).toBeNull();
    expect(asOfHref('/renter/leases/x', new Date('2027-01-05T20:04:05Z'))).toBe('/renter/leases/x?asOf=2027-01-05T20%3A04%3A05.000Z');
    expect(asOfHref('/renter/leases/x', null)).toBe('/renter/leases/x');
  });

  it('reads an instant in the future as now, the live view: history has nothing there yet', () => {
    expect(parseAsOf(new Date(Date.now() + 5 * 60_000).toISOString())).toBeNull();
    expect(parseAsOf('2999-01-01T00:00:00Z')).toBeNull();
  });

  it('takes exactly what the API takes as asOf: a day that does not exist is no instant (it read as Mar 2)', () => {
    expect(parseAsOf('2026-02-30T12:00:00Z')).toBeNull();
    expect(parseAsOf('1899-12-31T12:00:00Z')).toBeNull();
    expect(parseAsOf('2026-02-28T12:00:00Z')).toEqual(new Date('2026-02-28T12:00:00Z'));
  });
});
