// Leases: a landlord offers one on their property to a renter by email, with its full
// installment schedule; the invitation is mailed to that address with a one-time link. The
// answer is the same whether or not the address has an account: a lease names its renter
// only once they accept, and only a renter who verified that they read that mailbox
// (email-verification.ts) sees the invitation and can accept it. The landlord cancels it
// while it is pending. Reads are scoped in the query itself: the landlord sees the leases
// they own, the renter the leases naming them plus the invitations to their verified address.
// The invited renter may instead decline it with a reason (the landlord is told). Creating a
// lease that starts in the past or on a property that already has a pending or active lease
// needs the landlord's explicit confirmation. The landlord may move a running lease's rent to
// another active payout account; payments already made keep theirs.
import type { Tx } from '@/server/db';
import { insertRows, type ColumnTypes } from '@/server/insert-rows';
import type { Installment, Prisma } from '@/server/generated/prisma/client';
import type { InstallmentStatus, LeaseStatus, PaymentStatus, Rail } from '@/server/generated/prisma/enums';
import type { Actor } from './actor';
import { bankAccountsLockKey } from './bank-accounts';
import { badRequest, conflict, DomainError, notFound } from './errors';
import { INVITATION_TTL_MS, issueEmailToken, verificationLink } from './email-verification';
import { queueEmails } from './mail';
import { notify } from './notifications';
import { formatCents } from './money';
import { leaseInvitationMail } from '@/server/mail/templates';
import { aggregateHistory, appendEvent, appendEvents, lockKeys, replayAll, type EventView, type NewEvent } from './events';
import { leaseSnapshot, transitionLease, type LeaseSnapshot } from './lease-state';
import type { PaymentSnapshot } from './payment-state';
import { businessDay, lateFeeLedgerSelect, lateFeeOfLedger, postChargesDue, recordedBy } from './ledger';
import { DEFAULT_PAYOFF_DISCOUNT_BASIS_POINTS } from './payoff-rules';
import { pageArgs, toPage, type Page, type PageInput } from './pagination';
import { buildSchedule, dateFromDay, dayFromDate, leaseEndDate, ScheduleRangeError, type ScheduleTerms } from './schedule';
import { coveringSelect, decideInstallment, installmentLabel, latestCovering, payNext, type InstallmentVerdict } from './installment-state';

export interface CreateLeaseInput extends ScheduleTerms {
  propertyId: string;
  /** Normalized (trimmed, lower-case) by the input schema. */
  renterEmail: string;
  payoutAccountId: string;
  /** The landlord saw that the start date is in the past (installments overdue at once) and confirms it. */
  confirmPastStart?: boolean;
  /** The landlord saw that the property already has a pending or active lease and confirms another. */
  confirmOverlap?: boolean;
  /** Calendar days before each due date a renter without autopay is reminded (0–28, default 5). */
  reminderDaysBeforeDue?: number;
  /** 0–10,000; default DEFAULT_PAYOFF_DISCOUNT_BASIS_POINTS (2 %). */
  payoffDiscountBasisPoints?: number;
}

const summarySelect = {
  id: true,
  status: true,
  statusReason: true,
  renterEmail: true,
  monthlyRentCents: true,
  startDate: true,
  termMonths: true,
  dueDay: true,
  prorateFirstMonth: true,
  graceDays: true,
  lateFeeFlatCents: true,
  lateFeeBasisPoints: true,
  lateFeeCapCents: true,
  reminderDaysBeforeDue: true,
  payoffDiscountBasisPoints: true,
  createdAt: true,
  updatedAt: true,
  property: { select: { id: true, name: true, line1: true, line2: true, city: true, state: true, postalCode: true } },
  landlord: { select: { id: true, name: true } },
  renter: { select: { id: true, name: true, email: true } },
  // What the money goes to, as much as either party needs to recognize it.
  payoutAccount: { select: { id: true, nickname: true, last4: true, active: true } },
} satisfies Prisma.LeaseSelect;

