// Autopay: a renter's standing order to pay each installment of one ACTIVE lease from one of
// their accounts over one rail. Every pull is an ordinary payment made by `createPayment` with
// the idempotency key `autopay:<installmentId>:<attempt>`, scheduled on the banking calendar
// (calendar.ts) and run by the `autopay-installment` Inngest function, which sleeps until the
// notice and the pull. A failed or returned pull goes through `handleAutopayPaymentFailure`
// (called by settlement.ts and returns.ts in their transactions): insufficient funds are
// presented again at most R01_REPRESENTMENTS times, anything else stops autopay with a reason.
// `generation` grows with every enable and disable, so a waiting run of an older generation
// ends without pulling. Enable, disable, skip and stop are events of the Autopay aggregate.
//
// THE SCHEDULING RULE (also in the README). For an installment due on day D with
// `daysBeforeDue` = d, the money must settle by day S = the last banking day on or before
// D − d calendar days (a due date, or D − d, on a weekend or Fed holiday moves back to the
// banking day before). The pull is the latest submission that settles on S for its rail, ET:
//   Standard ACH  17:00 on the banking day before S (its cut-off; settles 08:30 on S)
//   Same-day ACH  16:45 on S (the last window; settles 18:00 on S)
//   Wire, RTP     17:00 on S (wire before its 18:00 cut-off; settles minutes/seconds later)
// The notice goes out NOTICE_DAYS_BEFORE_PULL = 3 calendar days before the pull, at the same
// New York wall-clock time. Autopay covers installments DUE or FAILED whose due date is today
// or later (ET), not skipped and with no payment on its way; when a pull time has already
// passed (enabled late) the pull happens at once and the notice goes out at once.
// A re-presentment (R01/AM04, insufficient funds) is pulled at the rail's pull time on the
// banking day after the failure was recorded, without another notice.
import type { Db, Tx } from '@/server/db';
import type { Autopay, Payment } from '@/server/generated/prisma/client';
import type { Rail } from '@/server/generated/prisma/enums';
import { SYSTEM_ACTOR, type Actor, type EventActor } from './actor';
import { addCalendarDays, bankingDayOnOrBefore, dayInNewYork, formatDay, newYorkTime, nextBankingDay, previousBankingDay, type CalendarDay } from './calendar';
import { badRequest, conflict, DomainError, notFound } from './errors';
import { appendEvents } from './events';
import { formatCents } from './money';
import { notify, type NewNotification } from './notifications';
import { createPayment, R01_REPRESENTMENTS } from './payments';
import { RAILS } from './rails';
import { claimNotice } from './reminders';
import { dateFromDay, dayFromDate } from './schedule';
import { businessDay } from './ledger';
import { coveringSelect, decideInstallment, installmentLabel, latestCovering } from './installment-state';
import { countText } from './text';

/** Calendar days between the notice and the pull. */
export const NOTICE_DAYS_BEFORE_PULL = 3;
/** The largest `daysBeforeDue` a renter may choose (the database checks it too). */
export const MAX_DAYS_BEFORE_DUE = 10;
/** Failure codes that mean "insufficient funds": ACH R01 and the RTP/wire rejection AM04. Only these are presented again. */
export const INSUFFICIENT_FUNDS_CODES: ReadonlySet<string> = new Set(['R01', 'AM04']);
/** Prefix of every autopay pull's idempotency key: `autopay:<installmentId>:<attempt>`. */
export const AUTOPAY_KEY_PREFIX = 'autopay:';

/** The submission time of day (ET) of a pull over each rail, and whether it is the banking day before the settle-by day. */
const PULL_CLOCK: Record<Rail, { hours: number; minutes: number; dayBefore: boolean }> = {
  STANDARD_ACH: { hours: 17, minutes: 0, dayBefore: true },
  SAME_DAY_ACH: { hours: 16, minutes: 45, dayBefore: false },
  WIRE: { hours: 17, minutes: 0, dayBefore: false },
  RTP: { hours: 17, minutes: 0, dayBefore: false },
};

export interface PullPlan {
  /** YYYY-MM-DD: the banking day the money settles by. */
  settleBy: string;
  /** When the pull is submitted (real calendar). */
  pullAt: Date;
  /** When the renter is told (real calendar): NOTICE_DAYS_BEFORE_PULL calendar days before the pull, same ET wall-clock time. */
  noticeAt: Date;
}

