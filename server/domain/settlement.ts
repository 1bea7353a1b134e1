// Settlement, step by step, as the background function runs it (inngest/functions/settle-payment.ts):
// submission, settlement, and finality at the end of the return window. Each transition is
// one conditional update plus its events in one transaction, so a step that Inngest repeats
// changes nothing and writes nothing the second time. Lock order, the same everywhere: lease,
// then installment, then payment. Times recorded on the payment are real-calendar times
// (calendar.ts); the function sleeps until the demo clock plays them (`scaledInstant`).
import type { Tx } from '@/server/db';
import { env } from '@/server/env';
import type { Lease, Payment } from '@/server/generated/prisma/client';
import { SYSTEM_ACTOR } from './actor';
import { handleAutopayPaymentFailure, type AutopayRunRequest } from './autopay';
import { returnDeadline, scaledInstant } from './calendar';
import type { SettlementOutcome } from './bank-simulator';
import { appendEvents, type NewEvent } from './events';
import { transitionLease } from './lease-state';
import { installmentSnapshot } from './leases';
import { ledgerPartsOf, post, postings, postSettlement } from './ledger';
import { notify, type NewNotification } from './notifications';
import { paymentSnapshot, PAYMENT_EVENT_ON_ENTERING, transitionPayment } from './payment-state';
import { RAILS } from './rails';
import { formatCents } from './money';
import { failureText } from './failure-codes';
import { installmentLabel } from './installment-state';

/** Failed or returned payments in a row on one lease after which it is DEFAULTED. */
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
  const payment = await tx.payment.findUniqueOrThrow({
    where: { id: paymentId },
    select: { installmentId: true, rail: true, submitAt: true, expectedSettlementAt: true, fromAccount: { select: { last4: true } } },
  });
  await tx.$executeRaw`SELECT 1 FROM "Installment" WHERE id = ${payment.installmentId}::uuid FOR UPDATE`;
  const expectedSettlementAt = payment.expectedSettlementAt;
  // The rail takes it at its batch window (real calendar), however late the demo clock ran.
  const submitted = await transitionPayment(tx, { id: paymentId, to: 'PROCESSING', data: { submittedAt: payment.submitAt } });
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
  /** A failed autopay pull to present again: start this run after commit (`requestAutopayRun`). */
  autopayRun?: AutopayRunRequest;
  /** Settled by this call: the settlement instant recorded (the rail's, real calendar). */
  settledAt?: Date;
  /** Settled by this call: the end of its return window (ACH), null when final at once (RTP, wire) or FAILED. */
  returnableUntil?: Date | null;
}

/**
 * PROCESSING → COMPLETED (installment PAID; an early payoff: every installment it covers PAID and
 * its discount posted, payoff.ts) or → FAILED with the bank's code (installment FAILED; a
 * payoff's installments unchanged; the lease DEFAULTED after FAILURES_BEFORE_DEFAULT failed or returned payments in a
 * row). The settlement time recorded is the rail's (real calendar, `expectedSettlementAt`).
 * RTP and wire are final at once (and may complete the lease); ACH stays returnable until the
 * end of its window (`finalizePayment`). Notifies the landlord either way and the renter when
 * it failed.
 */