type SummaryRow = Prisma.LeaseGetPayload<{ select: typeof summarySelect }>;

export type LeaseSummary = Omit<SummaryRow, 'startDate' | 'payoutAccount'> & {
  /** YYYY-MM-DD */
  startDate: string;
  /** YYYY-MM-DD: the last day the term covers (leaseEndDate). */
  endDate: string;
  /** `active` is the landlord's to know (a deactivated one is flagged on their lease page); null for the renter. */
  payoutAccount: Omit<SummaryRow['payoutAccount'], 'active'> & { active: boolean | null };
};

/** An installment with the one rule's answer (installment-state.ts): its state, whether it can be paid and why not. */
export interface LeaseInstallment extends InstallmentVerdict {
  id: string;
  number: number;
  /** "November 2026 rent" (installmentLabel). */
  label: string;
  /** YYYY-MM-DD */
  dueDate: string;
  amountCents: number;
  /** As stored: what its last settled payment did. Read `state` for what it is now. */
  status: InstallmentStatus;
  /** Late fee charged and not waived, in cents; a payment of this installment carries it. */
  lateFeeCents: number;
}

export interface LeaseDetail extends LeaseSummary {
  installments: LeaseInstallment[];
  /** The earliest installment the renter can pay now (the one "Pay next" action), or null. */
  payNextInstallmentId: string | null;
}

function toSummary(row: SummaryRow, actor: Actor): LeaseSummary {
  const startDate = dayFromDate(row.startDate);
  return {
    ...row,
    startDate,
    endDate: leaseEndDate({ ...row, startDate }),
    payoutAccount: { ...row.payoutAccount, active: actor.role === 'LANDLORD' ? row.payoutAccount.active : null },
  };
}

export function installmentSnapshot(installment: Installment) {
  return {
    id: installment.id,
    leaseId: installment.leaseId,
    number: installment.number,
    dueDate: dayFromDate(installment.dueDate),
    amountCents: installment.amountCents,
    status: installment.status,
    createdAt: installment.createdAt.toISOString(),
  };
}

/**
 * Which leases an actor may see: the landlord's own; for a renter, those naming them and,
 * once their email is verified, the pending invitations to that address and those they declined.
 */
async function scopeOf(tx: Tx, actor: Actor): Promise<Prisma.LeaseWhereInput> {
  if (actor.role === 'LANDLORD') return { landlordId: actor.id };
  // The request's session check read the address with the session (Actor); else read it now.
  const user =
    actor.email !== undefined && actor.emailVerified !== undefined
      ? { email: actor.email, verified: actor.emailVerified }
      : await tx.user.findUnique({ where: { id: actor.id }, select: { email: true, emailVerifiedAt: true } }).then((found) => found && { email: found.email, verified: found.emailVerifiedAt !== null });
  if (!user?.verified) return { renterId: actor.id };
  // A lease declined from that address stays visible to whoever holds it (only they could decline it).
  return { OR: [{ renterId: actor.id }, { renterId: null, status: { in: ['PENDING', 'DECLINED'] }, renterEmail: user.email }] };
}

interface NewInstallment {
  leaseId: string;
  number: number;
  /** YYYY-MM-DD */
  dueDate: string;
  amountCents: number;
}
const INSTALLMENT_COLUMNS: ColumnTypes<NewInstallment> = { leaseId: 'uuid', number: 'int', dueDate: 'date', amountCents: 'int' };

/**
 * Offers a lease: PENDING, with its whole schedule, in one transaction. Records one event for
 * the lease and one per installment (each installment is an aggregate of its own, whose
 * payments come later).
 */
