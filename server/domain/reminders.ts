// Reminders, run once a day by the `reminders-daily` Inngest function (inngest/functions/reminders-daily.ts):
// - a rent reminder to the renter `reminderDaysBeforeDue` calendar days before each due date
//   (lease term, default 5; sent on that day, or on a later day up to the due date when a run
//   was missed), unless autopay will pull the installment (on, and the installment not skipped);
// - an overdue notice to the renter once an installment is still unpaid after its grace period
//   (due date + graceDays < today, ET, nothing on its way), with the `installment.overdue`
//   history event (so the webhook of that name fires);
// - a digest email to each landlord with overdue rent, once per business day, only to those who
//   turned the "overdue.digest" kind on (off by default).
// Each goes out once: a SentNotice row (kind, installment or landlord, period) is inserted in
// the transaction that sends it, and a row already there means it went out before.
import type { Db, Tx } from '@/server/db';
import { Prisma } from '@/server/generated/prisma/client';
import { SYSTEM_ACTOR } from './actor';
import { appendEvents } from './events';
import { installmentSnapshot } from './leases';
import { queueEmails, wantsEmail, NOTICE_KINDS } from './mail';
import { formatCents } from './money';
import { notify } from './notifications';
import { dateFromDay, dayFromDate } from './schedule';
import { coveringSelect, decideInstallment, installmentLabel, latestCovering } from './installment-state';
import { countText } from './text';

export type SentNoticeKind = 'rent.reminder' | 'installment.overdue' | 'autopay.notice' | 'overdue.digest';

/** Claims a notice in the caller's transaction: true the first time, false when it went out before. */
export async function claimNotice(tx: Tx, kind: SentNoticeKind, subjectId: string, period = ''): Promise<boolean> {
  const inserted = await tx.$executeRaw`INSERT INTO "SentNotice" (kind, "subjectId", period) VALUES (${kind}, ${subjectId}::uuid, ${period}) ON CONFLICT DO NOTHING`;
  return inserted > 0;
}

/**
 * Whether installment `i` has money on its way: a payment of it, or an early payoff covering it,
 * still PENDING or PROCESSING (payoff.ts). Such an installment gets no reminder or overdue notice.
 */
const onItsWay = Prisma.sql`(EXISTS (SELECT 1 FROM "Payment" p WHERE p."installmentId" = i.id AND p.status IN ('PENDING', 'PROCESSING'))
  OR EXISTS (SELECT 1 FROM "PayoffInstallment" pi JOIN "Payment" pp ON pp.id = pi."paymentId" WHERE pi."installmentId" = i.id AND pp.status IN ('PENDING', 'PROCESSING')))`;

/** Rent reminders for `today` (YYYY-MM-DD, ET); returns how many went out. */
export async function sendRentReminders(db: Db, today: string, limit = 5000): Promise<number> {
  const due = await db.$queryRaw<{ id: string; leaseId: string }[]>`
    SELECT i.id, i."leaseId" FROM "Installment" i JOIN "Lease" l ON l.id = i."leaseId"
    LEFT JOIN "Autopay" a ON a."leaseId" = l.id AND a.enabled
    WHERE l.status = 'ACTIVE' AND l."renterId" IS NOT NULL AND i.status IN ('DUE', 'FAILED')
      AND i."dueDate" >= ${dateFromDay(today)}::date
      AND i."dueDate" - l."reminderDaysBeforeDue" <= ${dateFromDay(today)}::date
      AND (a.id IS NULL OR i."autopaySkippedAt" IS NOT NULL)
      AND NOT EXISTS (SELECT 1 FROM "SentNotice" s WHERE s.kind = 'rent.reminder' AND s."subjectId" = i.id)
      AND NOT ${onItsWay}
    ORDER BY i."dueDate", i.id
    LIMIT ${limit}`;
  let sent = 0;
  for (const row of due) {
    const went = await db.$transaction(async (tx) => {
      if (!(await claimNotice(tx, 'rent.reminder', row.id))) return false;
      const installment = await tx.installment.findUniqueOrThrow({
        where: { id: row.id },
        select: { number: true, dueDate: true, amountCents: true, lease: { select: { id: true, renterId: true, dueDay: true, property: { select: { name: true } } } } },
      });
      await notify(tx, [
        {
          userId: installment.lease.renterId!,
          type: 'rent.reminder',
          title: `Rent of ${formatCents(installment.amountCents)} is due ${dayFromDate(installment.dueDate)}`,
          body: `${installmentLabel(installment, installment.lease)} for ${installment.lease.property.name} falls due on ${dayFromDate(installment.dueDate)}. Pay it from the lease page, or turn on autopay there.`,
          link: `/leases/${installment.lease.id}`,
        },
      ]);
      return true;
    });
    if (went) sent += 1;
  }
  return sent;
}

