// Rent payments: a renter pays one installment of an ACTIVE lease naming them, for its exact
// amount, from one of their active accounts to the lease's payout account, over a rail.
// Creation is idempotent (see idempotency.ts) and the database allows at most one PENDING or
// PROCESSING payment per installment. Settlement happens in the background (settlement.ts).
// Reads are scoped in the query: the renter sees payments they made, the landlord payments
// to them.
import type { Db, Tx } from '@/server/db';
import { env } from '@/server/env';
import { Prisma, type Payment } from '@/server/generated/prisma/client';
import type { PaymentKind, PaymentStatus, Rail } from '@/server/generated/prisma/enums';
import type { Actor } from './actor';
import { badRequest, conflict, DomainError, notFound } from './errors';
import { aggregateHistory, appendEvents, type EventView, type NewEvent } from './events';
import { runIdempotent, type IdempotentResult } from './idempotency';
import { installmentSnapshot } from './leases';
import { businessDay, lateFeeLedgerSelect, lateFeeOfLedger, ledgerPartsOf, post, postings } from './ledger';
import { coveringSelect, decideInstallment, installmentLabel, latestCovering, type InstallmentVerdict } from './installment-state';
import { failureText } from './failure-codes';
import { pageArgs, toPage, type Page, type PageInput } from './pagination';
import { paymentSnapshot, PAYMENT_EVENT_ON_ENTERING, transitionPayment, type PaymentSnapshot } from './payment-state';
import { railSchedule, scaledInstant, type RailSchedule } from './calendar';
import { paymentSplit, RAILS, settlementStanding, type PaymentSplit } from './rails';
import { dayFromDate } from './schedule';
import { formatCents } from './money';

const paymentSelect = {
  id: true,
  kind: true,
  status: true,
  rail: true,
  amountCents: true,
  feeCents: true,
  discountCents: true,
  attempt: true,
  failureCode: true,
  failureReason: true,
  submitAt: true,
  expectedSettlementAt: true,
  submittedAt: true,
  settledAt: true,
  returnableUntil: true,
  finalAt: true,
  returnedAt: true,
  createdAt: true,
  updatedAt: true,
  installment: { select: { id: true, number: true, dueDate: true, status: true, amountCents: true } },
  lease: { select: { id: true, status: true, dueDay: true, property: { select: { id: true, name: true, line1: true, line2: true, city: true, state: true, postalCode: true } } } },
  renter: { select: { id: true, name: true } },
  landlord: { select: { id: true, name: true } },
  fromAccount: { select: { id: true, nickname: true, bankName: true, last4: true } },
  toAccount: { select: { id: true, nickname: true, bankName: true, last4: true } },
  // An early payoff: every installment it covers and what it pays of each.
  payoffInstallments: {
    orderBy: { installment: { number: 'asc' } },
    select: { rentCents: true, lateFeeCents: true, discountCents: true, installment: { select: { id: true, number: true, dueDate: true } } },
  },
} satisfies Prisma.PaymentSelect;

type PaymentRow = Prisma.PaymentGetPayload<{ select: typeof paymentSelect }>;

export type PaymentView = Omit<PaymentRow, 'installment' | 'payoffInstallments'> & {
  installment: Omit<PaymentRow['installment'], 'dueDate'> & { dueDate: string; /** "November 2026 rent" */ label: string };
  /** Rent, late fee, rail fee, what the renter pays in total and what the landlord receives (rails.ts paymentSplit), in cents. */
  split: PaymentSplit;
  /** FAILED or RETURNED: the reason in words with its code, "Insufficient funds (R01)" (failure-codes.ts). */
  failureText: string | null;
  /** PAYOFF only (else empty): the installments it covers, in order, with rent, late fee and discount share in cents. */
  payoffInstallments: { installmentId: string; number: number; dueDate: string; /** "November 2026 rent" */ label: string; rentCents: number; lateFeeCents: number; discountCents: number }[];
  railName: string;
  /** Rent plus the rail's fee: what leaves the renter's account. */
  totalCents: number;
  /** Still PENDING: not yet submitted to the rail, so the renter can cancel it. */
  cancellable: boolean;
  /** The money stays with the landlord; never once RETURNED (rails.ts settlementStanding). */
  final: boolean;
  /** Settled but still returnable (COMPLETED ACH before its window ended). */
  returnable: boolean;
  /**
   * Only when the demo clock runs faster than real time: when this deployment plays the
   * payment's real-calendar times (see `demoClock`), for progress bars and countdowns.
   */
  playback: DemoPlayback | null;
};