export async function settlePayment(tx: Tx, paymentId: string, outcome: SettlementOutcome): Promise<SettlementResult> {
  // The payment's fixed facts and its lease, locked, in one statement: a locked row is read as
  // it is once the lock is ours, and nothing below changes the lease before the rules read it.
  const [known] = await tx.$queryRaw<
    { leaseId: string; installmentId: string; rail: Payment['rail']; expectedSettlementAt: Date; status: Lease['status']; dueDay: number; landlordId: string; renterId: string; propertyName: string }[]
  >`
    SELECT p."leaseId"::text AS "leaseId", p."installmentId"::text AS "installmentId", p.rail::text AS rail, p."expectedSettlementAt",
           l.status::text AS status, l."dueDay", l."landlordId"::text AS "landlordId", l."renterId"::text AS "renterId", pr.name AS "propertyName"
    FROM "Payment" p JOIN "Lease" l ON l.id = p."leaseId" JOIN "Property" pr ON pr.id = l."propertyId"
    WHERE p.id = ${paymentId}::uuid
    FOR UPDATE OF l`;
  if (!known) throw new Error(`payment ${paymentId} does not exist`);
  await lockInstallmentsOf(tx, paymentId, known.installmentId);
  const settledAt = known.expectedSettlementAt;
  const returnableUntil = returnDeadline(known.rail, settledAt);
  const payment = outcome.ok
    ? await transitionPayment(tx, { id: paymentId, to: 'COMPLETED', data: { settledAt, returnableUntil, finalAt: returnableUntil === null ? settledAt : null } })
    : await transitionPayment(tx, { id: paymentId, to: 'FAILED', data: { settledAt, failureCode: outcome.code, failureReason: outcome.reason } });
  if (!payment) {
    const current = await tx.payment.findUniqueOrThrow({ where: { id: paymentId }, select: { status: true } });
    return { settled: false, status: current.status };
  }

  // Settled: every installment it pays is PAID (a payoff: all it covers). Failed: an ordinary
  // payment's installment is FAILED (payable again); a failed payoff changed no installment.
  const covered = await installmentIdsOf(tx, payment);
  const installments = sortByNumber(
    outcome.ok
      ? await tx.installment.updateManyAndReturn({ where: { id: { in: covered } }, data: { status: 'PAID' } })
      : payment.kind === 'PAYOFF'
        ? []
        : await tx.installment.updateManyAndReturn({ where: { id: payment.installmentId }, data: { status: 'FAILED' } }),
  );
  const lease: LeaseForRules = { id: known.leaseId, status: known.status, landlordId: known.landlordId, renterId: known.renterId, property: { name: known.propertyName } };
  const railName = RAILS[payment.rail].name;
  const amount = formatCents(payment.amountCents);
  // The installments just updated are the ones it pays, unless a failed payoff updated none.
  const what = await paidWhat(tx, payment, known, installments.length ? installments : undefined);
  const events: NewEvent[] = [
    {
      aggregateType: 'Payment',
      aggregateId: payment.id,
      type: PAYMENT_EVENT_ON_ENTERING[outcome.ok ? 'COMPLETED' : 'FAILED'],
      actor: SYSTEM_ACTOR,
      reason: outcome.ok ? `settled over ${railName}` : `${outcome.code}: ${outcome.reason}`,
      data: paymentSnapshot(payment),
    },
    ...installments.map(
      (installment): NewEvent => ({
        aggregateType: 'Installment',
        aggregateId: installment.id,
        type: outcome.ok ? 'installment.paid' : 'installment.failed',
        actor: SYSTEM_ACTOR,
        reason: outcome.ok ? `paid by ${payment.kind === 'PAYOFF' ? 'early payoff' : 'payment'} ${payment.id}` : `payment ${payment.id} failed (${outcome.code})`,
        data: installmentSnapshot(installment),
      }),
    ),
  ];
  await appendEvents(tx, events);
  if (outcome.ok) await postSettlement(tx, payment);
  else await post(tx, (await ledgerPartsOf(tx, payment)).map(postings.paymentFailed));

  const leaseChange = outcome.ok ? (payment.finalAt ? await completeLeaseIfPaidAndFinal(tx, lease) : []) : await defaultLeaseIfFailing(tx, lease);
  const link = `/payments/${payment.id}`;
  const notifications: NewNotification[] = outcome.ok
    ? [{ userId: lease.landlordId, type: 'payment.completed', title: `Rent received: ${amount}`, body: `${what} for ${lease.property.name} settled over ${railName}.`, link }]
    : [
        { userId: lease.landlordId, type: 'payment.failed', title: `Rent payment failed: ${amount}`, body: `${what} for ${lease.property.name}: ${failureText(outcome.code, outcome.reason)}.`, link },
        {
          userId: payment.renterId,
          type: 'payment.failed',
          title: `Your payment of ${amount} failed`,
          body: `${failureText(outcome.code, outcome.reason)}. ${payment.kind === 'PAYOFF' ? 'You can pay the lease off again from the lease page.' : 'You can retry it from the payment page.'}`,
          link,
        },
      ];
  await notify(tx, [...notifications, ...leaseChange]);
  const autopayRun = outcome.ok ? null : await handleAutopayPaymentFailure(tx, payment);
  return {
    settled: true,
    status: payment.status,
    leaseStatus: leaseChange.length ? (outcome.ok ? 'COMPLETED' : 'DEFAULTED') : lease.status,
    ...(autopayRun ? { autopayRun } : {}),
    settledAt,
    returnableUntil: outcome.ok ? returnableUntil : null,
  };
}

/**
 * Locks the installments a payment pays (its own; a payoff's, every one it covers), in
 * schedule order, after the lease (the one lock order).
 */
export async function lockInstallmentsOf(tx: Tx, paymentId: string, installmentId: string): Promise<void> {
  await tx.$executeRaw`
    SELECT 1 FROM "Installment"
    WHERE id = ${installmentId}::uuid OR id IN (SELECT "installmentId" FROM "PayoffInstallment" WHERE "paymentId" = ${paymentId}::uuid)
    ORDER BY number FOR UPDATE`;
}

/** The ids of the installments a payment pays: its own, or every one a payoff covers. */
export async function installmentIdsOf(tx: Tx, payment: Pick<Payment, 'id' | 'kind' | 'installmentId'>): Promise<string[]> {
  if (payment.kind !== 'PAYOFF') return [payment.installmentId];
  const covered = await tx.payoffInstallment.findMany({ where: { paymentId: payment.id }, select: { installmentId: true } });
  return covered.map((row) => row.installmentId);
}

