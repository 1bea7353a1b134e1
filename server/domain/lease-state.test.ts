import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { db } from '@/server/db';
import { apiAs, createUser } from '@/server/testing/api';
import { asOwner } from '@/server/testing/database';
import { offerLease } from '@/server/testing/leasing';
import { LeaseStatus } from '@/server/generated/prisma/enums';
import { SYSTEM_ACTOR } from './actor';
import { DomainError } from './errors';
import { assertLeaseTransition, canTransitionLease, LEASE_EVENT_ON_ENTERING, transitionLease } from './lease-state';

const STATUSES = Object.values(LeaseStatus);
// COMPLETED→ACTIVE: reopened when a payment that completed it is returned (returns.ts).
const ALLOWED = ['PENDING→ACTIVE', 'PENDING→CANCELLED', 'PENDING→DECLINED', 'ACTIVE→COMPLETED', 'ACTIVE→DEFAULTED', 'COMPLETED→ACTIVE'];

describe('the lease transition table', () => {
  it('allows exactly PENDING→ACTIVE|CANCELLED|DECLINED, ACTIVE→COMPLETED|DEFAULTED and COMPLETED→ACTIVE', () => {
    const allowed = STATUSES.flatMap((from) => STATUSES.filter((to) => canTransitionLease(from, to)).map((to) => `${from}→${to}`));
    expect(allowed.sort()).toEqual([...ALLOWED].sort());
  });

  it('refuses every other pair with CONFLICT naming the current state', () => {
    for (const from of STATUSES) {
      for (const to of STATUSES) {
        if (ALLOWED.includes(`${from}→${to}`)) {
          expect(() => assertLeaseTransition(from, to)).not.toThrow();
          continue;
        }
        let thrown: unknown;
        try {
          assertLeaseTransition(from, to);
        } catch (error) {
          thrown = error;
        }
        expect(thrown).toBeInstanceOf(DomainError);
        expect(thrown).toMatchObject({ code: 'CONFLICT', message: `This lease is ${from}; it cannot become ${to}` });
      }
    }
  });

  it('names an event for every state a transition can reach', () => {
    expect(LEASE_EVENT_ON_ENTERING).toEqual({ ACTIVE: 'lease.accepted', CANCELLED: 'lease.cancelled', COMPLETED: 'lease.completed', DEFAULTED: 'lease.defaulted', DECLINED: 'lease.declined' });
  });
});

describe('transitionLease', () => {
  async function pendingLease() {
    const renter = await createUser('RENTER');
    const { lease } = await offerLease(await apiAs(await createUser('LANDLORD')), renter.email);
    return { renter, lease };
  }

  it('lets the system complete an active lease, recording one event with the system as actor', async () => {
    const { renter, lease } = await pendingLease();
    await db.$transaction((tx) => transitionLease(tx, { id: renter.id, role: 'RENTER' }, { id: lease.id, scope: { renterId: null, renterEmail: renter.email }, to: 'ACTIVE', data: { renterId: renter.id } }));
    // Paid in full behind the rule that wants a completed payment for each of its installments: the move is what this tests.
    await asOwner([[`update "Installment" set status = 'PAID' where "leaseId" = $1`, [lease.id]]], { without: [['Installment', 'Installment_status_as_its_payments']] });
    const completed = await db.$transaction((tx) => transitionLease(tx, SYSTEM_ACTOR, { id: lease.id, scope: {}, to: 'COMPLETED', reason: 'every installment paid' }));
    expect(completed).toMatchObject({ status: 'COMPLETED', statusReason: 'every installment paid' });
    const last = await db.event.findFirstOrThrow({ where: { aggregateType: 'Lease', aggregateId: lease.id }, orderBy: { sequence: 'desc' } });
    expect(last).toMatchObject({ sequence: 3, type: 'lease.completed', actorId: null, actorRole: 'SYSTEM', reason: 'every installment paid' });
    // The renter's acceptance never reopens a completed lease; only the system does, with its own event.
    await expect(db.$transaction((tx) => transitionLease(tx, { id: renter.id, role: 'RENTER' }, { id: lease.id, scope: { renterId: renter.id }, to: 'ACTIVE', from: ['PENDING'] }))).rejects.toMatchObject({
      code: 'CONFLICT',
      message: 'This lease is COMPLETED; it cannot become ACTIVE',
    });
    // A return leaves an installment unpaid (returns.ts), which is what reopens it.
    await asOwner([[`update "Installment" set status = 'FAILED' where "leaseId" = $1 and number = 1`, [lease.id]]], {
      without: [['Installment', 'Installment_status_as_its_payments'], ['Installment', 'Installment_unpaid_reopens_its_lease']],
    });
    const reopened = await db.$transaction((tx) => transitionLease(tx, SYSTEM_ACTOR, { id: lease.id, scope: {}, to: 'ACTIVE', from: ['COMPLETED'], eventType: 'lease.reopened', reason: 'returned' }));
    expect(reopened.status).toBe('ACTIVE');
    expect((await db.event.findFirstOrThrow({ where: { aggregateType: 'Lease', aggregateId: lease.id }, orderBy: { sequence: 'desc' } })).type).toBe('lease.reopened');
  });

  it('refuses a transition the table does not allow, and a lease outside the scope, changing nothing', async () => {
    const { lease } = await pendingLease();
    const attempt = (to: 'COMPLETED' | 'ACTIVE', scope = {}) => db.$transaction((tx) => transitionLease(tx, SYSTEM_ACTOR, { id: lease.id, scope, to }));
    await expect(attempt('COMPLETED')).rejects.toMatchObject({ code: 'CONFLICT', message: 'This lease is PENDING; it cannot become COMPLETED' });
    await expect(attempt('ACTIVE', { renterId: randomUUID() })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(db.$transaction((tx) => transitionLease(tx, SYSTEM_ACTOR, { id: randomUUID(), scope: {}, to: 'ACTIVE' }))).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect((await db.lease.findUniqueOrThrow({ where: { id: lease.id } })).status).toBe('PENDING');
    expect(await db.event.count({ where: { aggregateType: 'Lease', aggregateId: lease.id } })).toBe(1);
  });
});