export interface DemoPlayback {
  /** Seconds of wall-clock time one calendar day takes at this deployment's SETTLEMENT_TIME_SCALE. */
  secondsPerDay: number;
  submitAt: Date;
  expectedSettlementAt: Date;
  returnableUntil: Date | null;
}

/** How fast this deployment plays the calendar: null at real time (SETTLEMENT_TIME_SCALE = 1). */
export function demoClock(): { scale: number; secondsPerDay: number } | null {
  const scale = env.SETTLEMENT_TIME_SCALE;
  return scale >= 1 ? null : { scale, secondsPerDay: Math.round(86_400 * scale * 10) / 10 };
}

function toView(row: PaymentRow): PaymentView {
  const clock = demoClock();
  const dueDate = dayFromDate(row.installment.dueDate);
  // A payment's amount is rent plus late fee (an early payoff: rent after its discount plus late fees).
  const lateFeeCents = row.kind === 'PAYOFF' ? row.payoffInstallments.reduce((sum, part) => sum + part.lateFeeCents, 0) : row.amountCents - row.installment.amountCents;
  return {
    ...row,
    installment: { ...row.installment, dueDate, label: installmentLabel({ dueDate }, row.lease) },
    split: paymentSplit(row.amountCents - lateFeeCents, lateFeeCents, row.feeCents),
    failureText: row.status === 'FAILED' || row.status === 'RETURNED' ? failureText(row.failureCode, row.failureReason) : null,
    payoffInstallments: row.payoffInstallments.map(({ installment, ...part }) => ({ installmentId: installment.id, number: installment.number, dueDate: dayFromDate(installment.dueDate), label: installmentLabel(installment, row.lease), ...part })),
    railName: RAILS[row.rail].name,
    totalCents: row.amountCents + row.feeCents,
    cancellable: row.status === 'PENDING',
    ...settlementStanding(row),
    playback: clock && {
      secondsPerDay: clock.secondsPerDay,
      submitAt: scaledInstant(row.createdAt, row.submitAt, clock.scale),
      expectedSettlementAt: scaledInstant(row.createdAt, row.expectedSettlementAt, clock.scale),
      returnableUntil: row.returnableUntil && scaledInstant(row.createdAt, row.returnableUntil, clock.scale),
    },
  };
}

/** Which payments an actor may see: the renter's own, or those paid to the landlord. */
export function paymentScope(actor: Actor): Prisma.PaymentWhereInput {
  return actor.role === 'LANDLORD' ? { landlordId: actor.id } : { renterId: actor.id };
}

/** What one payment's page also reads: the installment's facts for the one rule (installment-state.ts). */
const paymentDetailSelect = {
  ...paymentSelect,
  installment: {
    select: {
      ...paymentSelect.installment.select,
      payments: { orderBy: { createdAt: 'desc' }, take: 1, select: coveringSelect },
      payoffs: { orderBy: { payment: { createdAt: 'desc' } }, take: 1, select: { payment: { select: coveringSelect } } },
    },
  },
  lease: { select: { ...paymentSelect.lease.select, graceDays: true } },
} satisfies Prisma.PaymentSelect;

