import { describe, expect, it } from 'vitest';
import { statusLabel } from './format';

describe('statusLabel', () => {
  it.each([
    ['ACTIVE', 'Active'],
    ['PROCESSING', 'Processing'],
    ['IN_PROGRESS', 'In progress'],
  ])('writes %s as %j', (status, label) => {
    expect(statusLabel(status)).toBe(label);
  });
});