export async function createLease(tx: Tx, actor: Actor, input: CreateLeaseInput): Promise<LeaseDetail> {
  const schedule = scheduleOf(input);

  // With what the invitation names (the property, the landlord).
  const property = await tx.property.findFirst({ where: { id: input.propertyId, landlordId: actor.id }, select: { id: true, name: true, landlord: { select: { name: true, email: true } } } });
  if (!property) throw new DomainError('NOT_FOUND', 'Property not found', { propertyId: ['no such property among yours'] });
  // Your own address could never accept: an account is a landlord's or a renter's, not both.
  if (property.landlord.email.toLowerCase() === input.renterEmail.toLowerCase()) {
    throw badRequest('A lease is offered to someone else', { renterEmail: ['this is your own address; enter the renter’s'] });
  }
  // One lock per landlord, taken before anything is read: the payout account must stay active
  // while the lease is pending or active (deactivation takes this same lock and refuses when a
  // lease names the account), and two creates at once on one property must not both count no
  // overlapping lease (the count below reads after the other's commit).
  await lockKeys(tx, [bankAccountsLockKey(actor.id)]);
  // After the lock, in one statement: the overlapping leases and the payout account.
  const [counted] = await tx.$queryRaw<{ overlapping: number; payoutActive: boolean | null }[]>`
    SELECT (SELECT count(*)::int FROM "Lease" WHERE "propertyId" = ${property.id}::uuid AND status::text = ANY(${OVERLAPPING_STATUSES})) AS overlapping,
           (SELECT active FROM "BankAccount" WHERE id = ${input.payoutAccountId}::uuid AND "userId" = ${actor.id}::uuid) AS "payoutActive"`;
  assertConfirmed(warningsFrom(counted!.overlapping, schedule, input.startDate), input);

  const payout = counted!.payoutActive === null ? null : { active: counted!.payoutActive };
  if (!payout) throw new DomainError('NOT_FOUND', 'Bank account not found', { payoutAccountId: ['no such bank account among yours'] });
  if (!payout.active) throw badRequest('The payout account is deactivated', { payoutAccountId: ['this account is deactivated; activate it or choose another'] });

  const lease = await tx.lease.create({
    data: {
      propertyId: property.id,
      landlordId: actor.id,
      // Whoever holds the address becomes the renter only by accepting (acceptLease).
      renterId: null,
      renterEmail: input.renterEmail,
      monthlyRentCents: input.monthlyRentCents,
      startDate: dateFromDay(input.startDate),
      termMonths: input.termMonths,
      dueDay: input.dueDay,
      prorateFirstMonth: input.prorateFirstMonth ?? false,
      graceDays: input.graceDays ?? 0,
      lateFeeFlatCents: input.lateFeeFlatCents ?? 0,
      lateFeeBasisPoints: input.lateFeeBasisPoints ?? 0,
      lateFeeCapCents: input.lateFeeCapCents ?? null,
      reminderDaysBeforeDue: input.reminderDaysBeforeDue ?? 5,
      payoffDiscountBasisPoints: input.payoffDiscountBasisPoints ?? DEFAULT_PAYOFF_DISCOUNT_BASIS_POINTS,
      payoutAccountId: input.payoutAccountId,
    },
  });
  const installments = await insertRows<NewInstallment, Installment>(
    tx,
    'Installment',
    INSTALLMENT_COLUMNS,
    schedule.map((installment) => ({ leaseId: lease.id, number: installment.number, dueDate: installment.dueDate, amountCents: installment.amountCents })),
    { computed: { id: 'gen_random_uuid()', updatedAt: 'now()' }, returning: '*' },
  );
  // The lease and its installments were created just now: their chains start here.
  await appendEvents(tx, [
    { aggregateType: 'Lease', aggregateId: lease.id, first: true, type: 'lease.created', actor, data: leaseSnapshot(lease) },
    ...installments.map(
      (installment): NewEvent => ({ aggregateType: 'Installment', aggregateId: installment.id, first: true, type: 'installment.scheduled', actor, data: installmentSnapshot(installment) }),
    ),
  ]);
  await queueInvitation(tx, { ...lease, landlordName: property.landlord.name, propertyName: property.name });
  return getLease(tx, actor, { id: lease.id });
}