/** Overdue notices (and `installment.overdue` events) for `today`; returns how many went out. */
export async function sendOverdueNotices(db: Db, today: string, limit = 5000): Promise<number> {
  const late = await db.$queryRaw<{ id: string; leaseId: string }[]>`
    SELECT i.id, i."leaseId" FROM "Installment" i JOIN "Lease" l ON l.id = i."leaseId"
    WHERE l.status = 'ACTIVE' AND l."renterId" IS NOT NULL AND i.status IN ('DUE', 'FAILED')
      AND i."dueDate" + l."graceDays" < ${dateFromDay(today)}::date
      AND NOT EXISTS (SELECT 1 FROM "SentNotice" s WHERE s.kind = 'installment.overdue' AND s."subjectId" = i.id)
      AND NOT ${onItsWay}
    ORDER BY i."dueDate", i.id
    LIMIT ${limit}`;
  let sent = 0;
  for (const row of late) {
    const went = await db.$transaction(async (tx) => {
      // The usual lock order (lease, installment), then re-check under the locks.
      await tx.$executeRaw`SELECT 1 FROM "Lease" WHERE id = ${row.leaseId}::uuid FOR UPDATE`;
      await tx.$executeRaw`SELECT 1 FROM "Installment" WHERE id = ${row.id}::uuid FOR UPDATE`;
      const installment = await tx.installment.findUniqueOrThrow({
        where: { id: row.id },
        include: {
          lease: { select: { id: true, status: true, renterId: true, graceDays: true, dueDay: true, property: { select: { name: true } } } },
          payments: { orderBy: { createdAt: 'desc' }, take: 1, select: coveringSelect },
          payoffs: { orderBy: { payment: { createdAt: 'desc' } }, take: 1, select: { payment: { select: coveringSelect } } },
        },
      });
      // The SQL above picks candidates; the one rule (installment-state.ts) decides under the locks.
      const verdict = decideInstallment({
        status: installment.status,
        dueDate: dayFromDate(installment.dueDate),
        lease: installment.lease,
        latestPayment: latestCovering(installment.payments[0], installment.payoffs[0]?.payment),
        today,
      });
      if (!verdict.overdue) return false;
      if (!(await claimNotice(tx, 'installment.overdue', row.id))) return false;
      const dueDate = dayFromDate(installment.dueDate);
      await appendEvents(tx, [
        {
          aggregateType: 'Installment',
          aggregateId: installment.id,
          type: 'installment.overdue',
          actor: SYSTEM_ACTOR,
          reason: installment.lease.graceDays === 0 ? `unpaid after its due date ${dueDate}` : `unpaid ${countText(installment.lease.graceDays, 'grace day')} after its due date ${dueDate}`,
          data: installmentSnapshot(installment),
        },
      ]);
      await notify(tx, [
        {
          userId: installment.lease.renterId!,
          type: 'installment.overdue',
          title: `Rent is overdue: ${formatCents(installment.amountCents)}`,
          body: `${installmentLabel(installment, installment.lease)} for ${installment.lease.property.name} was due ${dueDate} and is still unpaid. Pay it from the lease page; a late fee may apply.`,
          link: `/leases/${installment.lease.id}`,
        },
      ]);
      return true;
    });
    if (went) sent += 1;
  }
  return sent;
}

/**
 * The landlords' daily digest of overdue rent (email only, for those who turned it on), once
 * per landlord and business day `today`; returns how many went out.
 */
export async function sendOverdueDigests(db: Db, today: string): Promise<number> {
  const rows = await db.$queryRaw<{ landlordId: string; leaseId: string; propertyName: string; dueDay: number; number: number; dueDate: Date; amountCents: number }[]>`
    SELECT l."landlordId", l.id AS "leaseId", p.name AS "propertyName", l."dueDay", i.number, i."dueDate", i."amountCents"
    FROM "Installment" i JOIN "Lease" l ON l.id = i."leaseId" JOIN "Property" p ON p.id = l."propertyId"
    JOIN "User" u ON u.id = l."landlordId"
    WHERE l.status = 'ACTIVE' AND i.status IN ('DUE', 'FAILED')
      AND i."dueDate" + l."graceDays" < ${dateFromDay(today)}::date
      AND 'overdue.digest' = ANY(u."emailOptIns")
      AND NOT ${onItsWay}
      AND NOT EXISTS (SELECT 1 FROM "SentNotice" s WHERE s.kind = 'overdue.digest' AND s."subjectId" = l."landlordId" AND s.period = ${today})
    ORDER BY l."landlordId", i."dueDate", p.name`;
  const byLandlord = new Map<string, typeof rows>();
  for (const row of rows) byLandlord.set(row.landlordId, [...(byLandlord.get(row.landlordId) ?? []), row]);
  let sent = 0;
  for (const [landlordId, items] of byLandlord) {
    const went = await db.$transaction(async (tx) => {
      const landlord = await tx.user.findUniqueOrThrow({ where: { id: landlordId }, select: { id: true, email: true, emailOptOuts: true, emailOptIns: true } });
      if (!wantsEmail(landlord, 'overdue.digest')) return false;
      if (!(await claimNotice(tx, 'overdue.digest', landlordId, today))) return false;
      const total = items.reduce((sum, item) => sum + item.amountCents, 0);
      const lines = items.map((item) => `${item.propertyName}: ${installmentLabel(item, item)}, ${formatCents(item.amountCents)}, due ${dayFromDate(item.dueDate)}`);
      const mail = NOTICE_KINDS['overdue.digest'].template({
        title: `Overdue rent on ${today}: ${formatCents(total)} in ${items.length} installment${items.length === 1 ? '' : 's'}`,
        body: lines.join('\n'),
        link: '/landlord/leases',
      });
      await queueEmails(tx, [{ ...mail, to: landlord.email, kind: 'overdue.digest', userId: landlord.id }]);
      return true;
    });
    if (went) sent += 1;
  }
  return sent;
}
