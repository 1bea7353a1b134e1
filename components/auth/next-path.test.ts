import { describe, expect, it } from 'vitest';
import { nextPath, signInPath } from './next-path';

describe('nextPath', () => {
  it('keeps a path on this site, with its query and fragment', () => {
    expect(nextPath('/renter/leases/1b2c?asOf=2027-01-05T20%3A04%3A05.000Z#autopay')).toBe('/renter/leases/1b2c?asOf=2027-01-05T20%3A04%3A05.000Z#autopay');
    expect(nextPath('/verify-email?token=abc')).toBe('/verify-email?token=abc');
  });

  it.each([
    ['//evil.com', 'protocol-relative'],
    ['///evil.com', 'three slashes'],
    ['/\\evil.com', 'a backslash browsers read as a slash'],
    ['https://evil.com', 'another origin'],
    ['javascript:alert(1)', 'a script URL'],
    ['/\t/evil.com', 'a tab browsers strip'],
    ['/\n/evil.com', 'a newline browsers strip'],
    ['/.//evil.com', 'a dot segment that collapses to two slashes'],
    ['/..//evil.com', 'a parent segment that collapses to two slashes'],
    ['/%2e%2e//evil.com', 'an encoded parent segment'],
    ['/a/..//evil.com', 'a segment and its parent'],
    ['evil.com', 'no leading slash'],
    ['', 'empty'],
  ])('drops %j (%s)', (value) => {
    expect(nextPath(value)).toBeUndefined();
  });

  it('drops anything that is not one string', () => {
    expect(nextPath(undefined)).toBeUndefined();
    expect(nextPath(['/a', '/b'])).toBeUndefined();
  });
});

describe('signInPath', () => {
  it('returns to the page that asked, and only to our own pages', () => {
    expect(signInPath('/settings')).toBe('/sign-in?next=%2Fsettings');
    expect(signInPath('/payments/9?asOf=x')).toBe('/sign-in?next=%2Fpayments%2F9%3FasOf%3Dx');
    expect(signInPath('//evil.com')).toBe('/sign-in');
    expect(signInPath('/')).toBe('/sign-in');
    expect(signInPath(undefined)).toBe('/sign-in');
  });
});