/** "November 2026 rent", or "Early payoff of November 2026 rent – April 2027 rent": what a payment pays, for people. */
export async function paidWhat(
  tx: Tx,
  payment: Pick<Payment, 'id' | 'kind' | 'installmentId'>,
  /** The payment's lease: its due day names a prorated installment (installmentLabel). */
  lease: { dueDay: number },
  /** Every installment the payment pays, in number order, when the caller has them already (no read then). */
  paid?: { dueDate: Date }[],
): Promise<string> {
  const rows = paid ?? (await tx.installment.findMany({ where: { id: { in: await installmentIdsOf(tx, payment) } }, select: { dueDate: true }, orderBy: { number: 'asc' } }));
  const labels = rows.map((i) => installmentLabel(i, lease));
  if (payment.kind !== 'PAYOFF') return labels[0]!;
  return labels.length === 1 ? `Early payoff of ${labels[0]}` : `Early payoff of ${labels[0]} – ${labels.at(-1)}`;
}

export function sortByNumber<T extends { number: number }>(rows: T[]): T[] {
  return [...rows].sort((a, b) => a.number - b.number);
}

type LeaseForRules = Pick<Lease, 'id' | 'status' | 'landlordId' | 'renterId'> & { property: { name: string } };

/**
 * The lease is COMPLETED ("paid in full") only when every installment is PAID or WAIVED and
 * every payment that paid one is final (RTP and wire at settlement; ACH after its return
 * window). Call with the lease row locked. Returns the notifications to send (none when the
 * lease stays as it is).
 */
export async function completeLeaseIfPaidAndFinal(tx: Tx, lease: LeaseForRules): Promise<NewNotification[]> {
  if (lease.status !== 'ACTIVE') return [];
  const unpaid = await tx.installment.count({ where: { leaseId: lease.id, status: { notIn: ['PAID', 'WAIVED'] } } });
  if (unpaid > 0) return [];
  const returnable = await tx.payment.count({ where: { leaseId: lease.id, status: 'COMPLETED', finalAt: null } });
  if (returnable > 0) return [];
  await transitionLease(tx, SYSTEM_ACTOR, { id: lease.id, scope: {}, to: 'COMPLETED', reason: 'every installment is paid and final' });
  return [{ userId: lease.landlordId, type: 'lease.completed', title: 'Lease paid in full', body: `Every installment for ${lease.property.name} is paid and final.`, link: `/leases/${lease.id}` }];
}

/**
 * The lease is DEFAULTED after FAILURES_BEFORE_DEFAULT payments in a row failed or were
 * returned (cancelled ones do not count). Call with the lease row locked. Returns the
 * notifications to send.
 */
export async function defaultLeaseIfFailing(tx: Tx, lease: LeaseForRules): Promise<NewNotification[]> {
  if (lease.status !== 'ACTIVE') return [];
  const recent = await tx.payment.findMany({
    where: { leaseId: lease.id, status: { not: 'CANCELLED' } },
    orderBy: { createdAt: 'desc' },
    take: FAILURES_BEFORE_DEFAULT,
    select: { status: true },
  });
  if (recent.length < FAILURES_BEFORE_DEFAULT || !recent.every((p) => p.status === 'FAILED' || p.status === 'RETURNED')) return [];
  await transitionLease(tx, SYSTEM_ACTOR, { id: lease.id, scope: {}, to: 'DEFAULTED', reason: `${FAILURES_BEFORE_DEFAULT} payments in a row failed or were returned` });
  return [lease.landlordId, lease.renterId]
    .filter((id): id is string => Boolean(id))
    .map((userId) => ({
      userId,
      type: 'lease.defaulted',
      title: 'Lease defaulted',
      body: `${FAILURES_BEFORE_DEFAULT} payments in a row failed or were returned for ${lease.property.name}.`,
      link: `/leases/${lease.id}`,
    }));
}

export interface FinalityResult {
  /** True when this call recorded the finality; false when it was already final, returned, or not yet due. */
  finalized: boolean;
  status: Payment['status'];
  leaseStatus?: string;
  /** Its window has not ended yet on the demo clock: ask again later. */
  notYetDue?: true;
}

/**
 * A settled ACH payment becomes final once its return window (`returnableUntil`, real calendar)
 * has passed on the demo clock: records `finalAt` = returnableUntil and its `payment.final`
 * event, then completes the lease if every installment is now paid and final. Repeating it, or
 * calling it for a payment returned meanwhile, changes nothing.
 */
