// The two dashboards' figures, read in a handful of SQL aggregates (no per-lease round trips):
//
// - the landlord's: rent due vs collected per month over the last 12 months, the ledger's
//   totals (overdue, in flight, returnable), recent activity on their leases, and the leases a
//   ledger export can be taken of;
// - the renter's: what they owe (the ledger's balances), and per lease its balance, the next
//   installment to pay (and whether it can be paid now, decided here once) and its in-flight
//   payment.
//
// Months are calendar months in America/New_York (the banking calendar's zone, calendar.ts),
// like every other date in DirectPay: a payment settled at 23:30 ET on Oct 31 (03:30 UTC on
// Nov 1) was collected in October. All amounts are integer cents.
import type { Db } from '@/server/db';
import { Prisma } from '@/server/generated/prisma/client';
import type { InstallmentStatus, LeaseStatus, PaymentStatus } from '@/server/generated/prisma/enums';
import { SYSTEM_ACTOR, type Actor } from './actor';
import { BANK_TIME_ZONE, dayInNewYork, formatDay, newYorkTime } from './calendar';
import { businessDay, ledgerBalances, type LedgerBalances } from './ledger';
import { dateFromDay, dayFromDate } from './schedule';
import { coveringSelect, decideInstallment, installmentLabel, latestCovering, type InstallmentVerdict } from './installment-state';

/** How many calendar months the landlord's chart covers, the current one included. */
export const DASHBOARD_MONTHS = 12;
/** How many events "recent activity" lists. */
export const RECENT_ACTIVITY_LIMIT = 10;
/** How many leases the dashboards list (newest first); the lease pages list every one. */
export const DASHBOARD_LEASES_LIMIT = 20;

/** Leases whose installments fall due and are charged: accepted ones (ledger.ts's rule). */
const ACCEPTED: LeaseStatus[] = ['ACTIVE', 'COMPLETED', 'DEFAULTED'];
/** Event types too routine for "recent activity" (a 12-month lease writes 12 at once). */
const QUIET_EVENT_TYPES = ['installment.scheduled'];

export interface MonthFigures {
  /** 'YYYY-MM', a calendar month in America/New_York. */
  month: string;
  /** Rent of the installments falling due that month, on accepted leases (waived ones excluded). */
  dueCents: number;
  /**
   * Payments that settled that month (ET) and have not been returned: COMPLETED payments by
   * their settlement instant, late fees they carried included. A payment the bank later
   * returned counts nowhere.
   */
  collectedCents: number;
  /** The part of `collectedCents` still within its ACH return window (not final yet). */
  returnableCents: number;
}

export interface MonthWindow {
  /** 'YYYY-MM', oldest first; the month `now` falls in last. */
  months: string[];
  /** The first instant of the first month (00:00 ET on its 1st). */
  from: Date;
  /** The first instant after the last month (00:00 ET on the next month's 1st). */
  to: Date;
  /** The same bounds as calendar days (YYYY-MM-DD) for DATE columns: [firstDay, afterDay). */
  firstDay: string;
  afterDay: string;
}

/** The `count` calendar months (America/New_York) ending with the one `now` falls in. */
export function monthWindow(now: Date, count = DASHBOARD_MONTHS): MonthWindow {
  const { year, month } = dayInNewYork(now);
  const current = year * 12 + (month - 1); // months since year 0, zero-based
  const monthAt = (index: number) => ({ year: Math.floor(index / 12), month: (index % 12) + 1, day: 1 });
  const months = Array.from({ length: count }, (_, i) => monthAt(current - count + 1 + i)).map((m) => formatDay(m).slice(0, 7));
  const first = monthAt(current - count + 1);
  const after = monthAt(current + 1);
  return { months, from: newYorkTime(first, 0), to: newYorkTime(after, 0), firstDay: formatDay(first), afterDay: formatDay(after) };
}

/** Lays SQL's per-month sums over every month of the window: a month with nothing is zeros. */
export function fillMonths(months: string[], rows: { month: string; kind: 'due' | 'collected' | 'returnable'; cents: number }[]): MonthFigures[] {
  const byMonth = new Map(months.map((month) => [month, { month, dueCents: 0, collectedCents: 0, returnableCents: 0 }]));
  for (const row of rows) {
    const figures = byMonth.get(row.month);
    if (!figures) continue;
    if (row.kind === 'due') figures.dueCents += row.cents;
    else if (row.kind === 'collected') figures.collectedCents += row.cents;
    else figures.returnableCents += row.cents;
  }
  return [...byMonth.values()];
}

