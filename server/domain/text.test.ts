import { describe, expect, it } from 'vitest';
import { countText } from './text';

describe('countText', () => {
  it('says a count with its noun: one in the singular, any other in the plural (history reasons read "3 grace days", not "3 grace day(s)")', () => {
    expect([0, 1, 2, 28].map((count) => countText(count, 'day'))).toEqual(['0 days', '1 day', '2 days', '28 days']);
    expect(countText(1, 'grace day')).toBe('1 grace day');
    expect(countText(3, 'person', 'people')).toBe('3 people');
  });
});