export async function finalizePayment(tx: Tx, paymentId: string, now: Date = new Date()): Promise<FinalityResult> {
  const known = await tx.payment.findUniqueOrThrow({ where: { id: paymentId }, select: { leaseId: true, installmentId: true } });
  await tx.$executeRaw`SELECT 1 FROM "Lease" WHERE id = ${known.leaseId}::uuid FOR UPDATE`;
  await tx.$executeRaw`SELECT 1 FROM "Installment" WHERE id = ${known.installmentId}::uuid FOR UPDATE`;
  const current = await tx.payment.findUniqueOrThrow({ where: { id: paymentId } });
  if (current.status !== 'COMPLETED' || current.finalAt || !current.returnableUntil) return { finalized: false, status: current.status };
  if (scaledInstant(current.createdAt, current.returnableUntil, env.SETTLEMENT_TIME_SCALE) >= now) return { finalized: false, status: current.status, notYetDue: true };

  const [payment] = await tx.payment.updateManyAndReturn({ where: { id: paymentId, status: 'COMPLETED', finalAt: null }, data: { finalAt: current.returnableUntil } });
  const lease = await tx.lease.findUniqueOrThrow({ where: { id: payment!.leaseId }, select: { id: true, status: true, landlordId: true, renterId: true, property: { select: { name: true } } } });
  await appendEvents(tx, [
    { aggregateType: 'Payment', aggregateId: paymentId, type: 'payment.final', actor: SYSTEM_ACTOR, reason: 'its return window ended', data: paymentSnapshot(payment!) },
  ]);
  const notifications = await completeLeaseIfPaidAndFinal(tx, lease);
  await notify(tx, notifications);
  return { finalized: true, status: payment!.status, leaseStatus: notifications.length ? 'COMPLETED' : lease.status };
}

/**
 * How long (wall clock, ms) after the demo clock played the instant a payment's settlement run
 * should have moved it on, the recovery sweep takes it for left behind:
 * - PENDING past its submission time (`submitAt`): 1 minute (its settlement request may never
 *   have reached Inngest);
 * - PROCESSING past its expected settlement (`expectedSettlementAt`), and COMPLETED past its
 *   return window (`returnableUntil`) without `finalAt`: 1 hour, longer than a live run retrying
 *   a step takes (5 retries on Inngest's backoff wait at most about 11 minutes), so only a run
 *   that ended (cancelled by an operator, lost with the engine's data) leaves one so long.
 */
export const LEFT_BEHIND_AFTER_MS = { PENDING: 60_000, PROCESSING: 3_600_000, COMPLETED: 3_600_000 } as const;

/** A payment its settlement run left behind, and what the recovery sweep does for it. */
export interface LeftBehindPayment {
  id: string;
  /** `settle`: a new settlement run (PENDING or PROCESSING; settle-payment goes on from either); `finalize`: record its finality. */
  action: 'settle' | 'finalize';
}

/**
 * Payments a settlement run should have moved on by now and did not (LEFT_BEHIND_AFTER_MS),
 * oldest first, at most `limit`. Instants are played as the demo clock plays them
 * (`scaledInstant(createdAt, instant, SETTLEMENT_TIME_SCALE)`, here in SQL). One statement,
 * on the (status, createdAt) index for PENDING and PROCESSING and the partial index of
 * payments awaiting finality.
 */
export async function findPaymentsLeftBehind(tx: Tx, limit = 100, now: Date = new Date()): Promise<LeftBehindPayment[]> {
  const scale = env.SETTLEMENT_TIME_SCALE;
  const cutoff = (status: keyof typeof LEFT_BEHIND_AFTER_MS) => new Date(now.getTime() - LEFT_BEHIND_AFTER_MS[status]);
  return tx.$queryRaw<LeftBehindPayment[]>`
    SELECT id::text AS id, CASE WHEN status = 'COMPLETED' THEN 'finalize' ELSE 'settle' END AS action FROM (
      SELECT id, status, "createdAt" + GREATEST(due - "createdAt", interval '0') * ${scale}::float8 AS "playedAt", due FROM (
        SELECT id, status, "createdAt", "submitAt" AS due FROM "Payment" WHERE status = 'PENDING'
        UNION ALL
        SELECT id, status, "createdAt", "expectedSettlementAt" FROM "Payment" WHERE status = 'PROCESSING'
        UNION ALL
        SELECT id, status, "createdAt", "returnableUntil" FROM "Payment"
        WHERE status = 'COMPLETED' AND "finalAt" IS NULL AND "returnableUntil" IS NOT NULL
      ) candidates
    ) played
    WHERE "playedAt" < CASE status WHEN 'PENDING' THEN ${cutoff('PENDING')}::timestamptz WHEN 'PROCESSING' THEN ${cutoff('PROCESSING')}::timestamptz ELSE ${cutoff('COMPLETED')}::timestamptz END
    ORDER BY due ASC
    LIMIT ${limit}`;
}
