// The lease's double-entry ledger: the one module that writes ledger transactions, and the
// reads built on them (the tenant ledger, balances, reconciliation).
//
// Every business event is one posting rule below (`postings.*`), and `post(tx, …)` writes it in
// the caller's database transaction — the same one that makes the state change it records.
// Amounts are signed integer cents, debits positive, credits negative; each transaction's
// entries sum to zero and the database checks that at commit (a deferred constraint trigger)
// and refuses UPDATE and DELETE. A correction is a new, reversing transaction.
//
// The accounts (enum LedgerAccount) and what each posting does to them, for rent R (plus any
// outstanding late fee L that the payment carries), rail fee F:
//
//   charge due        RENTER_RECEIVABLE +R   LANDLORD_PAYABLE −R
//   late fee          RENTER_RECEIVABLE +L   LATE_FEE_INCOME −L
//   late fee waiver   RENTER_RECEIVABLE −L   LATE_FEE_INCOME +L      (reverses the late fee)
//   payment submitted CASH_IN_TRANSIT +A     RENTER_RECEIVABLE −A    (A = R + L, at creation)
//   payment cancelled RENTER_RECEIVABLE +A   CASH_IN_TRANSIT −A      (reverses submitted)
//   payment failed    RENTER_RECEIVABLE +A   CASH_IN_TRANSIT −A      (reverses submitted)
//   payment settled   LANDLORD_PAID +A       CASH_IN_TRANSIT −A
//   fee               DIRECTPAY_CASH +F      FEE_INCOME −F           (with the settlement)
//   payment returned  RENTER_RECEIVABLE +A   LANDLORD_PAID −A        (reverses settled)
//   fee refund        FEE_INCOME +F          DIRECTPAY_CASH −F       (with the return)
//   payoff discount   LANDLORD_PAYABLE +D    RENTER_RECEIVABLE −D    (an early payoff settled)
//   discount reversed RENTER_RECEIVABLE +D   LANDLORD_PAYABLE −D     (the payoff was returned)
//
// An early payoff (a Payment of kind PAYOFF) pays several installments: it is posted in parts,
// one per installment it covers (`ledgerPartsOf`), each part its installment's rent + late fee
// − its share of the discount, so every installment's receivable stays its own. Installments
// not yet due are paid ahead (their receivable goes negative until their charge falls due, on
// its date as always); the discount forgives the rest of their rent, on the landlord's side.
//
// So at any instant: what was charged (−LANDLORD_PAYABLE −LATE_FEE_INCOME) equals what the
// renter still owes (RENTER_RECEIVABLE) plus what is on its way (CASH_IN_TRANSIT) plus what
// reached the landlord (LANDLORD_PAID). The rail fee is settled with the payment and never
// owed: a failed or cancelled payment costs nothing, and a returned one is refunded.
//
// Dates: an installment falls due on its due date in America/New_York (the banking calendar's
// zone); the daily function posts the charges of every installment due on or before today, and
// accepting a lease posts the charges of installments already due at once.
import type { Db, Tx } from '@/server/db';
import { Prisma } from '@/server/generated/prisma/client';
import type { LedgerAccount, LedgerKind, PaymentKind } from '@/server/generated/prisma/enums';
import { SYSTEM_ACTOR, type Actor, type EventActor } from './actor';
import { dayInNewYork, formatDay } from './calendar';
import { conflict, notFound } from './errors';
import { appendEvents } from './events';
import { installmentSnapshot } from './leases';
import { formatCents } from './money';
import { notify } from './notifications';
import { RAILS } from './rails';
import { dateFromDay, dayFromDate, lateFeeCents, type LateFeeTerms } from './schedule';
import { coveringSelect, decideInstallment, installmentLabel, latestCovering } from './installment-state';

/** The date (YYYY-MM-DD) in America/New_York at `now`, on the one banking calendar (calendar.ts). */
export function businessDay(now: Date = new Date()): string {
  return formatDay(dayInNewYork(now));
}

/** One ledger transaction to write: a business event and its entries (signed cents per account). */
export interface Posting {
  kind: LedgerKind;
  leaseId: string;
  installmentId: string;
  paymentId?: string | null;
  reason: string;
  actor: EventActor;
  entries: Partial<Record<LedgerAccount, number>>;
}

/** What a posting rule needs of a payment. */
export interface PaymentForLedger {
  id: string;
  leaseId: string;
  installmentId: string;
  rail: keyof typeof RAILS;
  amountCents: number;
  feeCents: number;
  failureCode?: string | null;
}

/** One installment's part of a payment: the whole payment for an ordinary one; for a payoff, see `ledgerPartsOf`. */
export interface PaymentPart extends PaymentForLedger {
  /** The payoff discount taken off this installment (0 for ordinary payments). */
  discountCents: number;
}

/**
 * A payment as the ledger records it, per installment it pays: an ordinary payment is one
 * part; a payoff one part per installment it covers (rent + late fee − its discount share,
 * the rail fee with its first installment), in schedule order.
 */
export async function ledgerPartsOf<P extends PaymentForLedger & { kind: PaymentKind }>(tx: Db | Tx, payment: P): Promise<(P & PaymentPart)[]> {
  if (payment.kind !== 'PAYOFF') return [{ ...payment, discountCents: 0 }];
  const covered = await tx.payoffInstallment.findMany({ where: { paymentId: payment.id }, orderBy: { installment: { number: 'asc' } } });
  return covered.map((part) => ({
    ...payment,
    installmentId: part.installmentId,
    amountCents: part.rentCents + part.lateFeeCents - part.discountCents,
    feeCents: part.installmentId === payment.installmentId ? payment.feeCents : 0,
    discountCents: part.discountCents,
  }));
}

