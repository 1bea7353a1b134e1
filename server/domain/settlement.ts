// Settlement, step by step, as the background function runs it (inngest/functions/settle-payment.ts).
// Each transition is one conditional update plus its events in one transaction, so a step
// that Inngest repeats changes nothing and writes nothing the second time. Lock order, the
// same everywhere: lease, then installment, then payment.
import type { Tx } from '@/server/db';
import { env } from '@/server/env';
import type { Payment } from '@/server/generated/prisma/client';
import { SYSTEM_ACTOR } from './actor';
import type { SettlementOutcome } from './bank-simulator';
import { appendEvents, type NewEvent } from './events';
import { transitionLease } from './lease-state';
import { installmentSnapshot } from './leases';
import { post, postings } from './ledger';
import { notify, type NewNotification } from './notifications';
import { paymentSnapshot, PAYMENT_EVENT_ON_ENTERING, transitionPayment } from './payment-state';
import { RAILS, returnableUntil } from './rails';
import { formatCents } from './money';

/** Failed payments in a row on one lease after which it is DEFAULTED. */
export const FAILURES_BEFORE_DEFAULT = 3;

export interface SubmissionResult {
  /**
   * True while the payment is PROCESSING, whether this call submitted it or an earlier try of
   * the same step did (steps are at-least-once: an engine can die after the step committed
   * but before it stored the step's result). False when it was cancelled or already settled:
   * the run should stop.
   */
  proceed: boolean;
  status: Payment['status'];
  expectedSettlementAt: Date;
  rail: Payment['rail'];
  fromLast4: string;
}

/** PENDING → PROCESSING: the payment goes to its rail; from now on it can no longer be cancelled. */
export async function submitPayment(tx: Tx, paymentId: string): Promise<SubmissionResult> {
  const payment = await tx.payment.findUniqueOrThrow({ where: { id: paymentId }, select: { installmentId: true, rail: true, fromAccount: { select: { last4: true } } } });
  await tx.$executeRaw`SELECT 1 FROM "Installment" WHERE id = ${payment.installmentId}::uuid FOR UPDATE`;
  const now = new Date();
  const expectedSettlementAt = new Date(now.getTime() + Math.round(RAILS[payment.rail].settlementDelayMs * env.SETTLEMENT_TIME_SCALE));
  const submitted = await transitionPayment(tx, { id: paymentId, to: 'PROCESSING', data: { submittedAt: now, expectedSettlementAt } });
  const fromLast4 = payment.fromAccount.last4;
  if (!submitted) {
    const current = await tx.payment.findUniqueOrThrow({ where: { id: paymentId }, select: { status: true, expectedSettlementAt: true } });
    return { proceed: current.status === 'PROCESSING', status: current.status, expectedSettlementAt: current.expectedSettlementAt, rail: payment.rail, fromLast4 };
  }
  await appendEvents(tx, [
    {
      aggregateType: 'Payment',
      aggregateId: submitted.id,
      type: PAYMENT_EVENT_ON_ENTERING.PROCESSING,
      actor: SYSTEM_ACTOR,
      reason: `submitted to ${RAILS[submitted.rail].name}`,
      data: paymentSnapshot(submitted),
    },
  ]);
  return { proceed: true, status: submitted.status, expectedSettlementAt, rail: submitted.rail, fromLast4 };
}

export interface SettlementResult {
  /** False when the payment was not PROCESSING (already settled by an earlier try of this step). */
  settled: boolean;
  status: Payment['status'];
  leaseStatus?: string;
}

/**
 * PROCESSING → COMPLETED (installment PAID; the lease COMPLETED with its last installment) or
 * → FAILED with the bank's code (installment FAILED; the lease DEFAULTED after
 * FAILURES_BEFORE_DEFAULT failed payments in a row). Notifies the landlord either way and the
 * renter when it failed.
 */
