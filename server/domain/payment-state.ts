// The payment's state machine — ONE table of allowed transitions used by every code path
// (renter cancel, the settlement function, ACH returns) — and the payment's recorded
// state: the snapshot its events carry and replay rebuilds.
import type { Tx } from '@/server/db';
import type { Payment, Prisma } from '@/server/generated/prisma/client';
import type { PaymentStatus } from '@/server/generated/prisma/enums';
import { allows, sourcesOf } from './state-machine';

export const PAYMENT_TRANSITIONS = {
  PENDING: ['PROCESSING', 'CANCELLED'],
  PROCESSING: ['COMPLETED', 'FAILED'],
  // ACH only, within the return window of its code (returns.ts decides; calendar.ts `returnDeadline`).
  COMPLETED: ['RETURNED'],
  FAILED: [],
  CANCELLED: [],
  RETURNED: [],
} as const satisfies Record<PaymentStatus, readonly PaymentStatus[]>;

export type PaymentTarget = (typeof PAYMENT_TRANSITIONS)[PaymentStatus][number];

/** The event recorded on entering each state. */
export const PAYMENT_EVENT_ON_ENTERING: Record<PaymentTarget, string> = {
  PROCESSING: 'payment.submitted',
  COMPLETED: 'payment.completed',
  FAILED: 'payment.failed',
  CANCELLED: 'payment.cancelled',
  RETURNED: 'payment.returned',
};

export function canTransitionPayment(from: PaymentStatus, to: PaymentStatus): boolean {
  return allows<PaymentStatus>(PAYMENT_TRANSITIONS, from, to);
}

/** The payment as its events record it. The idempotency key is the caller's, not history. */
export function paymentSnapshot(payment: Payment) {
  return {
    id: payment.id,
    kind: payment.kind,
    installmentId: payment.installmentId,
    leaseId: payment.leaseId,
    renterId: payment.renterId,
    landlordId: payment.landlordId,
    fromAccountId: payment.fromAccountId,
    toAccountId: payment.toAccountId,
    rail: payment.rail,
    amountCents: payment.amountCents,
    feeCents: payment.feeCents,
    discountCents: payment.discountCents,
    status: payment.status,
    failureCode: payment.failureCode,
    failureReason: payment.failureReason,
    attempt: payment.attempt,
    submitAt: payment.submitAt.toISOString(),
    expectedSettlementAt: payment.expectedSettlementAt.toISOString(),
    submittedAt: payment.submittedAt?.toISOString() ?? null,
    settledAt: payment.settledAt?.toISOString() ?? null,
    returnableUntil: payment.returnableUntil?.toISOString() ?? null,
    finalAt: payment.finalAt?.toISOString() ?? null,
    returnedAt: payment.returnedAt?.toISOString() ?? null,
    createdAt: payment.createdAt.toISOString(),
  };
}
export type PaymentSnapshot = ReturnType<typeof paymentSnapshot>;

/**
 * Moves a payment to `to` with one conditional update (`WHERE status IN (states allowed to
 * reach it)`), so a repeated or concurrent transition changes nothing. Returns the updated
 * payment, or null when the payment (within `scope`) was not in a state that may move there.
 * The caller writes the event (together with its other events, in one appendEvents call).
 */
export async function transitionPayment(
  tx: Tx,
  input: { id: string; scope?: Prisma.PaymentWhereInput; to: PaymentTarget; data?: Omit<Prisma.PaymentUpdateManyMutationInput, 'status'> },
): Promise<Payment | null> {
  const [updated] = await tx.payment.updateManyAndReturn({
    where: { ...input.scope, id: input.id, status: { in: sourcesOf<PaymentStatus>(PAYMENT_TRANSITIONS, input.to) } },
    data: { ...input.data, status: input.to },
  });
  return updated ?? null;
}
