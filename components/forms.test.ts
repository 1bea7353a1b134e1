import { describe, expect, it } from 'vitest';
import { centsFromDollars } from './forms';

describe('centsFromDollars', () => {
  it.each([
    ['1500', 150_000],
    ['1500.5', 150_050],
    ['1500.05', 150_005],
    ['$1,500.00', 150_000],
    [' 0.99 ', 99],
    ['1,000,000', 100_000_000],
    ['0', 0],
  ])('reads %j as %i cents', (text, cents) => {
    expect(centsFromDollars(text)).toBe(cents);
  });

  it.each(['', 'abc', '1.234', '-5', '1,50', '12,3456', '1e3', '.5', '99999999999999999999'])('refuses %j', (text) => {
    expect(centsFromDollars(text)).toBeNull();
  });
});