/** What a posting rule needs of an installment. */
export interface InstallmentForLedger {
  id: string;
  leaseId: string;
  number: number;
  dueDate: Date;
  amountCents: number;
  /** Its lease's due day, which names a prorated installment in the posting's reason (installmentLabel). */
  lease: { dueDay: number };
}

/** The posting rules: one per business event. Each returns what `post` writes. */
export const postings = {
  /** The installment fell due: the renter owes its rent, which is the landlord's. */
  chargeDue(installment: InstallmentForLedger): Posting {
    const r = installment.amountCents;
    return {
      kind: 'CHARGE',
      leaseId: installment.leaseId,
      installmentId: installment.id,
      reason: installmentLabel(installment, installment.lease),
      actor: SYSTEM_ACTOR,
      entries: { RENTER_RECEIVABLE: r, LANDLORD_PAYABLE: -r },
    };
  },

  /** The renter sent a payment (created, PENDING): it is in transit until it settles. */
  paymentSubmitted(payment: PaymentForLedger, actor: EventActor): Posting {
    const a = payment.amountCents;
    return {
      kind: 'PAYMENT_SUBMITTED',
      ...ofPayment(payment),
      reason: `Payment over ${RAILS[payment.rail].name}`,
      actor,
      entries: { CASH_IN_TRANSIT: a, RENTER_RECEIVABLE: -a },
    };
  },

  /** The renter cancelled the payment before submission: it is owed again. */
  paymentCancelled(payment: PaymentForLedger, actor: EventActor): Posting {
    const a = payment.amountCents;
    return { kind: 'PAYMENT_CANCELLED', ...ofPayment(payment), reason: 'Payment cancelled', actor, entries: { RENTER_RECEIVABLE: a, CASH_IN_TRANSIT: -a } };
  },

  /** The bank refused the payment: nothing moved, it is owed again. */
  paymentFailed(payment: PaymentForLedger): Posting {
    const a = payment.amountCents;
    return {
      kind: 'PAYMENT_FAILED',
      ...ofPayment(payment),
      reason: `Payment failed${payment.failureCode ? ` (${payment.failureCode})` : ''}`,
      actor: SYSTEM_ACTOR,
      entries: { RENTER_RECEIVABLE: a, CASH_IN_TRANSIT: -a },
    };
  },

  /** The payment settled into the landlord's account; its rail fee reached DirectPay with it. */
  paymentSettled(payment: PaymentForLedger): Posting[] {
    const a = payment.amountCents;
    const settled: Posting = {
      kind: 'PAYMENT_SETTLED',
      ...ofPayment(payment),
      reason: `Payment settled over ${RAILS[payment.rail].name}`,
      actor: SYSTEM_ACTOR,
      entries: { LANDLORD_PAID: a, CASH_IN_TRANSIT: -a },
    };
    if (payment.feeCents === 0) return [settled];
    const f = payment.feeCents;
    return [settled, { kind: 'FEE', ...ofPayment(payment), reason: `${RAILS[payment.rail].name} fee`, actor: SYSTEM_ACTOR, entries: { DIRECTPAY_CASH: f, FEE_INCOME: -f } }];
  },

  /** A settled (ACH) payment came back: the money leaves the landlord, the renter owes it again, the fee is refunded. */
  paymentReturned(payment: PaymentForLedger & { failureCode: string | null }): Posting[] {
    const a = payment.amountCents;
    const returned: Posting = {
      kind: 'PAYMENT_RETURNED',
      ...ofPayment(payment),
      reason: `Payment returned${payment.failureCode ? ` (${payment.failureCode})` : ''}`,
      actor: SYSTEM_ACTOR,
      entries: { RENTER_RECEIVABLE: a, LANDLORD_PAID: -a },
    };
    if (payment.feeCents === 0) return [returned];
    const f = payment.feeCents;
    return [returned, { kind: 'FEE_REFUND', ...ofPayment(payment), reason: `${RAILS[payment.rail].name} fee refunded`, actor: SYSTEM_ACTOR, entries: { FEE_INCOME: f, DIRECTPAY_CASH: -f } }];
  },

  /** An early payoff settled: the discount on this installment is forgiven, at the landlord's expense. */
  payoffDiscount(part: PaymentPart): Posting {
    const d = part.discountCents;
    return { kind: 'PAYOFF_DISCOUNT', ...ofPayment(part), reason: 'Early payoff discount', actor: SYSTEM_ACTOR, entries: { RENTER_RECEIVABLE: -d, LANDLORD_PAYABLE: d } };
  },

  /** The payoff came back: its discount is owed again (reverses payoffDiscount). */
  payoffDiscountReversed(part: PaymentPart): Posting {
    const d = part.discountCents;
    return { kind: 'PAYOFF_DISCOUNT_REVERSED', ...ofPayment(part), reason: 'Early payoff discount reversed (payoff returned)', actor: SYSTEM_ACTOR, entries: { RENTER_RECEIVABLE: d, LANDLORD_PAYABLE: -d } };
  },

  /** The installment is still unpaid after the grace period: the lease's late fee is owed. */
  lateFee(installment: InstallmentForLedger, feeCents: number): Posting {
    return {
      kind: 'LATE_FEE',
      leaseId: installment.leaseId,
      installmentId: installment.id,
      reason: `Late fee on ${installmentLabel(installment, installment.lease)}`,
      actor: SYSTEM_ACTOR,
      entries: { RENTER_RECEIVABLE: feeCents, LATE_FEE_INCOME: -feeCents },
    };
  },

  /** The landlord waived a late fee: it is reversed. */
  lateFeeWaiver(installment: InstallmentForLedger, feeCents: number, actor: Actor, reason: string): Posting {
    return {
      kind: 'LATE_FEE_WAIVER',
      leaseId: installment.leaseId,
      installmentId: installment.id,
      reason: `Late fee waived: ${reason}`,
      actor,
      entries: { RENTER_RECEIVABLE: -feeCents, LATE_FEE_INCOME: feeCents },
    };
  },
};