/** What the landlord must confirm before a lease is created: each null when it does not apply. */
export interface LeaseCreateWarnings {
  /**
   * The start date is in the past and this many installments (at least 1) fall due before today
   * (America/New_York): they are overdue as soon as the renter accepts. Null when none does, a
   * start in the past whose first due date is today or later included: nothing to confirm.
   */
  pastStart: { overdueInstallments: number } | null;
  /** The property already has this many PENDING or ACTIVE leases. */
  overlap: { leases: number } | null;
}

/**
 * The warnings lease.create would raise for these terms on this property of the landlord's
 * (lease.createWarnings answers them to the form before it submits; createLease refuses
 * unless each is confirmed). A start more than a year before today is refused outright (BAD_REQUEST on
 * startDate): a lease is offered for the time ahead, not to record years already past.
 */
export async function leaseCreateWarnings(tx: Tx, actor: Actor, input: ScheduleTerms & { propertyId: string }): Promise<LeaseCreateWarnings> {
  const schedule = scheduleOf(input);
  const property = await tx.property.findFirst({ where: { id: input.propertyId, landlordId: actor.id }, select: { id: true } });
  if (!property) throw new DomainError('NOT_FOUND', 'Property not found', { propertyId: ['no such property among yours'] });
  return warningsFor(tx, property.id, schedule, input.startDate);
}

function scheduleOf(terms: ScheduleTerms) {
  try {
    return buildSchedule(terms);
  } catch (error) {
    if (error instanceof ScheduleRangeError) throw badRequest(`Lease terms are not valid: ${error.field} ${error.message}`, { [error.field]: [error.message] });
    if (error instanceof RangeError) throw badRequest(`Lease terms are not valid: ${error.message}`);
    throw error;
  }
}

/** The leases a new offer on the same property overlaps: pending or active ones. */
const OVERLAPPING_STATUSES: LeaseStatus[] = ['PENDING', 'ACTIVE'];

async function warningsFor(tx: Tx, propertyId: string, schedule: { dueDate: string }[], startDate: string): Promise<LeaseCreateWarnings> {
  return warningsFrom(await tx.lease.count({ where: { propertyId, status: { in: OVERLAPPING_STATUSES } } }), schedule, startDate);
}

/** The warnings, given how many leases on the property overlap (OVERLAPPING_STATUSES). */
function warningsFrom(active: number, schedule: { dueDate: string }[], startDate: string): LeaseCreateWarnings {
  const today = businessDay();
  // The same day a year back (Feb 29 → Feb 28).
  const earliest = `${Number(today.slice(0, 4)) - 1}${today.slice(4, 8)}${today.endsWith('02-29') ? '28' : today.slice(8)}`;
  if (startDate < earliest) throw badRequest('The start date is more than a year ago', { startDate: [`must be on or after ${earliest}`] });
  // Due dates are on or after the start, so only a start in the past can have any.
  const overdueInstallments = schedule.filter((installment) => installment.dueDate < today).length;
  return {
    pastStart: overdueInstallments > 0 ? { overdueInstallments } : null,
    overlap: active > 0 ? { leases: active } : null,
  };
}

/** Refuses (BAD_REQUEST naming the flag to set) each warning the landlord did not confirm. */
function assertConfirmed(warnings: LeaseCreateWarnings, input: { confirmPastStart?: boolean; confirmOverlap?: boolean }): void {
  const fieldErrors: Record<string, string[]> = {};
  if (warnings.pastStart && !input.confirmPastStart) {
    const count = warnings.pastStart.overdueInstallments;
    fieldErrors.confirmPastStart = [`the start date is in the past: ${count} installment${count === 1 ? ' is' : 's are'} overdue as soon as the renter accepts; confirm to create it anyway`];
  }
  if (warnings.overlap && !input.confirmOverlap) {
    const count = warnings.overlap.leases;
    fieldErrors.confirmOverlap = [`this property already has ${count === 1 ? 'a pending or active lease' : `${count} pending or active leases`}; confirm to offer another`];
  }
  const flags = Object.keys(fieldErrors);
  if (flags.length) throw new DomainError('BAD_REQUEST', `Confirm before creating this lease (${flags.join(', ')}): ${Object.values(fieldErrors).flat().join('; ')}`, fieldErrors);
}