/** One payment (`payment.byId`): its view, plus what can be done about its installment now. */
export type PaymentDetailView = PaymentView & {
  /** The one rule's answer for the payment's installment now (installment-state.ts): its state, whether it can be paid, and why not. */
  installmentNow: Pick<InstallmentVerdict, 'state' | 'canPay' | 'reason' | 'reasonCode'> & {
    /** The installment's latest payment (or the early payoff covering it), when it is not this one: where to follow it. */
    newerPaymentId: string | null;
  };
  /**
   * The renter (only they retry) may ask `payment.retry` for this payment now: the retry rule
   * (retryRefusal), it is the installment's latest payment, and the installment can be paid.
   * Which account is then checked by the retry itself: after R01_REPRESENTMENTS insufficient-funds
   * returns from one account it wants another (the portal's form preselects one).
   */
  retryable: boolean;
};

export async function getPayment(tx: Tx, actor: Actor, input: { id: string }): Promise<PaymentDetailView> {
  const row = await tx.payment.findFirst({ where: { ...paymentScope(actor), id: input.id }, select: paymentDetailSelect });
  if (!row) throw notFound('Payment');
  const { payments, payoffs, ...installment } = row.installment;
  const { graceDays, ...lease } = row.lease;
  const latest = latestCovering(payments[0], payoffs[0]?.payment);
  const verdict = decideInstallment({ status: installment.status, dueDate: dayFromDate(installment.dueDate), lease: { status: lease.status, graceDays, dueDay: lease.dueDay }, latestPayment: latest, today: businessDay() });
  const newerPaymentId = latest?.id && latest.id !== row.id ? latest.id : null;
  return {
    ...toView({ ...row, installment, lease }),
    installmentNow: { state: verdict.state, canPay: verdict.canPay, reason: verdict.reason, reasonCode: verdict.reasonCode, newerPaymentId },
    retryable: actor.role === 'RENTER' && retryRefusal(row) === null && newerPaymentId === null && verdict.canPay,
  };
}

export async function listPayments(
  tx: Tx,
  actor: Actor,
  input: PageInput & { leaseId?: string; status?: PaymentStatus; rail?: Rail; installmentId?: string },
): Promise<Page<PaymentView>> {
  const rows = await tx.payment.findMany({
    where: {
      ...paymentScope(actor),
      ...(input.leaseId ? { leaseId: input.leaseId } : {}),
      ...(input.installmentId ? { installmentId: input.installmentId } : {}),
      ...(input.status ? { status: input.status } : {}),
      ...(input.rail ? { rail: input.rail } : {}),
    },
    select: paymentSelect,
    ...pageArgs(input),
  });
  const page = toPage(rows, input.limit);
  return { ...page, items: page.items.map(toView) };
}

export interface CreatePaymentInput {
  installmentId: string;
  fromAccountId: string;
  rail: Rail;
}

/**
 * Creates a PENDING payment and its event in one transaction, once per idempotency key.
 * The caller sends the settlement request after this returns (and only when not replayed).
 */
export function createPayment(
  db: Db,
  actor: Actor,
  input: CreatePaymentInput,
  idempotencyKey: string | null,
  /** Checked in the same transaction before the payment is written (autopay: still on, same generation, not skipped); throw to refuse. */
  guard?: (tx: Tx) => Promise<void>,
): Promise<IdempotentResult<PaymentView>> {
  const scope = idempotencyKey ? { userId: actor.id, procedure: 'payment.create', key: idempotencyKey, request: input } : null;
  return runIdempotent(db, scope, async (tx) => {
    await guard?.(tx);
    return insertPayment(tx, actor, input, idempotencyKey);
  });
}

/** How many times a payment returned R01 (insufficient funds) may be presented again from the same account (NACHA: twice). */
export const R01_REPRESENTMENTS = 2;

/**
 * Why `payment.retry` refuses to present this payment again, or null when it may: only a FAILED
 * payment of one installment, or one RETURNED R01 (insufficient funds, which NACHA lets the
 * originator re-present); an early payoff is quoted and paid anew instead. The one retry rule:
 * retryPayment enforces it and the payment's view (`retryable`) shows it.
 */