/** The pull for an installment due on `dueDate` (see the module comment for the rule). Pure. */
export function planPull(rail: Rail, dueDate: CalendarDay | string, daysBeforeDue: number): PullPlan {
  const due = typeof dueDate === 'string' ? dayInNewYork(dateFromDayNoon(dueDate)) : dueDate;
  const settleBy = bankingDayOnOrBefore(addCalendarDays(due, -daysBeforeDue));
  const clock = PULL_CLOCK[rail];
  const pullDay = clock.dayBefore ? previousBankingDay(settleBy) : settleBy;
  return {
    settleBy: formatDay(settleBy),
    pullAt: newYorkTime(pullDay, clock.hours, clock.minutes),
    noticeAt: newYorkTime(addCalendarDays(pullDay, -NOTICE_DAYS_BEFORE_PULL), clock.hours, clock.minutes),
  };
}

/** A re-presentment after a failure recorded at `failedAt`: the rail's pull time on the next banking day (real calendar). Pure. */
export function planRepresentment(rail: Rail, failedAt: Date): Date {
  const clock = PULL_CLOCK[rail];
  return newYorkTime(nextBankingDay(failedAt), clock.hours, clock.minutes);
}

/** A YYYY-MM-DD read as that day in New York (noon UTC is the same date in every US zone). */
function dateFromDayNoon(day: string): Date {
  return new Date(dateFromDay(day).getTime() + 12 * 3600_000);
}

/** What the autopay-installment function is started with (event `autopay/scheduled`). */
export interface AutopayRunRequest {
  autopayId: string;
  installmentId: string;
  generation: number;
  /** 1 for the first presentment, 2… for re-presentments. */
  attempt: number;
  /** When this run was scheduled (wall clock, ISO): the demo clock plays the plan's instants from here. */
  scheduledAt: string;
  /** Only for re-presentments: the pull time (real calendar, ISO). */
  pullAt?: string;
}

/** The event id and function idempotency key of a run: one run per installment, generation and attempt. */
export const autopayRunKey = (run: Pick<AutopayRunRequest, 'installmentId' | 'generation' | 'attempt'>) => `autopay-${run.installmentId}-g${run.generation}-a${run.attempt}`;

export interface AutopayNextPull {
  installmentId: string;
  number: number;
  /** YYYY-MM-DD */
  dueDate: string;
  /** "November 2026 rent" (installmentLabel) */
  label: string;
  amountCents: number;
  settleBy: string;
  pullAt: Date;
  noticeAt: Date;
}

/** autopay.get for the renter. */
export interface AutopayView {
  view: 'renter';
  leaseId: string;
  enabled: boolean;
  disabledReason: string | null;
  account: { id: string; nickname: string; last4: string } | null;
  rail: Rail | null;
  railName: string | null;
  daysBeforeDue: number | null;
  /** The next pull and its notice (real calendar), null when autopay is off or nothing is left to pull. */
  nextPull: AutopayNextPull | null;
  nextPullAt: Date | null;
  nextNoticeAt: Date | null;
  /** Installments the renter skipped (not pulled; reminded instead). */
  skippedInstallmentIds: string[];
}

/** autopay.get for the landlord: whether it is on and the account's last 4, nothing more. */
export interface LandlordAutopayView {
  view: 'landlord';
  leaseId: string;
  enabled: boolean;
  accountLast4: string | null;
}

const autopayInclude = { fromAccount: { select: { id: true, nickname: true, last4: true } } } as const;

/** The Autopay row as its events record it (replaying them gives exactly this; audit.ts checks). */
export function autopaySnapshot(autopay: Autopay) {
  return {
    id: autopay.id,
    leaseId: autopay.leaseId,
    renterId: autopay.renterId,
    fromAccountId: autopay.fromAccountId,
    rail: autopay.rail,
    daysBeforeDue: autopay.daysBeforeDue,
    enabled: autopay.enabled,
    disabledReason: autopay.disabledReason,
    generation: autopay.generation,
    enabledAt: autopay.enabledAt.toISOString(),
  };
}

async function appendAutopayEvent(tx: Tx, autopay: Autopay, type: string, actor: EventActor, reason: string | null) {
  await appendEvents(tx, [{ aggregateType: 'Autopay', aggregateId: autopay.id, type, actor, reason, data: autopaySnapshot(autopay) }]);
}

