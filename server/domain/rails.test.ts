import { describe, expect, it } from 'vitest';
import { settlementStanding } from './rails';

describe('settlementStanding', () => {
  const at = new Date('2026-12-04T04:59:59.999Z');
  it('is final once finalAt is set, returnable while settled ACH is inside its window, and never final once returned', () => {
    expect(settlementStanding({ status: 'PROCESSING', finalAt: null, returnableUntil: null })).toEqual({ final: false, returnable: false });
    expect(settlementStanding({ status: 'COMPLETED', finalAt: null, returnableUntil: at })).toEqual({ final: false, returnable: true });
    expect(settlementStanding({ status: 'COMPLETED', finalAt: at, returnableUntil: at })).toEqual({ final: true, returnable: false });
    // RTP and wire: final when settled, no window.
    expect(settlementStanding({ status: 'COMPLETED', finalAt: at, returnableUntil: null })).toEqual({ final: true, returnable: false });
    // An R10 after finality: RETURNED, finalAt kept, not final (the as-of view reads the same).
    expect(settlementStanding({ status: 'RETURNED', finalAt: at.toISOString(), returnableUntil: at.toISOString() })).toEqual({ final: false, returnable: false });
  });
});