function ofPayment(payment: PaymentForLedger) {
  return { leaseId: payment.leaseId, installmentId: payment.installmentId, paymentId: payment.id };
}

/**
 * Writes postings in the caller's transaction. A posting that already exists (the partial
 * unique indexes: one charge, late fee and waiver per installment, one of each kind per
 * payment) is skipped, so a repeated step or daily run never posts twice. Returns the ids of
 * the transactions written. One statement per posting: the transaction and its entries are
 * inserted together (no entries when the transaction was skipped).
 */
export async function post(tx: Tx, posting: Posting | Posting[]): Promise<bigint[]> {
  const written: bigint[] = [];
  for (const p of Array.isArray(posting) ? posting : [posting]) {
    const entries = Object.entries(p.entries).filter(([, cents]) => cents !== 0) as [LedgerAccount, number][];
    if (!entries.length) continue;
    const [row] = await tx.$queryRaw<{ id: bigint }[]>`
      WITH t AS (
        INSERT INTO "LedgerTransaction" ("leaseId", kind, reason, "paymentId", "installmentId", "actorId", "actorRole")
        VALUES (${p.leaseId}::uuid, ${p.kind}::"LedgerKind", ${p.reason.slice(0, 500)}, ${p.paymentId ?? null}::uuid, ${p.installmentId}::uuid,
                ${p.actor.id}::uuid, ${p.actor.role})
        ON CONFLICT DO NOTHING
        RETURNING id
      ), e AS (
        INSERT INTO "LedgerEntry" ("transactionId", account, "amountCents")
        SELECT t.id, x.account::"LedgerAccount", x.cents
        FROM t CROSS JOIN unnest(${entries.map(([account]) => account)}::text[], ${entries.map(([, cents]) => cents)}::int[]) WITH ORDINALITY AS x(account, cents, position)
        ORDER BY x.position
      )
      SELECT id FROM t`;
    if (row) written.push(row.id);
  }
  return written;
}

// ---------------------------------------------------------------------------------------
// Charges falling due, late fees, waivers
// ---------------------------------------------------------------------------------------

/** Leases whose installments are charged as they fall due: accepted ones (a defaulted lease still owes its rent). */
const CHARGED_LEASE_STATUSES = ['ACTIVE', 'COMPLETED', 'DEFAULTED'] as const;

/**
 * Posts the charge of every installment due on or before `through` (YYYY-MM-DD) that has none
 * yet, for one lease or (leaseId omitted) every accepted lease. Idempotent. Returns how many
 * it posted.
 */
export async function postChargesDue(tx: Tx, input: { through: string; leaseId?: string; limit?: number }): Promise<number> {
  const due = await tx.installment.findMany({
    where: {
      ...(input.leaseId ? { leaseId: input.leaseId } : {}),
      dueDate: { lte: dateFromDay(input.through) },
      lease: { status: { in: [...CHARGED_LEASE_STATUSES] } },
      ledger: { none: { kind: 'CHARGE' } },
    },
    orderBy: [{ dueDate: 'asc' }, { number: 'asc' }],
    take: input.limit ?? 500,
    select: { id: true, leaseId: true, number: true, dueDate: true, amountCents: true, lease: { select: { dueDay: true } } },
  });
  let posted = 0;
  for (const installment of due) posted += (await post(tx, postings.chargeDue(installment))).length;
  return posted;
}

/** The late fee the lease charges on an installment of `amountCents`, from its terms. */
function leaseLateFee(lease: LateFeeTerms, amountCents: number): number {
  return lateFeeCents(lease, amountCents);
}

/**
 * outstandingLateFeeCents's rule inside a read of the installment (Prisma `include: { ledger:
 * lateFeeLedgerSelect }`, one statement with it); `lateFeeOfLedger` sums what it read.
 */
export const lateFeeLedgerSelect = {
  select: { entries: { where: { account: 'LATE_FEE_INCOME' }, select: { amountCents: true } } },
} satisfies Prisma.Installment$ledgerArgs;

/** The late fee charged and not waived, in cents (0 when none), from the ledger read with `lateFeeLedgerSelect`. */
export function lateFeeOfLedger(ledger: { entries: { amountCents: number }[] }[]): number {
  return 0 - ledger.reduce((sum, transaction) => sum + transaction.entries.reduce((cents, entry) => cents + entry.amountCents, 0), 0);
}