/** Mails the invitation with a one-time link to the invited address (the caller dispatches it after commit). */
async function queueInvitation(
  tx: Tx,
  lease: { id: string; renterEmail: string; monthlyRentCents: number; startDate: Date; landlordName: string; propertyName: string },
): Promise<void> {
  const { token, expiresAt } = await issueEmailToken(tx, { purpose: 'LEASE_INVITATION', email: lease.renterEmail, leaseId: lease.id, ttlMs: INVITATION_TTL_MS });
  const mail = leaseInvitationMail({
    landlordName: lease.landlordName,
    propertyName: lease.propertyName,
    rent: formatCents(lease.monthlyRentCents),
    startDate: dayFromDate(lease.startDate),
    url: verificationLink(token),
    expiresAt,
  });
  // No userId even when the address has an account: who holds it is not the landlord's business.
  await queueEmails(tx, [{ ...mail, to: lease.renterEmail, kind: 'lease.invitation' }]);
}

export async function listLeases(tx: Tx, actor: Actor, input: PageInput & { status?: LeaseStatus; propertyId?: string }): Promise<Page<LeaseSummary>> {
  const rows = await tx.lease.findMany({
    where: {
      ...(await scopeOf(tx, actor)),
      ...(input.status ? { status: input.status } : {}),
      ...(input.propertyId ? { propertyId: input.propertyId } : {}),
    },
    select: summarySelect,
    ...pageArgs(input),
  });
  const page = toPage(rows, input.limit);
  return { ...page, items: page.items.map((row) => toSummary(row, actor)) };
}

/** How many of the actor's leases are in each status (every status present, zero when none). */
export async function countLeasesByStatus(tx: Tx, actor: Actor): Promise<Record<LeaseStatus, number>> {
  const groups = await tx.lease.groupBy({ by: ['status'], where: await scopeOf(tx, actor), _count: { _all: true } });
  const counts: Record<LeaseStatus, number> = { PENDING: 0, ACTIVE: 0, COMPLETED: 0, DEFAULTED: 0, CANCELLED: 0, DECLINED: 0 };
  for (const group of groups) counts[group.status] = group._count._all;
  return counts;
}

/** Late fees charged and not waived per installment id, in cents, from the ledger (as of `asOf`: recorded by then). */
async function lateFeesByInstallment(tx: Tx, leaseId: string, asOf?: Date): Promise<Map<string, number>> {
  const rows = await tx.$queryRaw<{ installmentId: string; cents: bigint }[]>`
    SELECT t."installmentId", -sum(e."amountCents") AS cents FROM "LedgerEntry" e JOIN "LedgerTransaction" t ON t.id = e."transactionId"
    WHERE t."leaseId" = ${leaseId}::uuid AND e.account = 'LATE_FEE_INCOME' ${recordedBy(asOf)} GROUP BY t."installmentId"`;
  return new Map(rows.map((row) => [row.installmentId, Number(row.cents)]));
}