/** Due and collected per ET month for a landlord, over [from, to): one query. */
async function monthlyFigures(db: Db, landlordId: string, window: MonthWindow): Promise<MonthFigures[]> {
  const rows = await db.$queryRaw<{ month: string; kind: 'due' | 'collected' | 'returnable'; cents: bigint }[]>`
    SELECT to_char(i."dueDate", 'YYYY-MM') AS month, 'due' AS kind, sum(i."amountCents") AS cents
    FROM "Installment" i JOIN "Lease" l ON l.id = i."leaseId"
    WHERE l."landlordId" = ${landlordId}::uuid AND l.status::text IN (${Prisma.join(ACCEPTED)}) AND i.status <> 'WAIVED'
      AND i."dueDate" >= ${dateFromDay(window.firstDay)}::date AND i."dueDate" < ${dateFromDay(window.afterDay)}::date
    GROUP BY 1
    UNION ALL
    SELECT month, kind, cents FROM (
      SELECT to_char(p."settledAt" AT TIME ZONE ${BANK_TIME_ZONE}, 'YYYY-MM') AS month,
             sum(p."amountCents") AS collected, sum(p."amountCents") FILTER (WHERE p."finalAt" IS NULL) AS returnable
      FROM "Payment" p
      WHERE p."landlordId" = ${landlordId}::uuid AND p.status = 'COMPLETED' AND p."settledAt" >= ${window.from} AND p."settledAt" < ${window.to}
      GROUP BY 1
    ) settled CROSS JOIN LATERAL (VALUES ('collected', collected), ('returnable', coalesce(returnable, 0))) AS v(kind, cents)`;
  return fillMonths(
    window.months,
    rows.map((row) => ({ month: row.month, kind: row.kind, cents: Number(row.cents) })),
  );
}

export interface ActivityItem {
  /** The event's id (a 64-bit integer) as a string. */
  id: string;
  /** e.g. 'payment.completed'; the portal words it (components/events/timeline.tsx). */
  type: string;
  aggregateType: 'Lease' | 'Installment' | 'Payment';
  aggregateId: string;
  leaseId: string;
  propertyName: string;
  /** The installment the event is about (installment and payment events). */
  installmentNumber: number | null;
  /** "November 2026 rent" (installmentLabel), or null for lease events. */
  installmentLabel: string | null;
  /** The payment's amount, or the installment's, in cents (null for lease events). */
  amountCents: number | null;
  actorRole: string;
  /** The event's reason as the landlord reads it: a payment it names is `paymentId`, not a raw id in the text (activityWords). */
  reason: string | null;
  /** The payment the event is about: a payment's own event, or an installment's that names the payment that paid, failed or was returned. */
  paymentId: string | null;
  /** The aggregate's status after the event, when it has one. */
  status: string | null;
  createdAt: Date;
}

/**
 * The latest events on a landlord's leases, their installments and the payments on them,
 * newest first. Each aggregate's newest events come from the (aggregateType, aggregateId,
 * sequence) index, so the cost grows with the landlord's records, not the whole history.
 */
async function recentActivity(db: Db, landlordId: string, limit = RECENT_ACTIVITY_LIMIT): Promise<ActivityItem[]> {
  const rows = await db.$queryRaw<(Omit<ActivityItem, 'id' | 'installmentLabel'> & { id: bigint; installmentDueDate: Date | null; dueDay: number })[]>`
    WITH mine AS (
      SELECT 'Lease'::text AS "aggregateType", l.id AS "aggregateId", l.id AS "leaseId", pr.name AS "propertyName", NULL::int AS "installmentNumber", NULL::date AS "installmentDueDate", NULL::int AS "amountCents", l."dueDay"
      FROM "Lease" l JOIN "Property" pr ON pr.id = l."propertyId" WHERE l."landlordId" = ${landlordId}::uuid
      UNION ALL
      SELECT 'Installment', i.id, l.id, pr.name, i.number, i."dueDate", i."amountCents", l."dueDay"
      FROM "Installment" i JOIN "Lease" l ON l.id = i."leaseId" JOIN "Property" pr ON pr.id = l."propertyId" WHERE l."landlordId" = ${landlordId}::uuid
      UNION ALL
      SELECT 'Payment', p.id, p."leaseId", pr.name, i.number, i."dueDate", p."amountCents", l."dueDay"
      FROM "Payment" p JOIN "Installment" i ON i.id = p."installmentId" JOIN "Lease" l ON l.id = p."leaseId" JOIN "Property" pr ON pr.id = l."propertyId"
      WHERE p."landlordId" = ${landlordId}::uuid
    )
    SELECT e.id, e.type, m."aggregateType", m."aggregateId"::text AS "aggregateId", m."leaseId"::text AS "leaseId", m."propertyName", m."installmentNumber", m."installmentDueDate", m."amountCents", m."dueDay",
           e."actorRole", e.reason, e.data->>'status' AS status, e."createdAt"
    FROM mine m CROSS JOIN LATERAL (
      SELECT * FROM "Event" e
      WHERE e."aggregateType" = m."aggregateType" AND e."aggregateId" = m."aggregateId" AND e.type <> ALL (${QUIET_EVENT_TYPES}::text[])
      ORDER BY e.sequence DESC LIMIT ${limit}
    ) e
    ORDER BY e.id DESC LIMIT ${limit}`;
  return rows.map(({ installmentDueDate, dueDay, ...row }) => ({
    ...row,
    ...activityWords(row),
    id: row.id.toString(),
    installmentLabel: installmentDueDate ? installmentLabel({ dueDate: installmentDueDate }, { dueDay }) : null,
  }));
}