/** The late fee charged on an installment and not waived, in cents (0 when none). */
export async function outstandingLateFeeCents(tx: Tx, installmentId: string): Promise<number> {
  const [row] = await tx.$queryRaw<{ cents: bigint | null }[]>`
    SELECT -sum(e."amountCents") AS cents FROM "LedgerEntry" e JOIN "LedgerTransaction" t ON t.id = e."transactionId"
    WHERE t."installmentId" = ${installmentId}::uuid AND e.account = 'LATE_FEE_INCOME'`;
  return Number(row?.cents ?? 0);
}

/**
 * Charges the lease's late fee on an installment when it is still unpaid after the grace
 * period: the lease is ACTIVE, the installment DUE or FAILED with no payment in flight, and
 * `today` (YYYY-MM-DD, America/New_York) is after its due date plus `graceDays` — on the due
 * date + grace it is still in time. At most once per installment (a unique index). The caller
 * holds the lease and installment locks (in that order). Records an event and tells the renter.
 * Returns the fee charged, or 0.
 */
export async function chargeLateFeeIfLate(tx: Tx, installmentId: string, today: string): Promise<number> {
  const installment = await tx.installment.findUniqueOrThrow({
    where: { id: installmentId },
    include: {
      lease: { select: { status: true, renterId: true, graceDays: true, dueDay: true, lateFeeFlatCents: true, lateFeeBasisPoints: true, lateFeeCapCents: true, property: { select: { name: true } } } },
      payments: { orderBy: { createdAt: 'desc' }, take: 1, select: coveringSelect },
      payoffs: { orderBy: { payment: { createdAt: 'desc' } }, take: 1, select: { payment: { select: coveringSelect } } },
    },
  });
  const { lease } = installment;
  // Overdue is the one rule's answer (installment-state.ts): a payment or early payoff on its way is not late.
  const { overdue } = decideInstallment({
    status: installment.status,
    dueDate: dayFromDate(installment.dueDate),
    lease,
    latestPayment: latestCovering(installment.payments[0], installment.payoffs[0]?.payment),
    today,
  });
  if (!overdue) return 0;
  const fee = leaseLateFee(lease, installment.amountCents);
  if (fee <= 0) return 0;
  const written = await post(tx, postings.lateFee(installment, fee));
  if (!written.length) return 0;
  await appendEvents(tx, [
    {
      aggregateType: 'Installment',
      aggregateId: installment.id,
      type: 'installment.lateFeeCharged',
      actor: SYSTEM_ACTOR,
      reason: `unpaid ${lease.graceDays} day${lease.graceDays === 1 ? '' : 's'} after its due date: late fee ${formatCents(fee)}`,
      // The installment as it stands, as every event's data is; the fee is the ledger's (and the reason's).
      data: installmentSnapshot(installment),
    },
  ]);
  if (lease.renterId) {
    await notify(tx, [
      {
        userId: lease.renterId,
        type: 'ledger.lateFee',
        title: `Late fee: ${formatCents(fee)}`,
        body: `${installmentLabel(installment, lease)} for ${lease.property.name} is past its grace period; a late fee of ${formatCents(fee)} was added.`,
        link: `/leases/${installment.leaseId}`,
      },
    ]);
  }
  return fee;
}

/**
 * Records a returned payment in the ledger, in the return's transaction: the payment and its
 * fee are reversed, and when the bank returned it after the installment's grace period
 * (`returnedOn`, YYYY-MM-DD in America/New_York, the return's real-calendar date) the late fee
 * is charged then — once per installment, like the daily run's.
 */
export async function postReturn(tx: Tx, payment: PaymentForLedger & { kind: PaymentKind; failureCode: string | null }, returnedOn: string): Promise<void> {
  const parts = await ledgerPartsOf(tx, payment);
  await post(tx, parts.flatMap((part) => [...postings.paymentReturned(part), ...(part.discountCents ? [postings.payoffDiscountReversed(part)] : [])]));
  for (const part of parts) await chargeLateFeeIfLate(tx, part.installmentId, returnedOn);
}

/** Records a settled payment: its parts reach the landlord, its fee DirectPay, and a payoff's discount is forgiven. */
export async function postSettlement(tx: Tx, payment: PaymentForLedger & { kind: PaymentKind }): Promise<void> {
  const parts = await ledgerPartsOf(tx, payment);
  await post(tx, parts.flatMap((part) => [...postings.paymentSettled(part), ...(part.discountCents ? [postings.payoffDiscount(part)] : [])]));
}

/** Installments that may owe a late fee today (checked again under lock by chargeLateFeeIfLate). */
export async function findLateInstallments(db: Db | Tx, today: string, limit = 500): Promise<{ id: string; leaseId: string }[]> {
  return db.$queryRaw<{ id: string; leaseId: string }[]>`
    SELECT i.id, i."leaseId" FROM "Installment" i JOIN "Lease" l ON l.id = i."leaseId"
    WHERE l.status = 'ACTIVE' AND i.status IN ('DUE', 'FAILED')
      AND (l."lateFeeFlatCents" > 0 OR l."lateFeeBasisPoints" > 0)
      AND i."dueDate" + l."graceDays" < ${dateFromDay(today)}::date
      AND NOT EXISTS (SELECT 1 FROM "LedgerTransaction" t WHERE t."installmentId" = i.id AND t.kind = 'LATE_FEE')
      AND NOT EXISTS (SELECT 1 FROM "Payment" p WHERE p."installmentId" = i.id AND p.status IN ('PENDING', 'PROCESSING'))
    ORDER BY i."dueDate", i.id
    LIMIT ${limit}`;
}