export async function getLease(tx: Tx, actor: Actor, input: { id: string }): Promise<LeaseDetail> {
  const lease = await tx.lease.findFirst({
    where: { ...(await scopeOf(tx, actor)), id: input.id },
    select: {
      ...summarySelect,
      installments: {
        orderBy: { number: 'asc' },
        select: {
          id: true,
          number: true,
          dueDate: true,
          amountCents: true,
          status: true,
          payments: { orderBy: { createdAt: 'desc' }, take: 1, select: coveringSelect },
          // An early payoff carries it too.
          payoffs: { orderBy: { payment: { createdAt: 'desc' } }, take: 1, select: { payment: { select: coveringSelect } } },
          // Its late fee (outstandingLateFeeCents's rule), in the same statement.
          ledger: lateFeeLedgerSelect,
        },
      },
    },
  });
  if (!lease) throw notFound('Lease');
  const { installments, ...summary } = lease;
  const today = businessDay();
  const rows = installments.map(({ payments, payoffs, ledger, ...installment }): LeaseInstallment => {
    const dueDate = dayFromDate(installment.dueDate);
    const latestPayment = latestCovering(payments[0], payoffs[0]?.payment);
    const verdict = decideInstallment({ status: installment.status, dueDate, lease, latestPayment, today });
    return { ...installment, label: installmentLabel({ dueDate }, lease), dueDate, lateFeeCents: lateFeeOfLedger(ledger), ...verdict };
  });
  return { ...toSummary(summary, actor), installments: rows, payNextInstallmentId: payNext(rows)?.id ?? null };
}

/**
 * Which leases the renter may accept or decline: those naming them or invited to their
 * address. NOT_FOUND when `leaseId` is neither; FORBIDDEN while the address is unverified.
 */
async function invitationScope(tx: Tx, actor: Actor, leaseId: string): Promise<Prisma.LeaseWhereInput> {
  const user = await tx.user.findUnique({ where: { id: actor.id }, select: { email: true, emailVerifiedAt: true } });
  if (!user) throw notFound('Lease');
  const scope: Prisma.LeaseWhereInput = { OR: [{ renterId: actor.id }, { renterId: null, renterEmail: user.email }] };
  const invited = await tx.lease.findFirst({ where: { ...scope, id: leaseId }, select: { renterId: true } });
  if (!invited) throw notFound('Lease');
  if (invited.renterId === null && !user.emailVerifiedAt) {
    throw new DomainError('FORBIDDEN', 'Confirm your email address first: follow the link in the invitation email, or send yourself a verification email from your dashboard');
  }
  return scope;
}

/**
 * The invited renter accepts: PENDING → ACTIVE, and the lease names them from now on. Only
 * an account whose email is the invited address and is verified may; an unverified one is
 * told to verify it first (FORBIDDEN), anyone else finds no such lease. Installments already
 * due (on or before today in America/New_York) are charged in the same transaction, so the
 * ledger shows what is owed at once; later ones are charged by the daily function as they fall due.
 */
export async function acceptLease(tx: Tx, actor: Actor, input: { id: string }): Promise<LeaseDetail> {
  const scope = await invitationScope(tx, actor, input.id);
  const lease = await transitionLease(tx, actor, { id: input.id, scope, to: 'ACTIVE', from: ['PENDING'], data: { renterId: actor.id } });
  await postChargesDue(tx, { leaseId: lease.id, through: businessDay() });
  return getLease(tx, actor, input);
}

/**
 * The landlord withdraws a lease the renter has not accepted: PENDING → CANCELLED, with the
 * reason kept. Its schedule will never be collected, so every installment is WAIVED (one
 * event each).
 */
export async function cancelLease(tx: Tx, actor: Actor, input: { id: string; reason: string }): Promise<LeaseDetail> {
  const lease = await transitionLease(tx, actor, { id: input.id, scope: { landlordId: actor.id }, to: 'CANCELLED', reason: input.reason });
  await waiveSchedule(tx, actor, lease.id, 'the lease was cancelled');
  return getLease(tx, actor, input);
}

