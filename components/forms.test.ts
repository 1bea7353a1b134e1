import { TRPCClientError } from '@trpc/client';
import { describe, expect, it } from 'vitest';
import { centsFromDollars, messageOf } from './forms';

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

describe('messageOf', () => {
  it('says the portal cannot be reached when the request never got an answer, also wrapped by tRPC', () => {
    const offline = new TypeError('Failed to fetch');
    expect(messageOf(offline)).toBe('Cannot reach DirectPay. Check your connection and try again.');
    expect(messageOf(TRPCClientError.from(offline))).toBe('Cannot reach DirectPay. Check your connection and try again.');
  });

  it('passes the server’s own words through, but not an internal error’s', () => {
    const conflict = TRPCClientError.from({ error: { message: 'Installment 1 is already paid', code: -32009, data: { code: 'CONFLICT' } } });
    expect(messageOf(conflict)).toBe('Installment 1 is already paid');
    const internal = TRPCClientError.from({ error: { message: 'relation "Payment" does not exist', code: -32603, data: { code: 'INTERNAL_SERVER_ERROR' } } });
    expect(messageOf(internal)).toBe('Something went wrong on our side. Please try again.');
  });
});