/** Charges one installment's late fee in its own transaction, taking the locks in the usual order (lease, installment). */
export function chargeLateFee(db: Db, installment: { id: string; leaseId: string }, today: string): Promise<number> {
  return db.$transaction(async (tx) => {
    await lockLeaseAndInstallment(tx, installment.leaseId, installment.id);
    return chargeLateFeeIfLate(tx, installment.id, today);
  });
}

async function lockLeaseAndInstallment(tx: Tx, leaseId: string, installmentId: string): Promise<void> {
  await tx.$executeRaw`SELECT 1 FROM "Lease" WHERE id = ${leaseId}::uuid FOR UPDATE`;
  await tx.$executeRaw`SELECT 1 FROM "Installment" WHERE id = ${installmentId}::uuid FOR UPDATE`;
}

/**
 * The landlord waives the late fee charged on one of their installments, with a reason: a
 * reversing transaction, an event, and a notification to the renter. CONFLICT when it was
 * already waived, already paid (refunds are not supported), or a payment carrying it is in
 * flight; NOT_FOUND when there is no late fee on an installment of theirs.
 */
export async function waiveLateFee(db: Db, actor: Actor, input: { installmentId: string; reason: string }) {
  return db.$transaction(async (tx) => {
    const owned = await tx.installment.findFirst({ where: { id: input.installmentId, lease: { landlordId: actor.id } }, select: { leaseId: true } });
    if (!owned) throw notFound('Installment');
    await lockLeaseAndInstallment(tx, owned.leaseId, input.installmentId);
    const installment = await tx.installment.findUniqueOrThrow({
      where: { id: input.installmentId },
      include: {
        lease: { select: { renterId: true, dueDay: true, property: { select: { name: true } } } },
        payments: { where: { status: { in: ['PENDING', 'PROCESSING'] } }, select: { id: true } },
        payoffs: { where: { payment: { status: { in: ['PENDING', 'PROCESSING'] } } }, select: { paymentId: true } },
        ledger: { where: { kind: { in: ['LATE_FEE', 'LATE_FEE_WAIVER'] } }, select: { kind: true } },
      },
    });
    if (!installment.ledger.some((t) => t.kind === 'LATE_FEE')) throw notFound('Late fee');
    if (installment.ledger.some((t) => t.kind === 'LATE_FEE_WAIVER')) throw conflict(`The late fee on ${installmentLabel(installment, installment.lease)} was already waived`);
    if (installment.status === 'PAID') throw conflict(`${installmentLabel(installment, installment.lease)} is paid, late fee included; it can no longer be waived`);
    if (installment.payments.length || installment.payoffs.length) throw conflict(`A payment of ${installmentLabel(installment, installment.lease)} is on its way; waive the fee once it settles or fails`);
    const fee = await outstandingLateFeeCents(tx, installment.id);
    await post(tx, postings.lateFeeWaiver(installment, fee, actor, input.reason));
    await appendEvents(tx, [
      { aggregateType: 'Installment', aggregateId: installment.id, type: 'installment.lateFeeWaived', actor, reason: input.reason, data: installmentSnapshot(installment) },
    ]);
    if (installment.lease.renterId) {
      await notify(tx, [
        {
          userId: installment.lease.renterId,
          type: 'ledger.lateFeeWaived',
          title: `Late fee waived: ${formatCents(fee)}`,
          body: `Your landlord waived the late fee on ${installmentLabel(installment, installment.lease)} for ${installment.lease.property.name}: ${input.reason}`,
          link: `/leases/${installment.leaseId}`,
        },
      ]);
    }
    return { installmentId: installment.id, waivedCents: fee };
  });
}

// ---------------------------------------------------------------------------------------
// Reads: the tenant ledger and balances
// ---------------------------------------------------------------------------------------

function leaseScope(actor: Actor): Prisma.Sql {
  return actor.role === 'LANDLORD' ? Prisma.sql`l."landlordId" = ${actor.id}::uuid` : Prisma.sql`l."renterId" = ${actor.id}::uuid`;
}

/**
 * Whether a COMPLETED payment is final (can no longer be returned): `finalAt` is set — at
 * settlement for RTP and wire, when its return window ends for ACH (settlement.ts,
 * finalizePayment). As of a past instant: its history had recorded `finalAt` by then
 * (finalAt itself is a banking-calendar time, not when it was recorded). As SQL over "Payment" p.
 */
function paymentIsFinal(asOf?: Date): Prisma.Sql {
  if (!asOf) return Prisma.sql`(p."finalAt" IS NOT NULL)`;
  return Prisma.sql`(p."finalAt" IS NOT NULL AND EXISTS (
    SELECT 1 FROM "Event" ev WHERE ev."aggregateType" = 'Payment' AND ev."aggregateId" = p.id
      AND ev."createdAt" <= ${asOf} AND ev.data->>'finalAt' IS NOT NULL))`;
}

/**
 * The one point-in-time rule of the ledger: as of `asOf`, it holds the transactions recorded
 * at or before that instant (they are append-only, so that is exactly what it held then).
 * Without `asOf`, all of them. As SQL over "LedgerTransaction" t.
 */
