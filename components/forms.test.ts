import { TRPCClientError } from '@trpc/client';
import { describe, expect, it } from 'vitest';
import { centsFromDollars, formErrors, messageOf } from './forms';

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

describe('formErrors', () => {
  const badRequest = (message: string, fieldErrors: Record<string, string[]> | null) =>
    TRPCClientError.from({ error: { message, code: -32600, data: { code: 'BAD_REQUEST', fieldErrors } } });

  it('shows nothing before the form was sent', () => {
    expect(formErrors(null, {})).toEqual({ errors: {}, topMessage: null });
  });

  it('puts the server’s field errors next to their fields, with no message on top', () => {
    const error = badRequest('The payout account is deactivated', { payoutAccountId: ['this account is deactivated'] });
    expect(formErrors(error, {})).toEqual({ errors: { payoutAccountId: ['this account is deactivated'] }, topMessage: null });
  });

  it('lets the browser’s own check of a field win over the server’s older word on it', () => {
    const error = badRequest('Routing number is not valid', { routingNumber: ['is not a valid ABA routing number'], nickname: ['is taken'] });
    expect(formErrors(error, { routingNumber: ['must be 9 digits'] }).errors).toEqual({ routingNumber: ['must be 9 digits'], nickname: ['is taken'] });
  });

  it('shows a refusal that names no field on top, beside the browser’s field errors', () => {
    const error = badRequest('This lease is no longer pending', null);
    expect(formErrors(error, { reason: ['say why'] })).toEqual({ errors: { reason: ['say why'] }, topMessage: 'This lease is no longer pending' });
  });

  it('words a failure that is not from the API as messageOf does', () => {
    expect(formErrors(new TypeError('Failed to fetch'), {}).topMessage).toBe('Cannot reach DirectPay. Check your connection and try again.');
  });
});
