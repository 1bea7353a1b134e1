import { describe, expect, it } from 'vitest';
import { runResultOf } from '@/inngest/engine/read';
import { runResultText } from './run-result';

const read = (output: unknown) => {
  const result = runResultOf(output);
  return result && { text: runResultText(result), failed: result.failed, reason: result.reason };
};

describe('what a completed run reports', () => {
  it("reads a settlement's output: the payment's status, the bank's code and reason, failed in red", () => {
    expect(read({ paymentId: 'p', settled: true, status: 'FAILED', outcome: { ok: false, code: 'AC04', reason: 'Closed account' } })).toEqual({
      text: 'Payment failed (AC04)',
      failed: true,
      reason: 'Closed account',
    });
    expect(read({ paymentId: 'p', settled: true, status: 'COMPLETED', outcome: { ok: true } })).toEqual({ text: 'Payment completed', failed: false, reason: null });
    // An ACH payment returned before it became final: the output's status is the payment's at the end.
    expect(read({ paymentId: 'p', status: 'RETURNED', outcome: { ok: true, laterReturn: { code: 'R01', afterBankingDays: 2 } } })).toMatchObject({ text: 'Payment returned', failed: true });
    expect(read({ paymentId: 'p', status: 'CANCELLED', note: 'no longer pending; left untouched' })).toMatchObject({ text: 'Payment cancelled', failed: false });
  });

  it('reads any function that reports an outcome, with or without a subject', () => {
    expect(read({ leaseId: 'l', status: 'DEFAULTED' })).toMatchObject({ text: 'Lease defaulted', failed: true });
    expect(read({ outcome: 'delivered' })).toMatchObject({ text: 'Delivered', failed: false });
    expect(read({ outcome: { ok: false, code: 'E1', reason: 'no' } })).toMatchObject({ text: 'Failed (E1)', failed: true });
    expect(read({ status: 'failed', code: 'X9', reason: 'top level' })).toEqual({ text: 'Failed (X9)', failed: true, reason: 'top level' });
  });

  it('reports nothing for outputs without a status or outcome', () => {
    for (const output of [null, undefined, 'recovered', 42, [1, 2], { a: 1 }, { status: '' }, { status: 3 }]) expect(runResultOf(output)).toBeNull();
  });
});