export function retryRefusal(payment: { kind: PaymentKind; status: PaymentStatus; failureCode: string | null }): string | null {
  if (payment.kind === 'PAYOFF') return 'An early payoff is not retried: ask for a new payoff quote and pay the lease off again';
  if (payment.status === 'RETURNED' && payment.failureCode !== 'R01') return `This payment was returned (${payment.failureCode}); it cannot be presented again: pay the installment again instead`;
  if (payment.status !== 'FAILED' && payment.status !== 'RETURNED') return `This payment is ${payment.status}; only a FAILED or RETURNED payment can be retried`;
  return null;
}

/**
 * A new attempt for an installment whose payment FAILED, or was RETURNED R01 (a re-presentment,
 * at most R01_REPRESENTMENTS times per account): same installment, by default the same account
 * and rail. Other returns (closed, unknown or unauthorized account) are not re-presented: the
 * renter pays the installment again, from an active account.
 */
export async function retryPayment(
  db: Db,
  actor: Actor,
  input: { id: string; fromAccountId?: string; rail?: Rail },
  idempotencyKey: string | null,
): Promise<IdempotentResult<PaymentView>> {
  const failed = await db.payment.findFirst({
    where: { id: input.id, renterId: actor.id },
    select: { kind: true, status: true, failureCode: true, installmentId: true, fromAccountId: true, rail: true },
  });
  if (!failed) throw notFound('Payment');
  const refusal = retryRefusal(failed);
  if (refusal) throw conflict(refusal);
  const request = { installmentId: failed.installmentId, fromAccountId: input.fromAccountId ?? failed.fromAccountId, rail: input.rail ?? failed.rail };
  const scope = idempotencyKey ? { userId: actor.id, procedure: 'payment.retry', key: idempotencyKey, request: { ...request, retryOf: input.id } } : null;
  return runIdempotent(db, scope, async (tx) => {
    // The installment moved on since (paid by another attempt, or a retry is already in flight).
    const latest = await tx.payment.findFirst({ where: { installmentId: failed.installmentId }, orderBy: { createdAt: 'desc' }, select: { id: true, status: true } });
    if (latest && latest.id !== input.id) {
      throw conflict(`This installment already has a newer payment (${latest.status}); retry that one if it fails`);
    }
    return insertPayment(tx, actor, request, idempotencyKey);
  });
}

/** The renter's own active account a payment is sent from: NOT_FOUND when it is not theirs, BAD_REQUEST when deactivated. */
export async function sendingAccount(tx: Tx, actor: Actor, fromAccountId: string): Promise<{ id: string; active: true }> {
  return checkSendingAccount(await tx.bankAccount.findFirst({ where: { id: fromAccountId, userId: actor.id }, select: { id: true, active: true } }));
}

/** sendingAccount's rule over the account as read (null: none of the renter's has that id), for a caller that read it in another statement. */
function checkSendingAccount(from: { id: string; active: boolean } | null): { id: string; active: true } {
  if (!from) throw new DomainError('NOT_FOUND', 'Bank account not found', { fromAccountId: ['no such bank account among yours'] });
  if (!from.active) throw badRequest('That bank account is deactivated', { fromAccountId: ['this account is deactivated; activate it or choose another'] });
  return { id: from.id, active: true };
}

/** The rail's terms for a payment of `amountCents`; BAD_REQUEST when it is over the rail's limit. */
export function assertWithinRailLimit(railCode: Rail, amountCents: number): (typeof RAILS)[Rail] {
  const rail = RAILS[railCode];
  if (amountCents > rail.limitCents) {
    throw badRequest(`${formatCents(amountCents)} is over the ${rail.name} limit of ${formatCents(rail.limitCents)}`, {
      rail: [`over this rail's limit of ${formatCents(rail.limitCents)}; choose another rail`],
    });
  }
  return rail;
}

