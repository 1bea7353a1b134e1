// ACH returns: the bank sends a settled debit back (COMPLETED → RETURNED). One transaction
// records the return with its events: the installment is payable again, a closed or missing
// account is deactivated, the lease may default, and both parties are told the code and why.
// The window is the calendar's (`returnDeadline`): R01/R02/R03/R29 until the end of the 2nd
// banking day after settlement, R10 for 60 calendar days, as the demo clock plays it.
// Lock order as in settlement.ts: lease, then installment, then payment.
import type { Tx } from '@/server/db';
import { env } from '@/server/env';
import type { Payment } from '@/server/generated/prisma/client';
import { SYSTEM_ACTOR } from './actor';
import { handleAutopayPaymentFailure, type AutopayRunRequest } from './autopay';
import { ACH_RETURN_REASONS } from './bank-simulator';
import { bankAccountSnapshot } from './bank-accounts';
import { isAchRail, returnDeadline, scaledInstant, type ReturnCode } from './calendar';
import { conflict, DomainError, notFound } from './errors';
import { appendEvents, type NewEvent } from './events';
import { installmentSnapshot } from './leases';
import { businessDay, postReturn } from './ledger';
import { formatCents } from './money';
import { notify, type NewNotification } from './notifications';
import { paymentSnapshot, PAYMENT_EVENT_ON_ENTERING, transitionPayment } from './payment-state';
import { RAILS } from './rails';
import { transitionLease } from './lease-state';
import { dayFromDate } from './schedule';
import { failureText } from './failure-codes';
import { defaultLeaseIfFailing, installmentIdsOf, lockInstallmentsOf, paidWhat, sortByNumber } from './settlement';
import { isBlankText, normalizeText, textProblem } from './text';

/** Returns after which the sending account is deactivated: the bank says it is closed or does not exist. */
const DEACTIVATING_CODES: ReadonlySet<ReturnCode> = new Set(['R02', 'R03']);

export interface ReturnInput {
  code: ReturnCode;
  /** The bank's words; defaults to the code's plain reason. */
  reason?: string;
  /** When the bank returned it, on the real calendar (a return file's date); defaults to now. */
  returnedAt?: Date;
}

export interface ReturnResult {
  /** False when the payment was already RETURNED (a duplicate return changes nothing). */
  returned: boolean;
  status: Payment['status'];
  leaseStatus?: string;
  /** A returned autopay pull to present again: start this run after commit (`requestAutopayRun`). */
  autopayRun?: AutopayRunRequest;
}

/**
 * Records the bank's return of a settled ACH payment: COMPLETED → RETURNED with the code and
 * a plain reason; its installment FAILED (payable again; an early payoff's installments FAILED
 * when already due, else DUE, its ledger parts and discount reversed); a lease it had
 * completed is reopened (COMPLETED → ACTIVE, 'lease.reopened'); for R02/R03 the sending account is
 * deactivated with that reason (the renter can activate it again); the return counts toward
 * the FAILURES_BEFORE_DEFAULT that default a lease; the landlord and the renter are notified.
 * A payment already RETURNED answers `returned: false` and writes nothing. CONFLICT when the
 * payment is not a settled ACH payment or the code's window has closed (on the demo clock,
 * `now` against `scaledInstant(createdAt, returnDeadline(...))`).
 */
