// Early payoff: the renter of an ACTIVE lease pays every remaining installment at once, less
// the lease's payoff discount (payoff-rules.ts has the arithmetic and its rounding). The quote
// and the payment are computed by the same function (`computePayoff`) from the same rows, so
// they agree to the cent. A payoff is one Payment of kind PAYOFF linked to the first remaining
// installment, with one PayoffInstallment row per installment it covers; it settles through
// the same background function and rails calendar as any payment (settlement.ts), and an ACH
// return reverses all of it (returns.ts). Lock order as everywhere: lease, then installments.
import type { Db, Tx } from '@/server/db';
import type { Payment } from '@/server/generated/prisma/client';
import type { Rail } from '@/server/generated/prisma/enums';
import type { Actor } from './actor';
import { railSchedule } from './calendar';
import { conflict, DomainError, notFound } from './errors';
import { appendEvents } from './events';
import { runIdempotent, type IdempotentResult } from './idempotency';
import { installmentLabel } from './installment-state';
import { businessDay, ledgerPartsOf, post, postings } from './ledger';
import { paymentSnapshot } from './payment-state';
import { assertWithinRailLimit, getPayment, sendingAccount, type PaymentView } from './payments';
import { formatBasisPoints, formatCents } from './money';
import { allocatePayoffDiscount, payoffDiscountCents } from './payoff-rules';
import { MAX_PAYMENT_CENTS } from './rails';
import { dayFromDate } from './schedule';

export interface PayoffQuoteInstallment {
  id: string;
  number: number;
  /** YYYY-MM-DD */
  dueDate: string;
  /** "March 2027 rent", "November 2026 rent (prorated)" (installmentLabel). */
  label: string;
  status: 'DUE' | 'FAILED';
  rentCents: number;
  /** Late fee charged and not waived; paid in full (never discounted). */
  lateFeeCents: number;
  /** The part of the discount taken off this installment (from the last installments first). */
  discountCents: number;
  /** What the payoff pays for it: rent + late fee − discount. */
  amountCents: number;
}

export interface PayoffQuote {
  leaseId: string;
  /** The lease's discount rate in basis points (200 = 2 %). */
  discountBasisPoints: number;
  /** Every installment still unpaid (DUE or FAILED), in schedule order. */
  installments: PayoffQuoteInstallment[];
  /** The rent of those installments, in cents. */
  remainingCents: number;
  /** floor(remainingCents × discountBasisPoints / 10,000), in cents. */
  discountCents: number;
  /** Late fees charged on them and not waived, in cents; not discounted. */
  lateFeesCents: number;
  /** What the payoff payment is for: remaining − discount + late fees, in cents (the rail's fee comes on top, as for any payment). */
  amountCents: number;
  /** Whether it can be paid now; when not, `reason` says why. */
  payable: boolean;
  reason: string | null;
  /** A payment of this lease still PENDING or PROCESSING (a payoff waits for it). */
  inFlightPaymentId: string | null;
}

/**
 * The payoff of a lease as it stands, from its rows: the remaining installments, their late
 * fees, the discount and what to pay. The caller holds the lease lock when it will pay it.
 */