export async function settlePayment(tx: Tx, paymentId: string, outcome: SettlementOutcome): Promise<SettlementResult> {
  const known = await tx.payment.findUniqueOrThrow({ where: { id: paymentId }, select: { leaseId: true, installmentId: true, rail: true } });
  await tx.$executeRaw`SELECT 1 FROM "Lease" WHERE id = ${known.leaseId}::uuid FOR UPDATE`;
  await tx.$executeRaw`SELECT 1 FROM "Installment" WHERE id = ${known.installmentId}::uuid FOR UPDATE`;
  const now = new Date();
  const payment = outcome.ok
    ? await transitionPayment(tx, { id: paymentId, to: 'COMPLETED', data: { settledAt: now, returnableUntil: returnableUntil(known.rail, now) } })
    : await transitionPayment(tx, { id: paymentId, to: 'FAILED', data: { settledAt: now, failureCode: outcome.code, failureReason: outcome.reason } });
  if (!payment) {
    const current = await tx.payment.findUniqueOrThrow({ where: { id: paymentId }, select: { status: true } });
    return { settled: false, status: current.status };
  }

  const [installment] = await tx.installment.updateManyAndReturn({ where: { id: payment.installmentId }, data: { status: outcome.ok ? 'PAID' : 'FAILED' } });
  const lease = await tx.lease.findUniqueOrThrow({ where: { id: payment.leaseId }, select: { id: true, status: true, landlordId: true, renterId: true, property: { select: { name: true } } } });
  const railName = RAILS[payment.rail].name;
  const amount = formatCents(payment.amountCents);
  const events: NewEvent[] = [
    {
      aggregateType: 'Payment',
      aggregateId: payment.id,
      type: PAYMENT_EVENT_ON_ENTERING[outcome.ok ? 'COMPLETED' : 'FAILED'],
      actor: SYSTEM_ACTOR,
      reason: outcome.ok ? `settled over ${railName}` : `${outcome.code}: ${outcome.reason}`,
      data: paymentSnapshot(payment),
    },
    {
      aggregateType: 'Installment',
      aggregateId: installment!.id,
      type: outcome.ok ? 'installment.paid' : 'installment.failed',
      actor: SYSTEM_ACTOR,
      reason: outcome.ok ? `paid by payment ${payment.id}` : `payment ${payment.id} failed (${outcome.code})`,
      data: installmentSnapshot(installment!),
    },
  ];
  await appendEvents(tx, events);
  await post(tx, outcome.ok ? postings.paymentSettled(payment) : postings.paymentFailed(payment));

  let leaseStatus: string = lease.status;
  if (lease.status === 'ACTIVE') {
    if (outcome.ok) {
      const unpaid = await tx.installment.count({ where: { leaseId: lease.id, status: { notIn: ['PAID', 'WAIVED'] } } });
      if (unpaid === 0) {
        leaseStatus = (await transitionLease(tx, SYSTEM_ACTOR, { id: lease.id, scope: {}, to: 'COMPLETED', reason: 'every installment is paid' })).status;
      }
    } else {
      const recent = await tx.payment.findMany({
        where: { leaseId: lease.id, status: { not: 'CANCELLED' } },
        orderBy: { createdAt: 'desc' },
        take: FAILURES_BEFORE_DEFAULT,
        select: { status: true },
      });
      if (recent.length === FAILURES_BEFORE_DEFAULT && recent.every((p) => p.status === 'FAILED')) {
        leaseStatus = (
          await transitionLease(tx, SYSTEM_ACTOR, { id: lease.id, scope: {}, to: 'DEFAULTED', reason: `${FAILURES_BEFORE_DEFAULT} payments in a row failed` })
        ).status;
      }
    }
  }

  const link = `/payments/${payment.id}`;
  const notifications: NewNotification[] = outcome.ok
    ? [{ userId: lease.landlordId, type: 'payment.completed', title: `Rent received: ${amount}`, body: `Installment ${installment!.number} for ${lease.property.name} settled over ${railName}.`, link }]
    : [
        { userId: lease.landlordId, type: 'payment.failed', title: `Rent payment failed: ${amount}`, body: `Installment ${installment!.number} for ${lease.property.name}: ${outcome.reason} (${outcome.code}).`, link },
        { userId: payment.renterId, type: 'payment.failed', title: `Your payment of ${amount} failed`, body: `${outcome.reason} (${outcome.code}). You can retry it from the payment page.`, link },
      ];
  if (leaseStatus === 'COMPLETED' && lease.status !== 'COMPLETED') {
    notifications.push({ userId: lease.landlordId, type: 'lease.completed', title: 'Lease paid in full', body: `Every installment for ${lease.property.name} is paid.`, link: `/leases/${lease.id}` });
  }
  if (leaseStatus === 'DEFAULTED' && lease.status !== 'DEFAULTED') {
    for (const userId of [lease.landlordId, lease.renterId].filter((id): id is string => Boolean(id))) {
      notifications.push({ userId, type: 'lease.defaulted', title: 'Lease defaulted', body: `${FAILURES_BEFORE_DEFAULT} payments in a row failed for ${lease.property.name}.`, link: `/leases/${lease.id}` });
    }
  }
  await notify(tx, notifications);
  return { settled: true, status: payment.status, leaseStatus };
}

/** Payments still PENDING well after they should have been submitted: their settlement request may never have reached Inngest. */
export async function findStalePendingPayments(tx: Tx, olderThanMs: number, limit = 100): Promise<{ id: string }[]> {
  return tx.payment.findMany({
    where: { status: 'PENDING', submitAt: { lt: new Date(Date.now() - olderThanMs) } },
    orderBy: { submitAt: 'asc' },
    take: limit,
    select: { id: true },
  });
}