export function recordedBy(asOf?: Date): Prisma.Sql {
  return asOf ? Prisma.sql`AND t."createdAt" <= ${asOf}` : Prisma.empty;
}
/** `recordedBy` as a Prisma filter on LedgerTransaction. */
function recordedByWhere(asOf?: Date): Prisma.LedgerTransactionWhereInput {
  return asOf ? { createdAt: { lte: asOf } } : {};
}

export interface LedgerBalances {
  /** Charged and not yet sent: rent and late fees the renter owes (per installment, never below zero). */
  dueCents: number;
  /** The part of `dueCents` that is overdue by the one rule (installment-state.ts): past due date + grace days, lease ACTIVE. */
  overdueCents: number;
  /** Sent and not settled yet (PENDING or PROCESSING payments). */
  inFlightCents: number;
  /** Settled into the landlord's account and still returnable (ACH within its return window). */
  returnableCents: number;
  /** Settled and final: collected for good. */
  collectedCents: number;
  /** Late fees charged and not waived (paid or not). */
  lateFeesCents: number;
}

/**
 * Totals over the actor's leases (the landlord's, or the renter's own), or over one lease:
 * sums of ledger entries, overdue measured on `now`'s day in America/New_York. With `asOf`,
 * the balances as they stood at that instant: only the entries recorded by then (`recordedBy`),
 * finality as recorded by then, overdue on that day. All amounts in cents.
 */
export async function ledgerBalances(tx: Db | Tx, actor: Actor, input: { leaseId?: string; now?: Date; asOf?: Date } = {}): Promise<LedgerBalances> {
  const now = input.asOf ?? input.now ?? new Date();
  const today = dateFromDay(businessDay(now));
  const leaseFilter = Prisma.sql`${input.leaseId ? Prisma.sql`AND l.id = ${input.leaseId}::uuid` : Prisma.empty} ${recordedBy(input.asOf)}`;
  const [owed] = await tx.$queryRaw<{ due: bigint | null; overdue: bigint | null }[]>`
    SELECT sum(owed) AS due, sum(owed) FILTER (WHERE overdue) AS overdue FROM (
      SELECT greatest(sum(e."amountCents"), 0) AS owed,
             -- Overdue as installment-state.ts decides it: past the due date plus the lease's grace days, on an
             -- ACTIVE lease (an as-of view cannot read the lease's status then from its row; it keeps the date test).
             (i."dueDate" + l."graceDays" < ${today}::date AND (l.status = 'ACTIVE' OR ${input.asOf !== undefined})) AS overdue
      FROM "LedgerEntry" e JOIN "LedgerTransaction" t ON t.id = e."transactionId"
      JOIN "Installment" i ON i.id = t."installmentId" JOIN "Lease" l ON l.id = t."leaseId"
      WHERE ${leaseScope(actor)} ${leaseFilter} AND e.account = 'RENTER_RECEIVABLE'
      GROUP BY i.id, l.id
    ) per_installment`;
  const [accounts] = await tx.$queryRaw<{ in_flight: bigint | null; late_fees: bigint | null }[]>`
    SELECT sum(e."amountCents") FILTER (WHERE e.account = 'CASH_IN_TRANSIT') AS in_flight,
           -sum(e."amountCents") FILTER (WHERE e.account = 'LATE_FEE_INCOME') AS late_fees
    FROM "LedgerEntry" e JOIN "LedgerTransaction" t ON t.id = e."transactionId" JOIN "Lease" l ON l.id = t."leaseId"
    WHERE ${leaseScope(actor)} ${leaseFilter} AND e.account IN ('CASH_IN_TRANSIT', 'LATE_FEE_INCOME')`;
  const [paid] = await tx.$queryRaw<{ collected: bigint | null; returnable: bigint | null }[]>`
    SELECT sum(e."amountCents") FILTER (WHERE ${paymentIsFinal(input.asOf)}) AS collected,
           sum(e."amountCents") FILTER (WHERE NOT ${paymentIsFinal(input.asOf)}) AS returnable
    FROM "LedgerEntry" e JOIN "LedgerTransaction" t ON t.id = e."transactionId" JOIN "Lease" l ON l.id = t."leaseId"
    JOIN "Payment" p ON p.id = t."paymentId"
    WHERE ${leaseScope(actor)} ${leaseFilter} AND e.account = 'LANDLORD_PAID'`;
  return {
    dueCents: Number(owed?.due ?? 0),
    overdueCents: Number(owed?.overdue ?? 0),
    inFlightCents: Number(accounts?.in_flight ?? 0),
    returnableCents: Number(paid?.returnable ?? 0),
    collectedCents: Number(paid?.collected ?? 0),
    lateFeesCents: Number(accounts?.late_fees ?? 0),
  };
}

export interface TenantLedgerLine {
  /** The ledger transaction's id (a 64-bit integer) as a string. */
  id: string;
  kind: LedgerKind;
  reason: string;
  createdAt: Date;
  installmentId: string | null;
  installmentNumber: number | null;
  /** "November 2026 rent" (installment-state.ts installmentLabel), or null. */
  installmentLabel: string | null;
  paymentId: string | null;
  /** What this changes in what the renter owes (RENTER_RECEIVABLE), in cents: charges positive, payments negative. */
  amountCents: number;
  /** What the renter owes after this line, in cents (negative: paid ahead). */
  balanceCents: number;
  entries: { account: LedgerAccount; amountCents: number }[];
  /** A late fee the landlord may still waive (not waived, not paid, no payment carrying it in flight). */
  waivable: boolean;
}