export async function returnPayment(tx: Tx, paymentId: string, input: ReturnInput, now: Date = new Date()): Promise<ReturnResult> {
  const known = await tx.payment.findUnique({ where: { id: paymentId }, select: { leaseId: true, installmentId: true } });
  if (!known) throw notFound('Payment');
  await tx.$executeRaw`SELECT 1 FROM "Lease" WHERE id = ${known.leaseId}::uuid FOR UPDATE`;
  await lockInstallmentsOf(tx, paymentId, known.installmentId);
  const current = await tx.payment.findUniqueOrThrow({ where: { id: paymentId } });
  if (current.status === 'RETURNED') return { returned: false, status: current.status };
  if (!isAchRail(current.rail)) throw conflict(`${RAILS[current.rail].name} payments are final once settled; they cannot be returned`);
  if (current.status !== 'COMPLETED' || !current.settledAt) throw conflict(`This payment is ${current.status}; only a settled (COMPLETED) payment can be returned`);
  const deadline = returnDeadline(current.rail, current.settledAt, input.code)!;
  if (scaledInstant(current.createdAt, deadline, env.SETTLEMENT_TIME_SCALE) < now) {
    throw conflict(`The ${input.code} return window of this payment ended ${deadline.toISOString()}`);
  }

  // A return cannot predate the settlement it reverses.
  if (input.returnedAt && input.returnedAt < current.settledAt) {
    throw new DomainError('BAD_REQUEST', `A return is dated on or after the payment settled (${current.settledAt.toISOString()}), not ${input.returnedAt.toISOString()}`);
  }
  // The bank's words under the one text rule (server/domain/text.ts); else the code's plain reason.
  const given = input.reason === undefined ? '' : normalizeText(input.reason);
  const reason = given && !isBlankText(given) && textProblem(given) === null ? given : ACH_RETURN_REASONS[input.code];
  const payment = await transitionPayment(tx, {
    id: paymentId,
    to: 'RETURNED',
    data: { failureCode: input.code, failureReason: reason.slice(0, 500), returnedAt: input.returnedAt ?? now },
  });
  if (!payment) throw conflict('This payment changed while the return was recorded; try again');

  // Payable again. An ordinary payment's installment is FAILED; a payoff's installments already
  // due on the return's date are FAILED (overdue, like an ordinary return) and later ones DUE.
  const today = businessDay(now);
  const covered = await installmentIdsOf(tx, payment);
  const failed = payment.kind === 'PAYOFF' ? (await tx.installment.findMany({ where: { id: { in: covered } }, select: { id: true, dueDate: true } })).filter((i) => dayFromDate(i.dueDate) <= today).map((i) => i.id) : covered;
  const installments = sortByNumber([
    ...(await tx.installment.updateManyAndReturn({ where: { id: { in: failed } }, data: { status: 'FAILED' } })),
    ...(await tx.installment.updateManyAndReturn({ where: { id: { in: covered.filter((id) => !failed.includes(id)) } }, data: { status: 'DUE' } })),
  ]);
  let lease = await tx.lease.findUniqueOrThrow({ where: { id: payment.leaseId }, select: { id: true, status: true, dueDay: true, landlordId: true, renterId: true, property: { select: { name: true } } } });
  const events: NewEvent[] = [
    { aggregateType: 'Payment', aggregateId: payment.id, type: PAYMENT_EVENT_ON_ENTERING.RETURNED, actor: SYSTEM_ACTOR, reason: `${input.code}: ${reason}`, data: paymentSnapshot(payment) },
    ...installments.map(
      (installment): NewEvent => ({
        aggregateType: 'Installment',
        aggregateId: installment.id,
        type: installment.status === 'FAILED' ? 'installment.failed' : 'installment.due',
        actor: SYSTEM_ACTOR,
        reason: `payment ${payment.id} was returned (${input.code}); payable again`,
        data: installmentSnapshot(installment),
      }),
    ),
  ];
  let accountNote = '';
  if (DEACTIVATING_CODES.has(input.code)) {
    const accountReason = `Deactivated after an ACH return ${input.code}: ${reason}`.slice(0, 300);
    const [account] = await tx.bankAccount.updateManyAndReturn({
      where: { id: payment.fromAccountId, active: true },
      data: { active: false, isPrimary: false, deactivatedReason: accountReason },
    });
    if (account) {
      events.push({ aggregateType: 'BankAccount', aggregateId: account.id, type: 'bankAccount.deactivated', actor: SYSTEM_ACTOR, reason: accountReason, data: bankAccountSnapshot(account) });
      accountNote = ' The account it came from is deactivated until you activate it again under Bank accounts.';
    }
  }
  await appendEvents(tx, events);
  // A lease this payment completed (it was final, and an R10 came later) is owed again: reopened.
  if (lease.status === 'COMPLETED') {
    const reopened = await transitionLease(tx, SYSTEM_ACTOR, { id: lease.id, scope: {}, to: 'ACTIVE', from: ['COMPLETED'], eventType: 'lease.reopened', reason: `payment ${payment.id} was returned (${input.code})` });
    lease = { ...lease, status: reopened.status };
  }
  await postReturn(tx, payment, businessDay(payment.returnedAt ?? now));

  const leaseChange = await defaultLeaseIfFailing(tx, lease);
  const amount = formatCents(payment.amountCents);
  const what = await paidWhat(tx, payment, lease);
  const link = `/payments/${payment.id}`;
  const notifications: NewNotification[] = [
    {
      userId: lease.landlordId,
      type: 'payment.returned',
      title: `Rent payment returned: ${amount}`,
      body: `${what} for ${lease.property.name} came back from the renter's bank: ${failureText(input.code, reason)}. It is due again.`,
      link,
    },
    {
      userId: payment.renterId,
      type: 'payment.returned',
      title: `Your payment of ${amount} was returned`,
      body: `Your bank sent it back: ${failureText(input.code, reason)}. ${what.replace(/^Early payoff of /, '')} ${covered.length > 1 ? 'are' : 'is'} due again.${accountNote}`,
      link,
    },
  ];
  await notify(tx, [...notifications, ...leaseChange]);
  const autopayRun = await handleAutopayPaymentFailure(tx, payment, now);
  return { returned: true, status: payment.status, leaseStatus: leaseChange.length ? 'DEFAULTED' : lease.status, ...(autopayRun ? { autopayRun } : {}) };
}