async function computePayoff(tx: Db | Tx, lease: { id: string; status: string; payoffDiscountBasisPoints: number; dueDay: number }): Promise<PayoffQuote> {
  const remaining = await tx.installment.findMany({
    where: { leaseId: lease.id, status: { in: ['DUE', 'FAILED'] } },
    orderBy: { number: 'asc' },
    select: { id: true, number: true, dueDate: true, status: true, amountCents: true },
  });
  const lateFees = await tx.$queryRaw<{ installmentId: string; cents: bigint }[]>`
    SELECT t."installmentId", -sum(e."amountCents") AS cents FROM "LedgerEntry" e JOIN "LedgerTransaction" t ON t.id = e."transactionId"
    WHERE t."leaseId" = ${lease.id}::uuid AND e.account = 'LATE_FEE_INCOME' GROUP BY t."installmentId"`;
  const lateFeeOf = new Map(lateFees.map((row) => [row.installmentId, Number(row.cents)]));
  const remainingCents = remaining.reduce((sum, i) => sum + i.amountCents, 0);
  const today = businessDay();
  const notYetDueCents = remaining.reduce((sum, i) => (dayFromDate(i.dueDate) > today ? sum + i.amountCents : sum), 0);
  const discountCents = payoffDiscountCents(remainingCents, lease.payoffDiscountBasisPoints, notYetDueCents);
  const shares = allocatePayoffDiscount(
    remaining.map((i) => i.amountCents),
    discountCents,
  );
  const installments = remaining.map((i, index): PayoffQuoteInstallment => {
    const lateFeeCents = lateFeeOf.get(i.id) ?? 0;
    const discount = shares[index]!;
    const dueDate = dayFromDate(i.dueDate);
    return { id: i.id, number: i.number, dueDate, label: installmentLabel({ dueDate }, lease), status: i.status as 'DUE' | 'FAILED', rentCents: i.amountCents, lateFeeCents, discountCents: discount, amountCents: i.amountCents + lateFeeCents - discount };
  });
  const lateFeesCents = installments.reduce((sum, i) => sum + i.lateFeeCents, 0);
  const amountCents = remainingCents - discountCents + lateFeesCents;
  const inFlight = await tx.payment.findFirst({ where: { leaseId: lease.id, status: { in: ['PENDING', 'PROCESSING'] } }, select: { id: true, kind: true, status: true } });
  const reason =
    lease.status !== 'ACTIVE'
      ? `This lease is ${lease.status}; only an ACTIVE lease can be paid off`
      : inFlight
        ? `A ${inFlight.kind === 'PAYOFF' ? 'payoff' : 'payment'} of this lease is in progress (${inFlight.status}); pay off once it settles or fails`
        : !installments.length
          ? 'Every installment of this lease is paid; there is nothing left to pay'
          : amountCents <= 0
            ? 'The payoff discount covers everything left; there is nothing to pay'
            : amountCents > MAX_PAYMENT_CENTS
              ? `${formatCents(amountCents)} is over every rail's limit (at most ${formatCents(MAX_PAYMENT_CENTS)} in one payment); pay the installments one by one`
              : null;
  return {
    leaseId: lease.id,
    discountBasisPoints: lease.payoffDiscountBasisPoints,
    installments,
    remainingCents,
    discountCents,
    lateFeesCents,
    amountCents,
    payable: reason === null,
    reason,
    inFlightPaymentId: inFlight?.id ?? null,
  };
}

/**
 * lease.payoffQuote: what paying the lease off now would cost its renter (see PayoffQuote),
 * with `payable` and `reason` when it cannot be paid now. NOT_FOUND for anyone but the
 * lease's renter; CONFLICT when the lease is not ACTIVE.
 */
export async function quotePayoff(db: Db | Tx, actor: Actor, input: { leaseId: string }): Promise<PayoffQuote> {
  const lease = await db.lease.findFirst({ where: { id: input.leaseId, renterId: actor.id }, select: { id: true, status: true, payoffDiscountBasisPoints: true, dueDay: true } });
  if (!lease) throw notFound('Lease');
  if (lease.status !== 'ACTIVE') throw conflict(`This lease is ${lease.status}; only an ACTIVE lease can be paid off`);
  return computePayoff(db, lease);
}

export interface PayoffInput {
  leaseId: string;
  fromAccountId: string;
  rail: Rail;
}

