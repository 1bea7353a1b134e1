import { describe, expect, it } from 'vitest';
import { dueDayText, ordinal } from './lease-format';

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
