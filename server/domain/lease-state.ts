// The lease's state machine — ONE table of allowed transitions, used by every code path
// that changes a lease's status (accept, decline and cancel; complete and default with payments)
// — and the lease's recorded state: the snapshot its events carry and replay rebuilds.
import type { Tx } from '@/server/db';
import type { Lease, Prisma } from '@/server/generated/prisma/client';
import type { LeaseStatus } from '@/server/generated/prisma/enums';
import type { EventActor } from './actor';
import { conflict, notFound } from './errors';
import { appendEvent } from './events';
import { dayFromDate } from './schedule';
import { allows, sourcesOf } from './state-machine';

/** Every allowed status change: from each state, the states it may move to. Nothing else. */
export const LEASE_TRANSITIONS = {
  // The renter accepts (ACTIVE) or declines (DECLINED); the landlord withdraws it (CANCELLED).
  PENDING: ['ACTIVE', 'CANCELLED', 'DECLINED'],
  ACTIVE: ['COMPLETED', 'DEFAULTED'],
  // Reopened: a payment that completed it was returned (an ACH return after finality, e.g. R10).
  COMPLETED: ['ACTIVE'],
  DEFAULTED: [],
  CANCELLED: [],
  DECLINED: [],
} as const satisfies Record<LeaseStatus, readonly LeaseStatus[]>;

/** A state some transition leads to. */
export type LeaseTarget = (typeof LEASE_TRANSITIONS)[LeaseStatus][number];

/** The event recorded on entering each state (named for the state reached, whatever it left). */
export const LEASE_EVENT_ON_ENTERING: Record<LeaseTarget, string> = {
  ACTIVE: 'lease.accepted',
  CANCELLED: 'lease.cancelled',
  DECLINED: 'lease.declined',
  COMPLETED: 'lease.completed',
  DEFAULTED: 'lease.defaulted',
};

export function canTransitionLease(from: LeaseStatus, to: LeaseStatus): boolean {
  return allows<LeaseStatus>(LEASE_TRANSITIONS, from, to);
}

/** Throws CONFLICT naming the current state unless the table allows `from` → `to`. */
export function assertLeaseTransition(from: LeaseStatus, to: LeaseStatus): void {
  if (!canTransitionLease(from, to)) {
    throw conflict(`This lease is ${from}; it cannot become ${to}`);
  }
}

/** The lease as its events record it. Dates are written as in the API: days as YYYY-MM-DD. */
export function leaseSnapshot(lease: Lease) {
  return {
    id: lease.id,
    propertyId: lease.propertyId,
    landlordId: lease.landlordId,
    renterId: lease.renterId,
    renterEmail: lease.renterEmail,
    monthlyRentCents: lease.monthlyRentCents,
    startDate: dayFromDate(lease.startDate),
    termMonths: lease.termMonths,
    dueDay: lease.dueDay,
    prorateFirstMonth: lease.prorateFirstMonth,
    graceDays: lease.graceDays,
    lateFeeFlatCents: lease.lateFeeFlatCents,
    lateFeeBasisPoints: lease.lateFeeBasisPoints,
    lateFeeCapCents: lease.lateFeeCapCents,
    payoffDiscountBasisPoints: lease.payoffDiscountBasisPoints,
    payoutAccountId: lease.payoutAccountId,
    status: lease.status,
    statusReason: lease.statusReason,
    createdAt: lease.createdAt.toISOString(),
  };
}
export type LeaseSnapshot = ReturnType<typeof leaseSnapshot>;

/**
 * Moves a lease to `to` with one conditional update (`WHERE status IN (states allowed to
 * reach it)`), so of two concurrent transitions from the same state exactly one wins, and
 * records its event. `scope` restricts which leases the caller may touch (the renter named,
 * the landlord owning it; empty for the system): outside it the lease is NOT_FOUND.
 */
export async function transitionLease(
  tx: Tx,
  actor: EventActor,
  input: {
    id: string;
    scope: Prisma.LeaseWhereInput;
    to: LeaseTarget;
    reason?: string;
    /** Only from these of the states the table allows (acceptance: PENDING only, never a reopening). */
    from?: readonly LeaseStatus[];
    /** The event's type when it is not the usual one for `to` ('lease.reopened'). */
    eventType?: string;
    /** Columns set with the transition (acceptance names the renter). */
    data?: { renterId?: string };
  },
): Promise<Lease> {
  const sources = sourcesOf<LeaseStatus>(LEASE_TRANSITIONS, input.to).filter((status) => !input.from || input.from.includes(status));
  const [updated] = await tx.lease.updateManyAndReturn({
    where: { ...input.scope, id: input.id, status: { in: sources } },
    data: { ...input.data, status: input.to, statusReason: input.reason ?? null },
  });
  if (!updated) {
    const current = await tx.lease.findFirst({ where: { ...input.scope, id: input.id }, select: { status: true } });
    if (!current) throw notFound('Lease');
    if (input.from && !input.from.includes(current.status)) throw conflict(`This lease is ${current.status}; it cannot become ${input.to}`);
    assertLeaseTransition(current.status, input.to);
    // Allowed now, but not when the update ran: another request moved it in between.
    throw conflict('This lease changed while your request was running; reload it and try again');
  }
  await appendEvent(tx, { aggregateType: 'Lease', aggregateId: updated.id, type: input.eventType ?? LEASE_EVENT_ON_ENTERING[input.to], actor, reason: input.reason, data: leaseSnapshot(updated) });
  return updated;
}
