// Autopay on the banking calendar (pure: the pull plan on holidays, month ends, weekend due
// dates, for each rail, and the notice 3 calendar days before) and against the database: the
// notice once, skip, and failure handling — R01 presented again twice then stopped, R02
// stopped at once — through the same settlement and return functions the background runs use.
import { describe, expect, it } from 'vitest';
import { db } from '@/server/db';
import type { Rail } from '@/server/generated/prisma/enums';
import { payingRenter } from '@/server/testing/payments';
import {
  AUTOPAY_KEY_PREFIX,
  checkRun,
  enableAutopay,
  getAutopay,
  handleAutopayPaymentFailure,
  planPull,
  planRepresentment,
  pullAutopayInstallment,
  sendAutopayNotice,
  skipAutopayInstallment,
  type AutopayRunRequest,
  type AutopayView,
} from './autopay';
import { addCalendarDays, dayInNewYork, formatDay, isBankingDay, newYorkTime, railSchedule } from './calendar';
import { settlePayment, submitPayment } from './settlement';
import { returnPayment } from './returns';
import type { Actor } from './actor';

const RAIL_LIST: Rail[] = ['RTP', 'WIRE', 'SAME_DAY_ACH', 'STANDARD_ACH'];
const et = (day: string, hours: number, minutes = 0) => {
  const [year, month, dom] = day.split('-').map(Number) as [number, number, number];
  return newYorkTime({ year, month, day: dom }, hours, minutes);
};

describe('the pull plan on the banking calendar', () => {
  it('a due date the day after a holiday: 2027-01-19 minus 1 day is MLK Day (Mon 18th), so the money settles Friday the 15th', () => {
    expect(planPull('STANDARD_ACH', '2027-01-19', 1)).toEqual({ settleBy: '2027-01-15', pullAt: et('2027-01-14', 17), noticeAt: et('2027-01-11', 17) });
    expect(planPull('SAME_DAY_ACH', '2027-01-19', 1)).toEqual({ settleBy: '2027-01-15', pullAt: et('2027-01-15', 16, 45), noticeAt: et('2027-01-12', 16, 45) });
    expect(planPull('WIRE', '2027-01-19', 1)).toEqual({ settleBy: '2027-01-15', pullAt: et('2027-01-15', 17), noticeAt: et('2027-01-12', 17) });
    expect(planPull('RTP', '2027-01-19', 1)).toEqual({ settleBy: '2027-01-15', pullAt: et('2027-01-15', 17), noticeAt: et('2027-01-12', 17) });
  });

  it('across a month end: due Monday 2027-03-01 with 0 days, Standard ACH goes out Friday 2027-02-26 (the banking day before)', () => {
    expect(planPull('STANDARD_ACH', '2027-03-01', 0)).toEqual({ settleBy: '2027-03-01', pullAt: et('2027-02-26', 17), noticeAt: et('2027-02-23', 17) });
    // 2 days before a March 1 due date is Saturday Feb 27: settle by Friday the 26th.
    expect(planPull('SAME_DAY_ACH', '2027-03-01', 2).settleBy).toBe('2027-02-26');
  });

  it('a due date on a weekend settles by the Friday before; a Sunday holiday observed Monday is skipped', () => {
    // 2027-05-01 is a Saturday.
    expect(planPull('RTP', '2027-05-01', 0)).toEqual({ settleBy: '2027-04-30', pullAt: et('2027-04-30', 17), noticeAt: et('2027-04-27', 17) });
    // 2027-07-04 is a Sunday, observed Monday the 5th: due Tuesday the 6th minus 1 day → the 5th → Friday 2 July.
    expect(planPull('STANDARD_ACH', '2027-07-06', 1)).toMatchObject({ settleBy: '2027-07-02', pullAt: et('2027-07-01', 17) });
    // Christmas 2027 is a Saturday, not observed (the Fed opens Friday the 24th): due Sunday the 26th settles Friday the 24th.
    expect(planPull('WIRE', '2027-12-26', 0)).toMatchObject({ settleBy: '2027-12-24', pullAt: et('2027-12-24', 17) });
  });

  it('the notice is 3 calendar days before the pull at the same New York time, across a DST change', () => {
    // DST starts Sunday 2027-03-14: a pull at 17:00 EDT on the 15th has its notice at 17:00 EST on the 12th (72 h + 1 h apart).
    const plan = planPull('RTP', '2027-03-15', 0);
    expect(plan.pullAt).toEqual(et('2027-03-15', 17));
    expect(plan.noticeAt).toEqual(et('2027-03-12', 17));
    expect(plan.pullAt.getTime() - plan.noticeAt.getTime()).toBe(71 * 3600_000);
  });

  it('for every rail and a year of due dates: the rail settles the pull on the settle-by day, a banking day on or before due − d; ACH pulls are the latest that do', () => {
    for (let offset = 0; offset < 366; offset += 1) {
      const due = formatDay(addCalendarDays({ year: 2027, month: 1, day: 1 }, offset));
      for (const daysBeforeDue of [0, 3]) {
        const latest = formatDay(addCalendarDays(dayInNewYork(et(due, 12)), -daysBeforeDue));
        for (const rail of RAIL_LIST) {
          const plan = planPull(rail, due, daysBeforeDue);
          expect(isBankingDay(et(plan.settleBy, 12)), `${rail} ${due}`).toBe(true);
          expect(plan.settleBy <= latest, `${rail} ${due}`).toBe(true);
          const settles = railSchedule(rail, plan.pullAt).expectedSettlementAt;
          expect(formatDay(dayInNewYork(settles)), `${rail} ${due} d=${daysBeforeDue}`).toBe(plan.settleBy);
          if (rail === 'STANDARD_ACH' || rail === 'SAME_DAY_ACH') {
            // A minute later misses the cut-off: it would settle after the settle-by day.
            const later = railSchedule(rail, new Date(plan.pullAt.getTime() + 60_000)).expectedSettlementAt;
            expect(formatDay(dayInNewYork(later)) > plan.settleBy, `${rail} ${due}`).toBe(true);
          }
        }
      }
    }
  });

  it('a re-presentment goes out at the rail’s pull time on the next banking day', () => {
    // Friday 2027-01-15 → Tuesday 19th (MLK Day Monday).
    expect(planRepresentment('STANDARD_ACH', et('2027-01-15', 9))).toEqual(et('2027-01-19', 17));
    expect(planRepresentment('SAME_DAY_ACH', et('2027-01-15', 9))).toEqual(et('2027-01-19', 16, 45));
  });
});