/** The renter's ACTIVE lease, locked (the same lock settlement takes first). NOT_FOUND for anyone else's. */
async function lockRentersActiveLease(tx: Tx, actor: Actor, leaseId: string) {
  const locked = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM "Lease" WHERE id = ${leaseId}::uuid AND "renterId" = ${actor.id}::uuid FOR UPDATE`;
  if (!locked.length) throw new DomainError('NOT_FOUND', 'Lease not found', { leaseId: ['no such lease among yours'] });
  const lease = await tx.lease.findUniqueOrThrow({ where: { id: leaseId }, select: { id: true, status: true, landlordId: true, monthlyRentCents: true } });
  if (lease.status !== 'ACTIVE') throw conflict(`This lease is ${lease.status}; autopay is only for ACTIVE leases`);
  return lease;
}

/**
 * The installment autopay pulls next on a lease: DUE or FAILED, due today or later (ET, `today`),
 * not skipped, no payment on its way, after installment number `afterNumber`.
 */
export async function nextAutopayInstallment(tx: Tx | Db, leaseId: string, options: { today?: string; afterNumber?: number } = {}) {
  return tx.installment.findFirst({
    where: {
      leaseId,
      number: { gt: options.afterNumber ?? 0 },
      status: { in: ['DUE', 'FAILED'] },
      autopaySkippedAt: null,
      dueDate: { gte: dateFromDay(options.today ?? businessDay()) },
      payments: { none: { status: { in: ['PENDING', 'PROCESSING'] } } },
      // An early payoff on its way pays it (payoff.ts).
      payoffs: { none: { payment: { status: { in: ['PENDING', 'PROCESSING'] } } } },
    },
    orderBy: { number: 'asc' },
    select: { id: true, number: true, dueDate: true, amountCents: true },
  });
}

/** The run that pulls the next installment of an enabled autopay (null when off or nothing is left). */
async function firstRun(tx: Tx, autopay: Autopay, afterNumber = 0): Promise<AutopayRunRequest | null> {
  if (!autopay.enabled) return null;
  const next = await nextAutopayInstallment(tx, autopay.leaseId, { afterNumber });
  return next && { autopayId: autopay.id, installmentId: next.id, generation: autopay.generation, attempt: 1, scheduledAt: new Date().toISOString() };
}

/** autopay.get: the renter's full view; the landlord's reduced one. NOT_FOUND for a lease that is neither's. */
export async function getAutopay(tx: Tx | Db, actor: Actor, input: { leaseId: string }): Promise<AutopayView | LandlordAutopayView> {
  const lease = await tx.lease.findFirst({
    where: { id: input.leaseId, ...(actor.role === 'LANDLORD' ? { landlordId: actor.id } : { renterId: actor.id }) },
    select: { id: true, dueDay: true, autopay: { include: autopayInclude } },
  });
  if (!lease) throw notFound('Lease');
  const autopay = lease.autopay;
  if (actor.role === 'LANDLORD') return { view: 'landlord', leaseId: lease.id, enabled: autopay?.enabled ?? false, accountLast4: autopay?.enabled ? autopay.fromAccount.last4 : null };
  const skipped = await tx.installment.findMany({ where: { leaseId: lease.id, autopaySkippedAt: { not: null }, status: { in: ['DUE', 'FAILED'] } }, select: { id: true }, orderBy: { number: 'asc' } });
  let nextPull: AutopayNextPull | null = null;
  if (autopay?.enabled) {
    const next = await nextAutopayInstallment(tx, lease.id);
    if (next) {
      const dueDate = dayFromDate(next.dueDate);
      nextPull = { installmentId: next.id, number: next.number, dueDate, label: installmentLabel({ dueDate }, lease), amountCents: next.amountCents, ...planPull(autopay.rail, dueDate, autopay.daysBeforeDue) };
    }
  }
  return {
    view: 'renter',
    leaseId: lease.id,
    enabled: autopay?.enabled ?? false,
    disabledReason: autopay?.disabledReason ?? null,
    account: autopay ? autopay.fromAccount : null,
    rail: autopay?.rail ?? null,
    railName: autopay ? RAILS[autopay.rail].name : null,
    daysBeforeDue: autopay?.daysBeforeDue ?? null,
    nextPull,
    nextPullAt: nextPull?.pullAt ?? null,
    nextNoticeAt: nextPull?.noticeAt ?? null,
    skippedInstallmentIds: skipped.map((installment) => installment.id),
  };
}

export interface AutopayChange {
  autopay: AutopayView;
  /** The run to start after commit (`requestAutopayRun`); null when nothing is to be pulled. */
  run: AutopayRunRequest | null;
}

export interface EnableAutopayInput {
  leaseId: string;
  fromAccountId: string;
  rail: Rail;
  daysBeforeDue: number;
}

/**
 * Turns autopay on (or changes it, or turns it back on after it stopped) for the renter's
 * ACTIVE lease: a new generation, so runs scheduled before end without pulling; the
 * `autopay.enabled` event; the run for the next installment to start after commit.
 */
export async function enableAutopay(tx: Tx, actor: Actor, input: EnableAutopayInput): Promise<AutopayChange> {
  const lease = await lockRentersActiveLease(tx, actor, input.leaseId);
  if (!Number.isInteger(input.daysBeforeDue) || input.daysBeforeDue < 0 || input.daysBeforeDue > MAX_DAYS_BEFORE_DUE) {
    throw badRequest(`daysBeforeDue must be 0 to ${MAX_DAYS_BEFORE_DUE}`, { daysBeforeDue: [`must be 0 to ${MAX_DAYS_BEFORE_DUE} days`] });
  }
  const account = await tx.bankAccount.findFirst({ where: { id: input.fromAccountId, userId: actor.id }, select: { id: true, active: true } });
  if (!account) throw new DomainError('NOT_FOUND', 'Bank account not found', { fromAccountId: ['no such bank account among yours'] });
  if (!account.active) throw badRequest('That bank account is deactivated', { fromAccountId: ['this account is deactivated; activate it or choose another'] });
  const rail = RAILS[input.rail];
  if (lease.monthlyRentCents > rail.limitCents) {
    throw badRequest(`The rent is over the ${rail.name} limit of ${formatCents(rail.limitCents)}`, { rail: [`over this rail's limit of ${formatCents(rail.limitCents)}; choose another rail`] });
  }
  const now = new Date();
  const settings = { fromAccountId: account.id, rail: input.rail, daysBeforeDue: input.daysBeforeDue, enabled: true, disabledReason: null, enabledAt: now };
  const autopay = await tx.autopay.upsert({
    where: { leaseId: lease.id },
    create: { leaseId: lease.id, renterId: actor.id, ...settings },
    update: { ...settings, generation: { increment: 1 } },
  });
  await appendAutopayEvent(tx, autopay, 'autopay.enabled', actor, `${rail.name}, settling ${countText(input.daysBeforeDue, 'day')} before each due date`);
  return { autopay: (await getAutopay(tx, actor, { leaseId: lease.id })) as AutopayView, run: await firstRun(tx, autopay) };
}