/** A lease that ended before it ran (cancelled, declined) will never be collected: every DUE installment is WAIVED, one event each. */
async function waiveSchedule(tx: Tx, actor: Actor, leaseId: string, reason: string): Promise<void> {
  const waived = await tx.installment.updateManyAndReturn({ where: { leaseId, status: 'DUE' }, data: { status: 'WAIVED' } });
  await appendEvents(
    tx,
    waived.map((installment): NewEvent => ({ aggregateType: 'Installment', aggregateId: installment.id, type: 'installment.waived', actor, reason, data: installmentSnapshot(installment) })),
  );
}

/**
 * The invited renter (the invited address, verified) turns the lease down: PENDING → DECLINED,
 * with their reason kept and shown to the landlord. The lease never names them (declining binds
 * no one), its schedule is waived as for a cancelled lease, and the landlord is notified in the
 * portal and by email unless they opted out of 'lease.declined'.
 */
export async function declineLease(tx: Tx, actor: Actor, input: { id: string; reason: string }): Promise<{ id: string; status: LeaseStatus; statusReason: string | null }> {
  const scope = await invitationScope(tx, actor, input.id);
  const lease = await transitionLease(tx, actor, { id: input.id, scope, to: 'DECLINED', from: ['PENDING'], reason: input.reason });
  await waiveSchedule(tx, actor, lease.id, 'the renter declined the lease');
  const { property } = await tx.lease.findUniqueOrThrow({ where: { id: lease.id }, select: { property: { select: { name: true } } } });
  await notify(tx, [
    {
      userId: lease.landlordId,
      type: 'lease.declined',
      title: `Lease declined: ${property.name}`,
      body: `${lease.renterEmail} declined the lease for ${property.name}: “${input.reason}”`,
      link: `/leases/${lease.id}`,
    },
  ]);
  return { id: lease.id, status: lease.status, statusReason: lease.statusReason };
}

/**
 * The landlord moves a PENDING or ACTIVE lease's rent to another of their ACTIVE accounts.
 * Only payments created from now on go there: each payment keeps the account it was made to.
 * Recorded as `lease.payout_changed`, whose reason names both accounts (masked).
 */
export async function changeLeasePayout(tx: Tx, actor: Actor, input: { id: string; payoutAccountId: string }): Promise<LeaseDetail> {
  // The same lock as lease creation and deactivation: the account cannot be deactivated meanwhile.
  await lockKeys(tx, [bankAccountsLockKey(actor.id)]);
  const lease = await tx.lease.findFirst({ where: { id: input.id, landlordId: actor.id }, select: { status: true, payoutAccount: { select: { id: true, nickname: true, last4: true } } } });
  if (!lease) throw notFound('Lease');
  if (lease.status !== 'PENDING' && lease.status !== 'ACTIVE') throw conflict(`This lease is ${lease.status}; only a pending or active lease's payout account can change`);
  const target = await tx.bankAccount.findFirst({ where: { id: input.payoutAccountId, userId: actor.id }, select: { id: true, active: true, nickname: true, last4: true } });
  if (!target) throw new DomainError('NOT_FOUND', 'Bank account not found', { payoutAccountId: ['no such bank account among yours'] });
  if (!target.active) throw badRequest('The payout account is deactivated', { payoutAccountId: ['this account is deactivated; activate it or choose another'] });
  if (target.id === lease.payoutAccount.id) throw badRequest('This lease is already paid to that account', { payoutAccountId: ['already this lease’s payout account'] });
  const [updated] = await tx.lease.updateManyAndReturn({ where: { id: input.id, landlordId: actor.id, status: { in: ['PENDING', 'ACTIVE'] } }, data: { payoutAccountId: target.id } });
  if (!updated) throw conflict('This lease changed while your request was running; reload it and try again');
  const masked = (account: { nickname: string; last4: string }) => `${account.nickname} ••••${account.last4}`;
  await appendEvent(tx, {
    aggregateType: 'Lease',
    aggregateId: updated.id,
    type: 'lease.payout_changed',
    actor,
    reason: `rent now goes to ${masked(target)} (was ${masked(lease.payoutAccount)}); payments already made keep theirs`,
    data: leaseSnapshot(updated),
  });
  return getLease(tx, actor, input);
}

