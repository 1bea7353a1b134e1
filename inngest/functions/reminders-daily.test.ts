// The daily reminders run, executed twice: a renter without autopay is reminded once, a renter
// with autopay is not; an overdue installment gets one notice and one installment.overdue event
// (and its webhook delivery); a landlord who turned the digest on gets one digest, one who did
// not gets none. Then a reminder goes through the embedded mail catcher as the renter reads it.
import { InngestTestEngine } from '@inngest/test';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db } from '@/server/db';
import { resetEnvForTests } from '@/server/env';
import { addCalendarDays, formatDay } from '@/server/domain/calendar';
import { businessDay } from '@/server/domain/ledger';
import { startMailCatcher, type RunningMailCatcher } from '@/server/mail/catcher';
import { sendQueuedEmail } from '@/server/mail/transport';
import { payingRenter } from '@/server/testing/payments';
import { remindersDailyFunction } from './reminders-daily';

let catcher: RunningMailCatcher;
beforeAll(async () => {
  catcher = await startMailCatcher({ databaseUrl: process.env.DATABASE_URL! });
  process.env.SMTP_URL = catcher.url;
  resetEnvForTests();
});
afterAll(async () => {
  await catcher?.stop();
});

const daysFromToday = (days: number) => {
  const [year, month, day] = businessDay().split('-').map(Number) as [number, number, number];
  return formatDay(addCalendarDays({ year, month, day }, days));
};
/** Lease terms whose first installment falls due on `day` (a full one: the lease starts that day, its due day). */
const firstDueOn = (day: string) => ({ startDate: day, dueDay: Number(day.slice(8)) });
/** "November 2026 rent" for a due date, written out independently of installmentLabel. */
const monthRent = (day: string) => `${new Date(`${day}T00:00:00Z`).toLocaleString('en-US', { month: 'long', year: 'numeric', timeZone: 'UTC' })} rent`;

describe('reminders-daily', () => {
  it('sends each reminder, overdue notice and digest once, however often it runs', { timeout: 180_000 }, async () => {
    // A: no autopay, installment 1 due in 3 days (reminded 5 days before by default).
    const a = await payingRenter({ terms: { graceDays: 2, ...firstDueOn(daysFromToday(3)) } });
    // B: autopay on, installment 1 due in 3 days: autopay pays it, no reminder.
    const b = await payingRenter({ terms: firstDueOn(daysFromToday(3)) });
    await b.renterApi.autopay.enable.mutate({ leaseId: b.lease.id, fromAccountId: b.from.id, rail: 'RTP', daysBeforeDue: 0 });
    // C: installment 1 due 10 days ago, 2 grace days: overdue. Its landlord wants the digest and a webhook.
    const c = await payingRenter({ terms: { graceDays: 2, ...firstDueOn(daysFromToday(-10)) } });
    await c.landlordApi.me.setEmailPreferences.mutate({ email: { 'overdue.digest': true } });
    await c.landlordApi.webhook.create.mutate({ url: 'http://127.0.0.1:9/hooks', events: ['installment.overdue'] });

    const run = () => new InngestTestEngine({ function: remindersDailyFunction }).execute();
    const first = await run();
    expect(first.result).toMatchObject({ today: businessDay() });
    const second = await run();
    expect(second.result).toMatchObject({ reminders: 0, overdue: 0, digests: 0 });

    const reminders = await db.notification.findMany({ where: { type: 'rent.reminder' } });
    expect(reminders.map((n) => n.userId)).toEqual([a.renter.id]);
    expect(reminders[0]!.title).toBe(`Rent of $1,500.00 is due ${daysFromToday(3)}`);

    const overdue = await db.notification.findMany({ where: { type: 'installment.overdue' } });
    expect(overdue.map((n) => n.userId)).toEqual([c.renter.id]);
    const events = await db.event.findMany({ where: { aggregateId: c.lease.installments[0]!.id, type: 'installment.overdue' } });
    expect(events).toHaveLength(1);
    const deliveries = await db.webhookDelivery.findMany({ where: { eventType: 'installment.overdue' } });
    expect(deliveries).toHaveLength(1);
    expect(deliveries[0]!.payload).toMatchObject({ type: 'installment.overdue', data: { id: c.lease.id } });

    const digests = await db.emailMessage.findMany({ where: { kind: 'overdue.digest' } });
    expect(digests.map((m) => m.userId)).toEqual([c.landlord.id]);
    expect(digests[0]!.subject).toMatch(/^Overdue rent on \d{4}-\d{2}-\d{2}: \$1,500\.00 in 1 installment$/);
    expect(digests[0]!.text).toContain(`${monthRent(daysFromToday(-10))}, $1,500.00, due ${daysFromToday(-10)}`);

    // The reminder mail, sent through SMTP to the embedded catcher, as the renter reads it.
    const mail = await db.emailMessage.findFirstOrThrow({ where: { userId: a.renter.id, kind: 'rent.reminder' } });
    expect(await sendQueuedEmail(db, mail.id)).toMatchObject({ status: 'sent' });
    const [caught] = await db.caughtMail.findMany({ where: { to: { has: a.renter.email } } });
    expect(caught!.subject).toBe(`Rent of $1,500.00 is due ${daysFromToday(3)}`);
    expect(caught!.text).toContain(`${monthRent(daysFromToday(3))} for Maple Court falls due on ${daysFromToday(3)}.`);
    expect(caught!.text).toContain(`Pay rent: http://localhost:3000/leases/${a.lease.id}`);
  });
});