/** Stops autopay (new generation: waiting runs end without pulling). Already off: answers the view, writes nothing. */
export async function disableAutopay(tx: Tx, actor: Actor, input: { leaseId: string }): Promise<AutopayView> {
  const lease = await tx.lease.findFirst({ where: { id: input.leaseId, renterId: actor.id }, select: { id: true } });
  if (!lease) throw new DomainError('NOT_FOUND', 'Lease not found', { leaseId: ['no such lease among yours'] });
  await tx.$executeRaw`SELECT 1 FROM "Lease" WHERE id = ${lease.id}::uuid FOR UPDATE`;
  const [autopay] = await tx.autopay.updateManyAndReturn({
    where: { leaseId: lease.id, enabled: true },
    data: { enabled: false, disabledReason: 'Turned off by the renter', generation: { increment: 1 } },
  });
  if (autopay) await appendAutopayEvent(tx, autopay, 'autopay.disabled', actor, 'turned off by the renter');
  return (await getAutopay(tx, actor, { leaseId: lease.id })) as AutopayView;
}

/**
 * The renter skips autopay for one installment: it is not pulled (a waiting run finds it
 * skipped) and the renter is reminded instead. CONFLICT when autopay is off, the installment
 * is paid or waived, or its pull is already on its way (cancel that payment instead).
 * Returns the run for the installment autopay pulls next.
 */
