import { describe, expect, it } from 'vitest';
import { canTransitionPayment, PAYMENT_EVENT_ON_ENTERING, PAYMENT_TRANSITIONS } from './payment-state';
import type { PaymentStatus } from '@/server/generated/prisma/enums';

const STATUSES = Object.keys(PAYMENT_TRANSITIONS) as PaymentStatus[];

describe('the payment state machine', () => {
  it('allows exactly these transitions', () => {
    const allowed = STATUSES.flatMap((from) => STATUSES.filter((to) => canTransitionPayment(from, to)).map((to) => `${from}→${to}`));
    expect(allowed).toEqual(['PENDING→PROCESSING', 'PENDING→CANCELLED', 'PROCESSING→COMPLETED', 'PROCESSING→FAILED', 'COMPLETED→RETURNED']);
  });

  it('names one event for every state a transition reaches', () => {
    const targets = new Set(STATUSES.flatMap((from) => PAYMENT_TRANSITIONS[from]));
    expect(Object.keys(PAYMENT_EVENT_ON_ENTERING).sort()).toEqual([...targets].sort());
  });
});