async function withAutopay(options: { last4?: string; rail?: Rail } = {}) {
  const setup = await payingRenter({ last4: options.last4 });
  const actor: Actor = { id: setup.renter.id, role: 'RENTER' };
  const change = await db.$transaction((tx) => enableAutopay(tx, actor, { leaseId: setup.lease.id, fromAccountId: setup.from.id, rail: options.rail ?? 'STANDARD_ACH', daysBeforeDue: 2 }));
  return { ...setup, actor, change, run: change.run! };
}

/** Submits the pull and settles it with `outcome`, as the settle-payment function would. */
async function settle(paymentId: string, outcome: Parameters<typeof settlePayment>[2]) {
  await db.$transaction((tx) => submitPayment(tx, paymentId));
  return db.$transaction((tx) => settlePayment(tx, paymentId, outcome));
}

const insufficient = { ok: false, code: 'R01', reason: 'Insufficient funds in the sending account' } as const;

describe('autopay against the database', () => {
  it('enable schedules the first installment: the view shows the plan of its due date; the landlord sees on and the last 4 only', async () => {
    const setup = await withAutopay();
    const first = setup.lease.installments[0]!;
    expect(setup.run).toMatchObject({ installmentId: first.id, generation: 1, attempt: 1 });
    const plan = planPull('STANDARD_ACH', first.dueDate, 2);
    expect(setup.change.autopay).toMatchObject({ enabled: true, rail: 'STANDARD_ACH', daysBeforeDue: 2, account: { id: setup.from.id, last4: '0000' }, nextPullAt: plan.pullAt, nextNoticeAt: plan.noticeAt });
    expect(await getAutopay(db, { id: setup.landlord.id, role: 'LANDLORD' }, { leaseId: setup.lease.id })).toEqual({ view: 'landlord', leaseId: setup.lease.id, enabled: true, accountLast4: '0000' });
    const events = await db.event.findMany({ where: { aggregateType: 'Autopay' }, orderBy: { id: 'asc' } });
    expect(events.map((e) => e.type)).toContain('autopay.enabled');
  });

  it('the notice goes out once per installment and generation, with amount, account, rail, date and a skip link', async () => {
    const setup = await withAutopay();
    expect((await db.$transaction((tx) => sendAutopayNotice(tx, setup.run))).sent).toBe(true);
    expect((await db.$transaction((tx) => sendAutopayNotice(tx, setup.run))).sent).toBe(false);
    const notices = await db.notification.findMany({ where: { userId: setup.renter.id, type: 'autopay.notice' } });
    expect(notices).toHaveLength(1);
    expect(notices[0]!.title).toMatch(/^Autopay will pay \$1,500\.00 on \d{4}-\d{2}-\d{2}$/);
    expect(notices[0]!.body).toContain('••••0000');
    expect(notices[0]!.body).toContain('Standard ACH');
    expect(notices[0]!.link).toBe(`/leases/${setup.lease.id}#autopay`);
    expect(await db.emailMessage.count({ where: { userId: setup.renter.id, kind: 'autopay.notice' } })).toBe(1);
  });

  it('skip: the installment is not pulled, the next one is scheduled, and a stale generation pulls nothing', async () => {
    const setup = await withAutopay();
    const [first, second] = setup.lease.installments;
    const skipped = await db.$transaction((tx) => skipAutopayInstallment(tx, setup.actor, { installmentId: first!.id }));
    expect(skipped.autopay).toMatchObject({ skippedInstallmentIds: [first!.id], nextPull: { installmentId: second!.id } });
    expect(skipped.run).toMatchObject({ installmentId: second!.id, generation: 1 });
    expect(await checkRun(db, setup.run)).toEqual({ go: false, reason: 'skipped' });
    expect(await pullAutopayInstallment(db, setup.run)).toEqual({ pulled: false, reason: 'skipped' });
    // Re-enabling starts a new generation: the old run for the second installment is stale.
    const again = await db.$transaction((tx) => enableAutopay(tx, setup.actor, { leaseId: setup.lease.id, fromAccountId: setup.from.id, rail: 'RTP', daysBeforeDue: 0 }));
    expect(again.run).toMatchObject({ installmentId: second!.id, generation: 2 });
    expect(await pullAutopayInstallment(db, skipped.run!)).toEqual({ pulled: false, reason: 'stale' });
    expect(await db.payment.count({ where: { leaseId: setup.lease.id } })).toBe(0);
  });

  it('a pull is an ordinary payment keyed autopay:<installment>:<n>; pulling again for the same attempt makes none', async () => {
    const setup = await withAutopay();
    const pull = await pullAutopayInstallment(db, setup.run);
    expect(pull).toMatchObject({ pulled: true, replayed: false });
    const payment = await db.payment.findUniqueOrThrow({ where: { id: (pull as { paymentId: string }).paymentId } });
    expect(payment).toMatchObject({ status: 'PENDING', rail: 'STANDARD_ACH', fromAccountId: setup.from.id, idempotencyKey: `${AUTOPAY_KEY_PREFIX}${setup.run.installmentId}:1`, attempt: 1 });
    expect(await pullAutopayInstallment(db, setup.run)).toEqual({ pulled: false, reason: 'in-flight' });
    await settle(payment.id, { ok: true });
    expect(await pullAutopayInstallment(db, setup.run)).toEqual({ pulled: false, reason: 'settled' });
  });

  it('R01 is presented again twice, on the next banking day, then autopay stops; both parties are told each time', async () => {
    const setup = await withAutopay();
    let run: AutopayRunRequest = setup.run;
    for (const attempt of [1, 2, 3]) {
      const pull = await pullAutopayInstallment(db, run);
      expect(pull, `attempt ${attempt}`).toMatchObject({ pulled: true });
      const paymentId = (pull as { paymentId: string }).paymentId;
      expect((await db.payment.findUniqueOrThrow({ where: { id: paymentId } })).idempotencyKey).toBe(`${AUTOPAY_KEY_PREFIX}${run.installmentId}:${attempt}`);
      const result = await settle(paymentId, insufficient);
      if (attempt < 3) {
        expect(result.autopayRun, `attempt ${attempt}`).toMatchObject({ installmentId: run.installmentId, generation: 1, attempt: attempt + 1 });
        const failedAt = await db.payment.findUniqueOrThrow({ where: { id: paymentId }, select: { updatedAt: true } });
        expect(result.autopayRun!.pullAt).toBe(planRepresentment('STANDARD_ACH', failedAt.updatedAt).toISOString());
        run = result.autopayRun!;
      } else {
        expect(result.autopayRun).toBeUndefined();
      }
    }
    const view = (await getAutopay(db, setup.actor, { leaseId: setup.lease.id })) as AutopayView;
    expect(view).toMatchObject({ enabled: false, disabledReason: expect.stringMatching(/insufficient funds after 2 re-presentments/) });
    for (const userId of [setup.renter.id, setup.landlord.id]) {
      const notes = await db.notification.findMany({ where: { userId, type: 'autopay.failed' }, orderBy: { createdAt: 'asc' } });
      expect(notes.map((n) => n.title)).toEqual(['Autopay payment failed: $1,500.00', 'Autopay payment failed: $1,500.00', expect.stringMatching(/^Autopay (is off|stopped for)/)]);
      expect(await db.notification.count({ where: { userId, type: 'payment.failed' } })).toBe(3);
    }
    const autopay = await db.autopay.findUniqueOrThrow({ where: { leaseId: setup.lease.id } });
    expect(autopay.generation).toBe(2);
    const types = (await db.event.findMany({ where: { aggregateType: 'Autopay', aggregateId: autopay.id }, orderBy: { sequence: 'asc' } })).map((e) => e.type);
    expect(types).toEqual(['autopay.enabled', 'autopay.disabled']);
  });

  it('an R02 return stops autopay at once with the reason; nothing is presented again', async () => {
    const setup = await withAutopay();
    const pull = await pullAutopayInstallment(db, setup.run);
    const paymentId = (pull as { paymentId: string }).paymentId;
    await settle(paymentId, { ok: true });
    const returned = await db.$transaction((tx) => returnPayment(tx, paymentId, { code: 'R02' }));
    expect(returned).toMatchObject({ returned: true });
    expect(returned.autopayRun).toBeUndefined();
    const view = (await getAutopay(db, setup.actor, { leaseId: setup.lease.id })) as AutopayView;
    expect(view).toMatchObject({ enabled: false, disabledReason: expect.stringMatching(/R02/), nextPullAt: null });
    expect(await db.notification.count({ where: { userId: setup.landlord.id, type: 'autopay.failed' } })).toBe(1);
  });

  it('a failed payment the renter made by hand leaves autopay alone', async () => {
    const setup = await withAutopay();
    const payment = await db.payment.create({
      data: {
        installmentId: setup.run.installmentId,
        leaseId: setup.lease.id,
        renterId: setup.renter.id,
        landlordId: setup.landlord.id,
        fromAccountId: setup.from.id,
        toAccountId: setup.lease.payoutAccount.id,
        rail: 'RTP',
        amountCents: 150_000,
        submitAt: new Date(),
        expectedSettlementAt: new Date(),
        idempotencyKey: 'by-hand-1',
      },
    });
    // Submitted, then refused by the bank (a payment is written PENDING and moves as its states allow).
    await db.payment.update({ where: { id: payment.id }, data: { status: 'PROCESSING', submittedAt: new Date() } });
    const failed = await db.payment.update({ where: { id: payment.id }, data: { status: 'FAILED', failureCode: 'AC04' } });
    expect(await db.$transaction((tx) => handleAutopayPaymentFailure(tx, failed))).toBeNull();
    expect((await db.autopay.findUniqueOrThrow({ where: { leaseId: setup.lease.id } })).enabled).toBe(true);
  });
});