export interface TenantLedger {
  leaseId: string;
  /** Only when asked with `asOf`: the instant the ledger is shown as of. */
  asOf: Date | null;
  lines: TenantLedgerLine[];
  balances: LedgerBalances;
}

/** The lease whose ledger `actor` may read (their own as landlord or renter); NOT_FOUND otherwise. */
export async function ledgerLease(db: Db, actor: Actor, leaseId: string): Promise<{ id: string; dueDay: number }> {
  const lease = await db.lease.findFirst({
    where: { id: leaseId, ...(actor.role === 'LANDLORD' ? { landlordId: actor.id } : { renterId: actor.id }) },
    select: { id: true, dueDay: true },
  });
  if (!lease) throw notFound('Lease');
  return lease;
}

/**
 * The lease's ledger as its renter and landlord see it: every transaction in order, what it
 * changed in the renter's balance and the running balance, and the lease's balances. With
 * `asOf`, the ledger as it stood then: the transactions recorded by that instant and the
 * balances then (nothing is waivable in the past). Anyone else gets NOT_FOUND.
 */
export async function tenantLedger(db: Db, actor: Actor, input: { leaseId: string; now?: Date; asOf?: Date }): Promise<TenantLedger> {
  const lease = await ledgerLease(db, actor, input.leaseId);
  const [transactions, balances] = await Promise.all([
    db.ledgerTransaction.findMany({
      where: { leaseId: lease.id, ...recordedByWhere(input.asOf) },
      orderBy: { id: 'asc' },
      include: {
        entries: { orderBy: { id: 'asc' }, select: { account: true, amountCents: true } },
        installment: {
          select: {
            number: true,
            dueDate: true,
            status: true,
            payments: { where: { status: { in: ['PENDING', 'PROCESSING'] } }, select: { id: true } },
            payoffs: { where: { payment: { status: { in: ['PENDING', 'PROCESSING'] } } }, select: { paymentId: true } },
          },
        },
      },
    }),
    ledgerBalances(db, actor, { leaseId: lease.id, now: input.now, asOf: input.asOf }),
  ]);
  const waived = new Set(transactions.filter((t) => t.kind === 'LATE_FEE_WAIVER').map((t) => t.installmentId));
  let balance = 0;
  const lines = transactions.map((t): TenantLedgerLine => {
    const amountCents = t.entries.filter((e) => e.account === 'RENTER_RECEIVABLE').reduce((sum, e) => sum + e.amountCents, 0);
    balance += amountCents;
    return {
      id: t.id.toString(),
      kind: t.kind,
      reason: t.reason,
      createdAt: t.createdAt,
      installmentId: t.installmentId,
      installmentNumber: t.installment?.number ?? null,
      installmentLabel: t.installment ? installmentLabel(t.installment, lease) : null,
      paymentId: t.paymentId,
      amountCents,
      balanceCents: balance,
      entries: t.entries,
      waivable: !input.asOf && t.kind === 'LATE_FEE' && !waived.has(t.installmentId) && t.installment?.status !== 'PAID' && !t.installment?.payments.length && !t.installment?.payoffs.length,
    };
  });
  return { leaseId: lease.id, asOf: input.asOf ?? null, lines, balances };
}

// ---------------------------------------------------------------------------------------
// Reconciliation: ledger = payments = installments
// ---------------------------------------------------------------------------------------

export interface LedgerDifference {
  /** What was compared, e.g. "CASH_IN_TRANSIT vs in-flight payments" or "installment 3 charge". */
  check: string;
  ledgerCents: number;
  expectedCents: number;
}

export interface Reconciliation {
  leaseId: string;
  ok: boolean;
  checkedAt: Date;
  differences: LedgerDifference[];
}

/**
 * Compares one lease's ledger with its payments and installments:
 * - every ledger transaction sums to zero;
 * - CASH_IN_TRANSIT = the amounts of its PENDING and PROCESSING payments;
 * - LANDLORD_PAID = the amounts of its COMPLETED payments; DIRECTPAY_CASH = their fees, and
 *   FEE_INCOME the opposite;
 * - each installment due before `today` (accepted leases) is charged exactly its amount;
 * - per installment, RENTER_RECEIVABLE = its charge + late fees not waived − the amounts of its
 *   payments in flight or completed (a payoff: its part for the installment) − the discount of
 *   a COMPLETED payoff covering it; a PAID installment has exactly one COMPLETED payment
 *   (its own, or a payoff covering it).
 * Reads only; the caller decides whom to tell.
 */