/** An installment as it was at an instant, with the payment of it that was latest then. */
export interface InstallmentAsOf extends LeaseInstallment {
  latestPayment: { id: string; status: PaymentStatus; rail: Rail; attempt: number } | null;
}

export interface LeaseAsOf {
  at: Date;
  /** The last lease event folded in (null before the lease existed). */
  sequence: number | null;
  lease: LeaseSnapshot | null;
  /** The schedule then, in number order (empty before the lease existed). */
  installments: InstallmentAsOf[];
}

export interface LeaseHistory {
  events: EventView[];
  /** Only when asked with `asOf`: the lease and its schedule as they were then, rebuilt from their events. */
  asOf: LeaseAsOf | null;
}

export async function leaseHistory(tx: Tx, actor: Actor, input: { id: string; asOf?: Date }): Promise<LeaseHistory> {
  const lease = await tx.lease.findFirst({ where: { ...(await scopeOf(tx, actor)), id: input.id }, select: { id: true } });
  if (!lease) throw notFound('Lease');
  const { events, asOf } = await aggregateHistory(tx, 'Lease', lease.id, input.asOf);
  return { events, asOf: asOf && { at: asOf.at, sequence: asOf.sequence, lease: asOf.state as LeaseSnapshot | null, installments: await scheduleAsOf(tx, lease.id, asOf.at, asOf.state as LeaseSnapshot | null) } };
}

type InstallmentState = ReturnType<typeof installmentSnapshot>;
type PaymentState = Pick<PaymentSnapshot, 'id' | 'installmentId' | 'status' | 'rail' | 'attempt' | 'createdAt' | 'kind' | 'amountCents' | 'failureCode'>;

/**
 * The lease's schedule as it was at `at`, from events alone: each installment replayed (its
 * status then), the latest payment of each replayed (its status then), late fees from the
 * ledger entries recorded by then, and "overdue" as it would have shown that day (unpaid,
 * past due in America/New_York, nothing on its way, the lease ACTIVE then) — the same rule
 * as getLease, at that instant.
 */
async function scheduleAsOf(tx: Tx, leaseId: string, at: Date, lease: LeaseSnapshot | null): Promise<InstallmentAsOf[]> {
  if (!lease) return [];
  const [installmentIds, paymentIds, lateFeeOf] = await Promise.all([
    tx.installment.findMany({ where: { leaseId }, select: { id: true } }),
    tx.payment.findMany({ where: { leaseId }, select: { id: true } }),
    lateFeesByInstallment(tx, leaseId, at),
  ]);
  const [installments, payments] = await Promise.all([
    replayAll(tx, 'Installment', installmentIds.map((row) => row.id), at),
    replayAll(tx, 'Payment', paymentIds.map((row) => row.id), at),
  ]);
  const latest = new Map<string, PaymentState>();
  for (const { state } of payments.values()) {
    const payment = state as unknown as PaymentState;
    const current = latest.get(payment.installmentId);
    if (!current || payment.createdAt > current.createdAt) latest.set(payment.installmentId, payment);
  }
  const day = businessDay(at);
  return [...installments.values()]
    .map(({ state }) => state as unknown as InstallmentState)
    .sort((a, b) => a.number - b.number)
    .map((installment) => {
      const payment = latest.get(installment.id);
      return {
        id: installment.id,
        number: installment.number,
        label: installmentLabel(installment, lease),
        dueDate: installment.dueDate,
        amountCents: installment.amountCents,
        status: installment.status,
        ...decideInstallment({ status: installment.status, dueDate: installment.dueDate, lease, latestPayment: payment ?? null, today: day }),
        lateFeeCents: lateFeeOf.get(installment.id) ?? 0,
        latestPayment: payment ? { id: payment.id, status: payment.status, rail: payment.rail, attempt: payment.attempt } : null,
      };
    });
}