async function insertPayment(tx: Tx, actor: Actor, input: CreatePaymentInput, idempotencyKey: string | null): Promise<PaymentView> {
  // Ownership and the locks in one statement, in the one lock order (lease, then installment):
  // the installment's lock serializes payments of one installment with each other and with its
  // settlement; the lease's serializes them with an early payoff of the lease (payoff.ts).
  const [locked] = await tx.$queryRaw<{ id: string }[]>`
    SELECT i.id FROM "Installment" i JOIN "Lease" l ON l.id = i."leaseId"
    WHERE i.id = ${input.installmentId}::uuid AND l."renterId" = ${actor.id}::uuid
    FOR UPDATE OF l, i`;
  if (!locked) throw new DomainError('NOT_FOUND', 'Installment not found', { installmentId: ['no such installment on your leases'] });
  // Read after the lock, in one statement: the installment, its lease, payments and late fee, and
  // the renter's sending account. After, not with the lock: a statement that waited for the lock
  // sees the locked rows as they are now but joined ones as they were (READ COMMITTED), and a
  // return (R02/R03) deactivates the account under that same lock.
  const current = await tx.installment.findUniqueOrThrow({
    where: { id: input.installmentId },
    include: {
      lease: {
        select: {
          status: true,
          graceDays: true,
          dueDay: true,
          landlordId: true,
          payoutAccount: { select: { id: true, active: true } },
          renter: { select: { bankAccounts: { where: { id: input.fromAccountId }, select: { id: true, active: true } } } },
        },
      },
      payments: { orderBy: { createdAt: 'desc' }, select: { ...coveringSelect, fromAccountId: true } },
      payoffs: { orderBy: { payment: { createdAt: 'desc' } }, take: 1, select: { payment: { select: coveringSelect } } },
      ledger: lateFeeLedgerSelect,
    },
  });
  const lease = current.lease;
  // The one rule (installment-state.ts): paid, waived, an inactive lease, or money already on its way.
  const verdict = decideInstallment({
    status: current.status,
    dueDate: dayFromDate(current.dueDate),
    lease,
    latestPayment: latestCovering(current.payments[0], current.payoffs[0]?.payment),
    today: businessDay(),
  });
  if (!verdict.canPay) throw conflict(verdict.reason!);

  const from = checkSendingAccount(lease.renter?.bankAccounts[0] ?? null);
  const r01Returns = current.payments.filter((payment) => payment.status === 'RETURNED' && payment.failureCode === 'R01' && payment.fromAccountId === from.id).length;
  if (r01Returns > R01_REPRESENTMENTS) {
    throw conflict(`${installmentLabel(current, lease)} was returned for insufficient funds ${r01Returns} times from this account; it cannot be presented again: choose another account`);
  }
  if (!lease.payoutAccount.active) throw conflict("The landlord's payout account is deactivated; ask your landlord to update it");

  // A payment carries the installment's late fee, if one was charged and not waived.
  const { landlordReceivesCents: amountCents, feeCents } = paymentSplit(current.amountCents, lateFeeOfLedger(current.ledger), RAILS[input.rail].feeCents);
  assertWithinRailLimit(input.rail, amountCents);

  const previousAttempts = current.payments.length;
  const timeline = railSchedule(input.rail, new Date());
  let payment: Payment;
  try {
    payment = await tx.payment.create({
      data: {
        installmentId: current.id,
        leaseId: current.leaseId,
        renterId: actor.id,
        landlordId: lease.landlordId,
        fromAccountId: from.id,
        toAccountId: lease.payoutAccount.id,
        rail: input.rail,
        amountCents,
        feeCents,
        attempt: previousAttempts + 1,
        submitAt: timeline.submitAt,
        expectedSettlementAt: timeline.expectedSettlementAt,
        returnableUntil: timeline.returnableUntil,
        idempotencyKey,
      },
    });
  } catch (error) {
    // The partial unique index: another request put a payment in flight for this installment first.
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
      throw conflict(`${installmentLabel(current, lease)} already has a payment on its way`);
    }
    throw error;
  }
  await appendEvents(tx, [
    {
      aggregateType: 'Payment',
      aggregateId: payment.id,
      first: true,
      type: 'payment.created',
      actor,
      reason: previousAttempts ? `attempt ${previousAttempts + 1} for ${installmentLabel(current, lease)}` : null,
      data: paymentSnapshot(payment),
    },
  ]);
  await post(tx, postings.paymentSubmitted(payment, actor));
  return getPayment(tx, actor, { id: payment.id });
}