export async function skipAutopayInstallment(tx: Tx, actor: Actor, input: { installmentId: string }): Promise<AutopayChange> {
  const owned = await tx.installment.findFirst({ where: { id: input.installmentId, lease: { renterId: actor.id } }, select: { leaseId: true } });
  if (!owned) throw new DomainError('NOT_FOUND', 'Installment not found', { installmentId: ['no such installment on your leases'] });
  await lockRentersActiveLease(tx, actor, owned.leaseId);
  await tx.$executeRaw`SELECT 1 FROM "Installment" WHERE id = ${input.installmentId}::uuid FOR UPDATE`;
  const autopay = await tx.autopay.findUnique({ where: { leaseId: owned.leaseId } });
  if (!autopay?.enabled) throw conflict('Autopay is off for this lease; there is nothing to skip');
  const installment = await tx.installment.findUniqueOrThrow({
    where: { id: input.installmentId },
    include: { lease: { select: { dueDay: true } }, payments: { where: { status: { in: ['PENDING', 'PROCESSING'] } }, select: { id: true } } },
  });
  if (installment.status === 'PAID' || installment.status === 'WAIVED') throw conflict(`${installmentLabel(installment, installment.lease)} is ${installment.status === 'PAID' ? 'paid' : 'waived'}; there is nothing to skip`);
  if (installment.payments.length) throw conflict(`${installmentLabel(installment, installment.lease)} already has a payment on its way; cancel it from the payment page while it is PENDING`);
  if (!installment.autopaySkippedAt) {
    await tx.installment.update({ where: { id: installment.id }, data: { autopaySkippedAt: new Date() } });
    await appendAutopayEvent(tx, autopay, 'autopay.skipped', actor, `${installmentLabel(installment, installment.lease)} skipped`);
  }
  return { autopay: (await getAutopay(tx, actor, { leaseId: owned.leaseId })) as AutopayView, run: await firstRun(tx, autopay) };
}

// ---------------------------------------------------------------------------------------------
// What the autopay-installment function does, step by step.

/** Why a run does nothing (more): its autopay changed, or the installment needs no pull. */
export type RunState =
  | { go: true; pullAt: Date; noticeAt: Date | null }
  | { go: false; reason: 'stale' | 'skipped' | 'settled' | 'in-flight' | 'already-pulled' | 'lease-inactive' | 'missing' };

/**
 * Whether a run should still act, and its plan: its generation is current and autopay on, the
 * lease ACTIVE, the installment DUE or FAILED, not skipped, nothing on its way, and this
 * attempt not already pulled (autopay pulls of the installment since `enabledAt` ≥ attempt).
 */
export async function checkRun(tx: Tx | Db, run: AutopayRunRequest): Promise<RunState> {
  const autopay = await tx.autopay.findUnique({ where: { id: run.autopayId }, include: { lease: { select: { status: true, graceDays: true, dueDay: true } } } });
  if (!autopay) return { go: false, reason: 'missing' };
  if (!autopay.enabled || autopay.generation !== run.generation) return { go: false, reason: 'stale' };
  if (autopay.lease.status !== 'ACTIVE') return { go: false, reason: 'lease-inactive' };
  const installment = await tx.installment.findFirst({
    where: { id: run.installmentId, leaseId: autopay.leaseId },
    include: {
      payments: { orderBy: { createdAt: 'desc' }, select: { ...coveringSelect, idempotencyKey: true } },
      payoffs: { orderBy: { payment: { createdAt: 'desc' } }, take: 1, select: { payment: { select: coveringSelect } } },
    },
  });
  if (!installment) return { go: false, reason: 'missing' };
  // The one rule (installment-state.ts) says whether it can be paid; autopay names why not.
  const { state } = decideInstallment({
    status: installment.status,
    dueDate: dayFromDate(installment.dueDate),
    lease: autopay.lease,
    latestPayment: latestCovering(installment.payments[0], installment.payoffs[0]?.payment),
    today: businessDay(),
  });
  if (state === 'PAID' || state === 'WAIVED') return { go: false, reason: 'settled' };
  if (installment.autopaySkippedAt) return { go: false, reason: 'skipped' };
  if (state === 'IN_FLIGHT') return { go: false, reason: 'in-flight' };
  const pulls = installment.payments.filter((p) => p.idempotencyKey?.startsWith(AUTOPAY_KEY_PREFIX) && p.createdAt >= autopay.enabledAt).length;
  if (pulls >= run.attempt) return { go: false, reason: 'already-pulled' };
  if (run.pullAt) return { go: true, pullAt: new Date(run.pullAt), noticeAt: null };
  const plan = planPull(autopay.rail, dayFromDate(installment.dueDate), autopay.daysBeforeDue);
  return { go: true, pullAt: plan.pullAt, noticeAt: plan.noticeAt };
}