/**
 * payment.payoff: one PENDING payment of kind PAYOFF for the quote's `amountCents` (plus the
 * rail's fee), from the renter's active account to the lease's payout account, covering every
 * remaining installment; idempotent per key exactly like payment.create (procedure
 * 'payment.payoff'). Under the lease's row lock (which payment.create takes too), it refuses
 * with CONFLICT while any payment of the lease is in flight, when nothing is left to pay, or
 * when the lease is not ACTIVE; NOT_FOUND for a lease or account that is not the renter's;
 * BAD_REQUEST for a deactivated account or an amount over the rail's limit. The caller sends
 * the settlement request after it returns (and only when not replayed).
 */
export function payOffLease(db: Db, actor: Actor, input: PayoffInput, idempotencyKey: string | null): Promise<IdempotentResult<PaymentView>> {
  const scope = idempotencyKey ? { userId: actor.id, procedure: 'payment.payoff', key: idempotencyKey, request: input } : null;
  return runIdempotent(db, scope, (tx) => insertPayoff(tx, actor, input, idempotencyKey));
}

async function insertPayoff(tx: Tx, actor: Actor, input: PayoffInput, idempotencyKey: string | null): Promise<PaymentView> {
  const locked = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM "Lease" WHERE id = ${input.leaseId}::uuid AND "renterId" = ${actor.id}::uuid FOR UPDATE`;
  if (!locked.length) throw new DomainError('NOT_FOUND', 'Lease not found', { leaseId: ['no such lease of yours'] });
  const lease = await tx.lease.findUniqueOrThrow({
    where: { id: input.leaseId },
    select: { id: true, status: true, landlordId: true, payoffDiscountBasisPoints: true, dueDay: true, payoutAccount: { select: { id: true, active: true } } },
  });
  const quote = await computePayoff(tx, lease);
  if (!quote.payable) throw conflict(quote.reason!);
  const from = await sendingAccount(tx, actor, input.fromAccountId);
  if (!lease.payoutAccount.active) throw conflict("The landlord's payout account is deactivated; ask your landlord to update it");
  const rail = assertWithinRailLimit(input.rail, quote.amountCents);
  // Installments stay as they are until it settles; lock them (after the lease) against late fees and waivers meanwhile.
  await tx.$executeRaw`SELECT 1 FROM "Installment" WHERE "leaseId" = ${lease.id}::uuid AND status IN ('DUE', 'FAILED') ORDER BY number FOR UPDATE`;

  const first = quote.installments[0]!;
  const timeline = railSchedule(input.rail, new Date());
  const previousAttempts = await tx.payment.count({ where: { installmentId: first.id } });
  const payment: Payment = await tx.payment.create({
    data: {
      kind: 'PAYOFF',
      installmentId: first.id,
      leaseId: lease.id,
      renterId: actor.id,
      landlordId: lease.landlordId,
      fromAccountId: from.id,
      toAccountId: lease.payoutAccount.id,
      rail: input.rail,
      amountCents: quote.amountCents,
      feeCents: rail.feeCents,
      discountCents: quote.discountCents,
      attempt: previousAttempts + 1,
      submitAt: timeline.submitAt,
      expectedSettlementAt: timeline.expectedSettlementAt,
      returnableUntil: timeline.returnableUntil,
      idempotencyKey,
      payoffInstallments: {
        create: quote.installments.map((i) => ({ installmentId: i.id, rentCents: i.rentCents, lateFeeCents: i.lateFeeCents, discountCents: i.discountCents })),
      },
    },
  });
  const last = quote.installments.at(-1)!;
  await appendEvents(tx, [
    {
      aggregateType: 'Payment',
      aggregateId: payment.id,
      type: 'payment.created',
      actor,
      reason: `early payoff of installment${quote.installments.length > 1 ? `s ${first.number}–${last.number}` : ` ${first.number}`} (discount ${formatCents(quote.discountCents)}, ${formatBasisPoints(quote.discountBasisPoints)})`,
      data: paymentSnapshot(payment),
    },
  ]);
  await post(tx, (await ledgerPartsOf(tx, payment)).map((part) => postings.paymentSubmitted(part, actor)));
  return getPayment(tx, actor, { id: payment.id });
}
