// The portal's payment wording and arithmetic, and the attempt key that makes the pay-rent
// form idempotent across double clicks and refreshes.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { attemptKey, endAttempt } from './attempt-key';
import { arrivalText, durationText, progressPercent, returnText } from './payment-format';
import { paymentFiltersOf, paymentListPath } from './payment-routes';

describe('durationText', () => {
  it.each([
    [75, 'under a second'],
    [1_500, 'about 2 seconds'],
    [30_000, 'about 30 seconds'],
    [180_000, 'about 3 minutes'],
    [2 * 24 * 60 * 60_000, 'about 2 days'],
  ])('%i ms reads %j', (ms, text) => {
    expect(durationText(ms)).toBe(text);
  });
});

describe('returnText', () => {
  const ach = { final: false, rail: 'STANDARD_ACH' as const, railName: 'Standard ACH', returnableUntil: null };

  it('says RTP and wire are final, ACH returnable for its window, and a failed payment moved nothing', () => {
    expect(returnText({ final: true, rail: 'RTP', railName: 'Instant (RTP)', status: 'COMPLETED', returnableUntil: null })).toBe('No: Instant (RTP) payments are final once sent.');
    expect(returnText({ ...ach, status: 'PROCESSING' })).toBe('Yes, until the end of the 2nd banking day after it settles (ACH).');
    expect(returnText({ ...ach, status: 'FAILED' })).toBe('Nothing to return: no money moved.');
  });

  it('gives a settled ACH payment its deadline in New York time, says when it is final, and names a return’s code', () => {
    const returnableUntil = new Date('2026-12-02T04:59:59.999Z');
    expect(returnText({ ...ach, status: 'COMPLETED', returnableUntil })).toBe('Yes, until Tue, Dec 1, 2026, 11:59 PM ET (ACH).');
    expect(returnText({ ...ach, final: true, status: 'COMPLETED', returnableUntil })).toBe('No longer: final since its return window ended Tue, Dec 1, 2026, 11:59 PM ET.');
    expect(returnText({ ...ach, status: 'RETURNED', returnableUntil, failureCode: 'R01' })).toBe('It was returned by the sending bank (R01).');
  });
});

describe('arrivalText', () => {
  it('reads a quote as the pay-rent form shows it', () => {
    expect(arrivalText({ expectedSettlementAt: new Date('2026-12-28T13:30:00Z') })).toBe('arrives Mon, Dec 28 by 8:30 AM ET');
  });
});

describe('progressPercent', () => {
  const createdAt = new Date('2027-01-01T00:00:00Z');
  const expectedSettlementAt = new Date('2027-01-01T00:00:10Z');
  const at = (seconds: number) => createdAt.getTime() + seconds * 1000;

  it('fills toward the expected settlement but is never full before the bank answers', () => {
    expect(progressPercent({ status: 'PENDING', createdAt, expectedSettlementAt }, at(0))).toBe(0);
    expect(progressPercent({ status: 'PROCESSING', createdAt, expectedSettlementAt }, at(5))).toBe(50);
    expect(progressPercent({ status: 'PROCESSING', createdAt, expectedSettlementAt }, at(60))).toBe(95);
    expect(progressPercent({ status: 'COMPLETED', createdAt, expectedSettlementAt }, at(5))).toBe(100);
    expect(progressPercent({ status: 'FAILED', createdAt, expectedSettlementAt }, at(5))).toBe(0);
  });
});

describe('payment list filters in the URL', () => {
  const leaseId = '3f1c2b8e-5d4a-4e1b-9c0d-2a7b6e5f4d3c';

  it('round-trip through the path, and anything malformed is dropped', () => {
    const path = paymentListPath('LANDLORD', { status: 'FAILED', rail: 'RTP', leaseId });
    expect(path).toBe(`/landlord/payments?status=FAILED&rail=RTP&lease=${leaseId}`);
    const params = Object.fromEntries(new URL(path, 'http://x').searchParams);
    expect(paymentFiltersOf(params)).toEqual({ status: 'FAILED', rail: 'RTP', leaseId, installmentId: undefined });
    expect(paymentFiltersOf({ status: 'PAID', rail: 'CHECK', lease: 'not-an-id', installment: ['a', 'b'] })).toEqual({
      status: undefined,
      rail: undefined,
      leaseId: undefined,
      installmentId: undefined,
    });
  });
});

describe('attemptKey', () => {
  // The browser's sessionStorage, for this node test run.
  const stored = new Map<string, string>();
  beforeEach(() => {
    stored.clear();
    globalThis.sessionStorage = {
      getItem: (key: string) => stored.get(key) ?? null,
      setItem: (key: string, value: string) => void stored.set(key, value),
      removeItem: (key: string) => void stored.delete(key),
    } as Storage;
  });
  afterEach(() => {
    Reflect.deleteProperty(globalThis, 'sessionStorage');
  });

  it('is the same for every call of one attempt (a double click, a refresh) and new after the attempt ends', () => {
    const first = attemptKey('installment:1');
    expect(first).toMatch(/^pay_[0-9a-f]{32}$/);
    expect(attemptKey('installment:1')).toBe(first);
    expect(attemptKey('installment:2')).not.toBe(first);
    endAttempt('installment:1');
    expect(attemptKey('installment:1')).not.toBe(first);
  });

  it('still gives a key when storage is unavailable', () => {
    Reflect.deleteProperty(globalThis, 'sessionStorage');
    expect(attemptKey('installment:1')).toMatch(/^pay_[0-9a-f]{32}$/);
    expect(() => endAttempt('installment:1')).not.toThrow();
  });
});