/**
 * The notice before a pull, once per installment and generation (a SentNotice row in the same
 * transaction): in the portal and by email, with the amount, account, rail, date and a link to
 * skip. Answers `sent: false` when it went out already or the run no longer applies.
 */
export async function sendAutopayNotice(tx: Tx, run: AutopayRunRequest): Promise<{ sent: boolean; state: RunState }> {
  const state = await checkRun(tx, run);
  if (!state.go) return { sent: false, state };
  if (!(await claimNotice(tx, 'autopay.notice', run.installmentId, `g${run.generation}`))) return { sent: false, state };
  const autopay = await tx.autopay.findUniqueOrThrow({ where: { id: run.autopayId }, include: { fromAccount: { select: { nickname: true, last4: true } }, lease: { select: { dueDay: true, property: { select: { name: true } } } } } });
  const installment = await tx.installment.findUniqueOrThrow({ where: { id: run.installmentId } });
  const { pullAt } = state;
  await notify(tx, [
    {
      userId: autopay.renterId,
      type: 'autopay.notice',
      title: `Autopay will pay ${formatCents(installment.amountCents)} on ${formatDay(dayInNewYork(pullAt))}`,
      body:
        `${installmentLabel(installment, autopay.lease)} for ${autopay.lease.property.name} (due ${dayFromDate(installment.dueDate)}): ${formatCents(installment.amountCents)} ` +
        `from ${autopay.fromAccount.nickname} ••••${autopay.fromAccount.last4} over ${RAILS[autopay.rail].name}, submitted ${pullAt.toISOString()}. ` +
        'To skip this installment, open the lease and choose "Skip next payment".',
      link: `/leases/${autopay.leaseId}#autopay`,
    },
  ]);
  return { sent: true, state };
}

export type PullResult = { pulled: true; paymentId: string; replayed: boolean } | { pulled: false; reason: string };

/**
 * The pull: re-checks the run in the payment's own transaction (`createPayment`'s guard) and
 * makes an ordinary payment as the renter, idempotency key `autopay:<installmentId>:<n>` with n
 * the installment's attempt number. A refusal of payment.create's rules (account deactivated,
 * over the rail's limit, the landlord's payout account off) stops autopay with that reason.
 */
export async function pullAutopayInstallment(db: Db, run: AutopayRunRequest): Promise<PullResult> {
  const autopay = await db.autopay.findUnique({ where: { id: run.autopayId } });
  if (!autopay) return { pulled: false, reason: 'missing' };
  const attempts = await db.payment.count({ where: { installmentId: run.installmentId } });
  const actor: Actor = { id: autopay.renterId, role: 'RENTER' };
  const stale = new Error('autopay run no longer applies');
  const checked: { reason: string } = { reason: 'stale' };
  try {
    const { result, replayed } = await createPayment(
      db,
      actor,
      { installmentId: run.installmentId, fromAccountId: autopay.fromAccountId, rail: autopay.rail },
      `${AUTOPAY_KEY_PREFIX}${run.installmentId}:${attempts + 1}`,
      async (tx) => {
        await tx.$executeRaw`SELECT 1 FROM "Lease" WHERE id = ${autopay.leaseId}::uuid FOR UPDATE`;
        const state = await checkRun(tx, run);
        if (!state.go) {
          checked.reason = state.reason;
          throw stale;
        }
      },
    );
    return { pulled: true, paymentId: result.id, replayed };
  } catch (error) {
    if (error === stale) return { pulled: false, reason: checked.reason };
    if (error instanceof DomainError && (error.code === 'CONFLICT' || error.code === 'BAD_REQUEST' || error.code === 'NOT_FOUND')) {
      await db.$transaction((tx) => stopAutopay(tx, autopay.id, run.generation, `The pull for this installment was refused: ${error.message}`));
      return { pulled: false, reason: `refused: ${error.message}` };
    }
    throw error;
  }
}

/** The run for the installment after this run's one (first presentments only; null when off, stale or nothing left). */
export async function nextRunAfter(tx: Tx, run: AutopayRunRequest): Promise<AutopayRunRequest | null> {
  const autopay = await tx.autopay.findUnique({ where: { id: run.autopayId } });
  if (!autopay || autopay.generation !== run.generation) return null;
  const current = await tx.installment.findUnique({ where: { id: run.installmentId }, select: { number: true } });
  return firstRun(tx, autopay, current?.number ?? 0);
}