/** "payment <uuid>" or "early payoff <uuid>" in a reason the system wrote (settlement.ts, returns.ts). */
const PAYMENT_IN_REASON = /\b(payment|early payoff) ([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\b/;

/**
 * The payment an activity item is about, and its reason without the payment's id: the events
 * the system writes when a payment settles, fails or is returned name it in their text on the
 * installments it paid and the lease it reopened ("paid by payment 2a3c…", "payment 2a3c…
 * failed (R01)", "payment 2a3c… was returned (R01); payable again"); the history keeps that text
 * as written, and the dashboard links the payment instead of printing its id. Only the system's
 * words (actorRole SYSTEM) are read so: a reason a person wrote (a decline, a cancellation, a
 * waiver) is shown as written and links nothing, whatever id it mentions.
 */
export function activityWords(item: { aggregateType: string; aggregateId: string; actorRole: string; reason: string | null }): { reason: string | null; paymentId: string | null } {
  if (item.aggregateType === 'Payment') return { reason: item.reason, paymentId: item.aggregateId };
  const named = item.actorRole === SYSTEM_ACTOR.role ? item.reason?.match(PAYMENT_IN_REASON) : null;
  if (!named) return { reason: item.reason, paymentId: null };
  return { reason: item.reason!.replace(PAYMENT_IN_REASON, '$1'), paymentId: named[2]! };
}

export interface DashboardLease {
  id: string;
  propertyName: string;
  status: LeaseStatus;
  monthlyRentCents: number;
  /** The renter's name, or the invited email while they have no account (landlord's view). */
  counterparty: string;
}

export interface LandlordDashboard {
  /** The zone months are counted in. */
  timeZone: typeof BANK_TIME_ZONE;
  /** The last 12 calendar months, oldest first, the current one last. */
  months: MonthFigures[];
  /** The ledger's totals over every lease of the landlord, now (ledger.ts ledgerBalances). */
  totals: LedgerBalances;
  recentActivity: ActivityItem[];
  /** Accepted leases (those with a ledger to export), newest first, at most DASHBOARD_LEASES_LIMIT. */
  leases: DashboardLease[];
  /** Whether the landlord has any property or lease at all (the "get started" state). */
  isNew: boolean;
  asOf: Date;
}

/** The landlord dashboard's figures, as of `now`. Only for the landlord's own records. */
export async function landlordDashboard(db: Db, actor: Actor, input: { now?: Date } = {}): Promise<LandlordDashboard> {
  const now = input.now ?? new Date();
  const [months, totals, activity, leases, properties] = await Promise.all([
    monthlyFigures(db, actor.id, monthWindow(now)),
    ledgerBalances(db, actor, { now }),
    recentActivity(db, actor.id),
    db.lease.findMany({
      where: { landlordId: actor.id, status: { in: ACCEPTED } },
      orderBy: { createdAt: 'desc' },
      take: DASHBOARD_LEASES_LIMIT,
      select: { id: true, status: true, monthlyRentCents: true, renterEmail: true, property: { select: { name: true } }, renter: { select: { name: true } } },
    }),
    db.property.count({ where: { landlordId: actor.id } }),
  ]);
  return {
    timeZone: BANK_TIME_ZONE,
    months,
    totals,
    recentActivity: activity,
    leases: leases.map((lease) => ({
      id: lease.id,
      propertyName: lease.property.name,
      status: lease.status,
      monthlyRentCents: lease.monthlyRentCents,
      counterparty: lease.renter?.name ?? lease.renterEmail,
    })),
    isNew: properties === 0 && activity.length === 0,
    asOf: now,
  };
}

/** The next installment with the one rule's answer (installment-state.ts: state, canPay, reason, overdue, lastFailure). */
export interface NextInstallment extends InstallmentVerdict {
  id: string;
  number: number;
  /** "November 2026 rent" */
  label: string;
  /** YYYY-MM-DD */
  dueDate: string;
  amountCents: number;
  status: InstallmentStatus;
  /** The payment on its way for it (PENDING or PROCESSING), if any. */
  paymentInFlight: { id: string; status: PaymentStatus } | null;
}

export interface RenterLease {
  id: string;
  propertyName: string;
  landlordName: string;
  status: LeaseStatus;
  monthlyRentCents: number;
  /** What the renter owes on this lease now (the ledger's RENTER_RECEIVABLE; negative: paid ahead), in cents. */
  balanceCents: number;
  /** The lease's first installment still to pay (DUE or FAILED), or null when none is left. */
  nextInstallment: NextInstallment | null;
}

export interface RenterDashboard {
  /** The ledger's balances over every lease of the renter, now (ledger.ts ledgerBalances). */
  balances: LedgerBalances;
  /** Accepted leases, newest first, at most DASHBOARD_LEASES_LIMIT. */
  leases: RenterLease[];
  asOf: Date;
}

/** The renter dashboard's figures, as of `now`. Only the renter's own leases. */
export async function renterDashboard(db: Db, actor: Actor, input: { now?: Date } = {}): Promise<RenterDashboard> {
  const now = input.now ?? new Date();
  const today = businessDay(now);
  const [balances, leases] = await Promise.all([
    ledgerBalances(db, actor, { now }),
    db.lease.findMany({
      where: { renterId: actor.id, status: { in: ACCEPTED } },
      orderBy: { createdAt: 'desc' },
      take: DASHBOARD_LEASES_LIMIT,
      select: { id: true, status: true, graceDays: true, dueDay: true, monthlyRentCents: true, property: { select: { name: true } }, landlord: { select: { name: true } } },
    }),
  ]);
  const ids = leases.map((lease) => lease.id);
  const [receivable, next] = ids.length
    ? await Promise.all([
        db.$queryRaw<{ leaseId: string; cents: bigint }[]>`
          SELECT t."leaseId"::text AS "leaseId", sum(e."amountCents") AS cents
          FROM "LedgerEntry" e JOIN "LedgerTransaction" t ON t.id = e."transactionId"
          WHERE t."leaseId" = ANY(${ids}::uuid[]) AND e.account = 'RENTER_RECEIVABLE'
          GROUP BY t."leaseId"`,
        db.$queryRaw<{ leaseId: string; id: string; number: number; dueDate: Date; amountCents: number; status: InstallmentStatus }[]>`
          SELECT DISTINCT ON (i."leaseId") i."leaseId"::text AS "leaseId", i.id::text AS id, i.number, i."dueDate", i."amountCents", i.status
          FROM "Installment" i
          WHERE i."leaseId" = ANY(${ids}::uuid[]) AND i.status IN ('DUE', 'FAILED')
          ORDER BY i."leaseId", i.number`,
      ])
    : [[], []];
  const balanceOf = new Map(receivable.map((row) => [row.leaseId, Number(row.cents)]));
  const nextOf = new Map(next.map((row) => [row.leaseId, row]));
  // What the one rule needs of each: its latest payment, or an early payoff covering it.
  const covering = new Map(
    (
      await db.installment.findMany({
        where: { id: { in: next.map((row) => row.id) } },
        select: {
          id: true,
          payments: { orderBy: { createdAt: 'desc' }, take: 1, select: coveringSelect },
          payoffs: { orderBy: { payment: { createdAt: 'desc' } }, take: 1, select: { payment: { select: coveringSelect } } },
        },
      })
    ).map((row) => [row.id, latestCovering(row.payments[0], row.payoffs[0]?.payment)]),
  );
  const verdictOf = (id: string, status: InstallmentStatus, dueDate: string, lease: (typeof leases)[number]) =>
    decideInstallment({ status, dueDate, lease, latestPayment: covering.get(id) ?? null, today });
  const inFlightOf = (id: string): { id: string; status: PaymentStatus } | null => {
    const payment = covering.get(id);
    return payment?.id && (payment.status === 'PENDING' || payment.status === 'PROCESSING') ? { id: payment.id, status: payment.status } : null;
  };
  return {
    balances,
    leases: leases.map((lease): RenterLease => {
      const row = nextOf.get(lease.id);
      const dueDate = row ? dayFromDate(row.dueDate) : null;
      return {
        id: lease.id,
        propertyName: lease.property.name,
        landlordName: lease.landlord.name,
        status: lease.status,
        monthlyRentCents: lease.monthlyRentCents,
        balanceCents: balanceOf.get(lease.id) ?? 0,
        nextInstallment:
          row && dueDate
            ? {
                id: row.id,
                number: row.number,
                dueDate,
                amountCents: row.amountCents,
                status: row.status,
                label: installmentLabel({ dueDate }, lease),
                ...verdictOf(row.id, row.status, dueDate, lease),
                // The payment on its way for it: its own, or an early payoff covering it (the rule's IN_FLIGHT).
                paymentInFlight: inFlightOf(row.id),
              }
            : null,
      };
    }),
    asOf: now,
  };
}
