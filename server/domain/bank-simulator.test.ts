import { describe, expect, it } from 'vitest';
import { decideSettlement, TransientBankError } from './bank-simulator';

describe('the bank simulator', () => {
  it('forces outcomes by the sending account’s last four digits, with the rail’s own codes', () => {
    expect(decideSettlement({ rail: 'RTP', fromLast4: '0000', attempt: 0 }, 0)).toEqual({ ok: true });
    expect(decideSettlement({ rail: 'STANDARD_ACH', fromLast4: '0001', attempt: 0 }, 1)).toEqual({ ok: false, code: 'R01', reason: 'Insufficient funds in the sending account' });
    expect(decideSettlement({ rail: 'SAME_DAY_ACH', fromLast4: '0002', attempt: 0 }, 1)).toMatchObject({ ok: false, code: 'R02' });
    expect(decideSettlement({ rail: 'STANDARD_ACH', fromLast4: '0003', attempt: 0 }, 1)).toMatchObject({ ok: false, code: 'R03' });
    expect(decideSettlement({ rail: 'STANDARD_ACH', fromLast4: '0029', attempt: 0 }, 1)).toMatchObject({ ok: false, code: 'R29' });
    expect(decideSettlement({ rail: 'RTP', fromLast4: '0001', attempt: 0 }, 1)).toMatchObject({ ok: false, code: 'AM04' });
    expect(decideSettlement({ rail: 'WIRE', fromLast4: '0002', attempt: 0 }, 1)).toMatchObject({ ok: false, code: 'AC04' });
  });

  it('settles …0011 and …0010 over ACH with a later R01 / R10 return; over RTP and wire they simply settle', () => {
    expect(decideSettlement({ rail: 'STANDARD_ACH', fromLast4: '0011', attempt: 0 }, 0)).toEqual({ ok: true, laterReturn: { code: 'R01', afterBankingDays: 1 } });
    expect(decideSettlement({ rail: 'SAME_DAY_ACH', fromLast4: '0010', attempt: 0 }, 0)).toEqual({ ok: true, laterReturn: { code: 'R10', afterBankingDays: 10 } });
    expect(decideSettlement({ rail: 'RTP', fromLast4: '0011', attempt: 0 }, 0)).toEqual({ ok: true });
    expect(decideSettlement({ rail: 'WIRE', fromLast4: '0010', attempt: 0 }, 0)).toEqual({ ok: true });
  });

  it('throws a transient error on the first question for …0408 and settles on the retry', () => {
    expect(() => decideSettlement({ rail: 'RTP', fromLast4: '0408', attempt: 0 }, 1)).toThrow(TransientBankError);
    expect(decideSettlement({ rail: 'RTP', fromLast4: '0408', attempt: 1 }, 1)).toEqual({ ok: true });
  });

  it('lets the configured share of other payments succeed and fails the rest with a return code', () => {
    const sequence = [0.95, 0.1];
    const random = () => sequence.shift()!;
    expect(decideSettlement({ rail: 'STANDARD_ACH', fromLast4: '4321', attempt: 0 }, 0.9, random)).toEqual({ ok: false, code: 'R01', reason: expect.any(String) });
    expect(decideSettlement({ rail: 'STANDARD_ACH', fromLast4: '4321', attempt: 0 }, 0.9, () => 0.5)).toEqual({ ok: true });
    expect(decideSettlement({ rail: 'RTP', fromLast4: '4321', attempt: 0 }, 0, () => 0.999)).toMatchObject({ ok: false, code: 'AG01' });
  });
});