/** Turns autopay off with the system's reason (new generation) and tells both parties. Only for the given generation. */
async function stopAutopay(tx: Tx, autopayId: string, generation: number, reason: string): Promise<boolean> {
  const [stopped] = await tx.autopay.updateManyAndReturn({
    where: { id: autopayId, generation, enabled: true },
    data: { enabled: false, disabledReason: reason.slice(0, 500), generation: { increment: 1 } },
    include: { lease: { select: { landlordId: true, property: { select: { name: true } } } } },
  });
  if (!stopped) return false;
  await appendAutopayEvent(tx, stopped, 'autopay.disabled', SYSTEM_ACTOR, reason.slice(0, 500));
  const link = `/leases/${stopped.leaseId}`;
  await notify(tx, [
    { userId: stopped.renterId, type: 'autopay.failed', title: 'Autopay is off', body: `${reason} Turn autopay on again from the lease page once it is fixed.`, link },
    { userId: stopped.lease.landlordId, type: 'autopay.failed', title: `Autopay stopped for ${stopped.lease.property.name}`, body: `${reason} The renter pays by hand until they turn it on again.`, link },
  ]);
  return true;
}

/**
 * Called by settlement (FAILED) and returns (RETURNED) in their transactions, with the lease
 * locked, for every failed or returned payment; acts only on autopay pulls of the current
 * generation. Insufficient funds (R01, AM04) are presented again — at most R01_REPRESENTMENTS
 * times per installment and generation — on the next banking day: the run to start is returned
 * and both parties are told when. Any other code, a third insufficient-funds failure, or a lease
 * no longer ACTIVE stops autopay with the reason until the renter turns it on again.
 */
export async function handleAutopayPaymentFailure(tx: Tx, payment: Pick<Payment, 'id' | 'leaseId' | 'installmentId' | 'idempotencyKey' | 'failureCode' | 'failureReason' | 'createdAt' | 'amountCents' | 'renterId' | 'landlordId'>, now = new Date()): Promise<AutopayRunRequest | null> {
  if (!payment.idempotencyKey?.startsWith(AUTOPAY_KEY_PREFIX)) return null;
  const autopay = await tx.autopay.findUnique({ where: { leaseId: payment.leaseId }, include: { lease: { select: { status: true, property: { select: { name: true } } } } } });
  if (!autopay?.enabled || payment.createdAt < autopay.enabledAt) return null;
  const code = payment.failureCode ?? 'unknown';
  const why = `${payment.failureReason ?? 'The payment failed'} (${code}).`;
  if (!INSUFFICIENT_FUNDS_CODES.has(code)) {
    await stopAutopay(tx, autopay.id, autopay.generation, `An autopay payment of ${formatCents(payment.amountCents)} failed: ${why}`);
    return null;
  }
  const insufficient = await tx.payment.count({
    where: { installmentId: payment.installmentId, idempotencyKey: { startsWith: AUTOPAY_KEY_PREFIX }, createdAt: { gte: autopay.enabledAt }, failureCode: { in: [...INSUFFICIENT_FUNDS_CODES] } },
  });
  if (insufficient > R01_REPRESENTMENTS) {
    await stopAutopay(tx, autopay.id, autopay.generation, `An autopay payment of ${formatCents(payment.amountCents)} failed for insufficient funds after ${R01_REPRESENTMENTS} re-presentments: ${why}`);
    return null;
  }
  if (autopay.lease.status !== 'ACTIVE') {
    await stopAutopay(tx, autopay.id, autopay.generation, `An autopay payment failed (${code}) and the lease is now ${autopay.lease.status}.`);
    return null;
  }
  const pullAt = planRepresentment(autopay.rail, now);
  const notices: NewNotification[] = [payment.renterId, payment.landlordId].map((userId) => ({
    userId,
    type: 'autopay.failed',
    title: `Autopay payment failed: ${formatCents(payment.amountCents)}`,
    body: `${why} Autopay presents it again on ${formatDay(dayInNewYork(pullAt))} (re-presentment ${insufficient} of ${R01_REPRESENTMENTS}).`,
    link: `/payments/${payment.id}`,
  }));
  await notify(tx, notices);
  return { autopayId: autopay.id, installmentId: payment.installmentId, generation: autopay.generation, attempt: insufficient + 1, scheduledAt: now.toISOString(), pullAt: pullAt.toISOString() };
}