/**
 * The renter stops a payment that has not been submitted to its rail yet: PENDING →
 * CANCELLED. Once PROCESSING it answers CONFLICT. The installment is due again.
 */
export async function cancelPayment(tx: Tx, actor: Actor, input: { id: string; reason?: string }): Promise<PaymentView> {
  const reason = input.reason?.trim() || 'cancelled by the renter before submission';
  const owned = await tx.payment.findFirst({ where: { id: input.id, renterId: actor.id }, select: { installmentId: true } });
  if (!owned) throw notFound('Payment');
  // Same lock order as creation and settlement: the installment first.
  await tx.$executeRaw`SELECT 1 FROM "Installment" WHERE id = ${owned.installmentId}::uuid FOR UPDATE`;
  const cancelled = await transitionPayment(tx, { id: input.id, scope: { renterId: actor.id }, to: 'CANCELLED' });
  if (!cancelled) {
    const current = await tx.payment.findUniqueOrThrow({ where: { id: input.id }, select: { status: true } });
    throw conflict(
      current.status === 'PROCESSING'
        ? 'This payment is PROCESSING: it has been submitted to its rail and can no longer be cancelled'
        : `This payment is ${current.status}; only a PENDING payment can be cancelled`,
    );
  }
  const events: NewEvent[] = [
    { aggregateType: 'Payment', aggregateId: cancelled.id, type: PAYMENT_EVENT_ON_ENTERING.CANCELLED, actor, reason, data: paymentSnapshot(cancelled) },
  ];
  // A cancelled retry leaves the installment simply due, not failed. (A payoff never changed its installments.)
  const [installment] =
    cancelled.kind === 'PAYOFF' ? [] : await tx.installment.updateManyAndReturn({ where: { id: cancelled.installmentId, status: 'FAILED' }, data: { status: 'DUE' } });
  if (installment) {
    events.push({ aggregateType: 'Installment', aggregateId: installment.id, type: 'installment.due', actor, reason: 'its payment was cancelled', data: installmentSnapshot(installment) });
  }
  await appendEvents(tx, events);
  await post(tx, (await ledgerPartsOf(tx, cancelled)).map((part) => postings.paymentCancelled(part, actor)));
  return getPayment(tx, actor, { id: cancelled.id });
}

export interface PaymentHistory {
  events: EventView[];
  /** Only when asked with `asOf`: the payment as it was then, rebuilt from its events (null before it existed). */
  asOf: { at: Date; sequence: number | null; payment: PaymentSnapshot | null } | null;
}

export async function paymentHistory(tx: Tx, actor: Actor, input: { id: string; asOf?: Date }): Promise<PaymentHistory> {
  const payment = await tx.payment.findFirst({ where: { ...paymentScope(actor), id: input.id }, select: { id: true } });
  if (!payment) throw notFound('Payment');
  const { events, asOf } = await aggregateHistory(tx, 'Payment', payment.id, input.asOf);
  return { events, asOf: asOf && { at: asOf.at, sequence: asOf.sequence, payment: asOf.state as PaymentSnapshot | null } };
}

/** The rails table for clients: names, limits, fees, finality and cut-offs (times come from `quoteRail`). */
export function listRails() {
  return Object.values(RAILS).map(({ rail, name, limitCents, feeCents, final, cutoff }) => ({ rail, name, limitCents, feeCents, final, cutoff }));
}

export interface RailQuote extends RailSchedule {
  rail: Rail;
  feeCents: number;
  limitCents: number;
}

/** What paying over `rail` at instant `at` means on the banking calendar: its times (real calendar), fee and limit in cents. */
export function quoteRail(rail: Rail, at: Date): RailQuote {
  const { feeCents, limitCents } = RAILS[rail];
  return { rail, ...railSchedule(rail, at), feeCents, limitCents };
}