export async function reconcileLease(db: Db | Tx, leaseId: string, now: Date = new Date()): Promise<Reconciliation> {
  const today = businessDay(now);
  const lease = await db.lease.findUniqueOrThrow({
    where: { id: leaseId },
    select: {
      id: true,
      status: true,
      installments: { orderBy: { number: 'asc' }, select: { id: true, number: true, dueDate: true, amountCents: true, status: true } },
      payments: {
        select: {
          kind: true,
          installmentId: true,
          status: true,
          amountCents: true,
          feeCents: true,
          payoffInstallments: { select: { installmentId: true, rentCents: true, lateFeeCents: true, discountCents: true } },
        },
      },
      ledger: { select: { id: true, kind: true, installmentId: true, entries: { select: { account: true, amountCents: true } } } },
    },
  });
  const differences: LedgerDifference[] = [];
  const compare = (check: string, ledgerCents: number, expectedCents: number) => {
    if (ledgerCents !== expectedCents) differences.push({ check, ledgerCents, expectedCents });
  };
  const sumAccount = (account: LedgerAccount, where: (t: (typeof lease.ledger)[number]) => boolean = () => true) =>
    lease.ledger.filter(where).reduce((sum, t) => sum + t.entries.filter((e) => e.account === account).reduce((s, e) => s + e.amountCents, 0), 0);
  const sumPayments = (statuses: string[], field: 'amountCents' | 'feeCents') => lease.payments.filter((p) => statuses.includes(p.status)).reduce((sum, p) => sum + p[field], 0);
  // Per installment, what each payment pays of it (ledgerPartsOf's split, from the same rows).
  const partsOf = (p: (typeof lease.payments)[number]) =>
    p.kind === 'PAYOFF'
      ? p.payoffInstallments.map((c) => ({ installmentId: c.installmentId, amountCents: c.rentCents + c.lateFeeCents - c.discountCents, discountCents: c.discountCents }))
      : [{ installmentId: p.installmentId, amountCents: p.amountCents, discountCents: 0 }];
  const sumParts = (statuses: string[], field: 'amountCents' | 'discountCents', installmentId: string) =>
    lease.payments
      .filter((p) => statuses.includes(p.status))
      .flatMap(partsOf)
      .filter((part) => part.installmentId === installmentId)
      .reduce((sum, part) => sum + part[field], 0);
  const discountKinds: readonly LedgerKind[] = ['PAYOFF_DISCOUNT', 'PAYOFF_DISCOUNT_REVERSED'];

  for (const t of lease.ledger) compare(`transaction ${t.id} sums to zero`, t.entries.reduce((s, e) => s + e.amountCents, 0), 0);
  compare('CASH_IN_TRANSIT vs payments in flight', sumAccount('CASH_IN_TRANSIT'), sumPayments(['PENDING', 'PROCESSING'], 'amountCents'));
  compare('LANDLORD_PAID vs completed payments', sumAccount('LANDLORD_PAID'), sumPayments(['COMPLETED'], 'amountCents'));
  compare('DIRECTPAY_CASH vs fees of completed payments', sumAccount('DIRECTPAY_CASH'), sumPayments(['COMPLETED'], 'feeCents'));
  compare('FEE_INCOME vs fees of completed payments', -sumAccount('FEE_INCOME'), sumPayments(['COMPLETED'], 'feeCents'));

  const accepted = (CHARGED_LEASE_STATUSES as readonly string[]).includes(lease.status);
  for (const installment of lease.installments) {
    const of = (t: (typeof lease.ledger)[number]) => t.installmentId === installment.id;
    const charges = lease.ledger.filter((t) => of(t) && t.kind === 'CHARGE');
    const charged = -sumAccount('LANDLORD_PAYABLE', (t) => of(t) && !discountKinds.includes(t.kind));
    if (charges.length || (accepted && dayFromDate(installment.dueDate) < today)) {
      compare(`installment ${installment.number} charge`, charged, installment.amountCents);
    }
    const lateFees = -sumAccount('LATE_FEE_INCOME', of);
    const sent = sumParts(['PENDING', 'PROCESSING', 'COMPLETED'], 'amountCents', installment.id);
    const discounted = sumParts(['COMPLETED'], 'discountCents', installment.id);
    compare(`installment ${installment.number} RENTER_RECEIVABLE`, sumAccount('RENTER_RECEIVABLE', of), charged + lateFees - sent - discounted);
    const completed = lease.payments.filter((p) => p.status === 'COMPLETED' && partsOf(p).some((part) => part.installmentId === installment.id)).length;
    if (installment.status === 'PAID') compare(`installment ${installment.number} PAID has one completed payment`, completed, 1);
  }
  return { leaseId: lease.id, ok: differences.length === 0, checkedAt: now, differences };
}

/** reconcileLease for a landlord's own lease, on demand (NOT_FOUND for anyone else's). */
export async function reconcileOwnLease(db: Db, actor: Actor, input: { leaseId: string }): Promise<Reconciliation> {
  const lease = await db.lease.findFirst({ where: { id: input.leaseId, landlordId: actor.id }, select: { id: true } });
  if (!lease) throw notFound('Lease');
  return reconcileLease(db, lease.id);
}

/**
 * Reconciles every lease that has a ledger and tells each landlord about a lease whose ledger
 * disagrees with its payments and installments (one notification per lease and run).
 * Returns the leases that differ.
 */
export async function reconcileAllLeases(db: Db, now: Date = new Date()): Promise<Reconciliation[]> {
  const leases = await db.lease.findMany({ where: { ledger: { some: {} } }, select: { id: true, landlordId: true, property: { select: { name: true } } } });
  const differing: Reconciliation[] = [];
  for (const lease of leases) {
    const result = await reconcileLease(db, lease.id, now);
    if (result.ok) continue;
    differing.push(result);
    await notify(db, [
      {
        userId: lease.landlordId,
        type: 'ledger.difference',
        title: `Ledger difference on ${lease.property.name}`,
        body: result.differences
          .slice(0, 3)
          .map((d) => `${d.check}: ledger ${formatCents(d.ledgerCents)}, expected ${formatCents(d.expectedCents)}`)
          .join('; ')
          .slice(0, 1000),
        link: `/leases/${lease.id}`,
      },
    ]);
  }
  return differing;
}
