// What lease.create asks the landlord to confirm about a start in the past, on a real database:
// only installments already due are worth a warning (a start yesterday whose first due date is
// today or later asks nothing), and the refusal counts them in words that agree (1 / n).
import { beforeAll, describe, expect, it } from 'vitest';
import { db } from '@/server/db';
import { createUser } from '@/server/testing/api';
import { bankAccountInput, propertyInput } from '@/server/testing/leasing';
import type { Actor } from './actor';
import { createBankAccount } from './bank-accounts';
import { DomainError } from './errors';
import { businessDay } from './ledger';
import { createLease, leaseCreateWarnings } from './leases';
import { createProperty } from './properties';
import { addDays, buildSchedule } from './schedule';

let landlord: Actor;
let propertyId: string;
let payoutAccountId: string;

beforeAll(async () => {
  const user = await createUser('LANDLORD');
  landlord = { id: user.id, role: user.role };
  propertyId = (await db.$transaction((tx) => createProperty(tx, landlord, propertyInput()))).id;
  payoutAccountId = (await db.$transaction((tx) => createBankAccount(tx, landlord, bankAccountInput({ nickname: 'Rent income' })))).id;
});

const today = businessDay();
const yesterday = addDays(today, -1);
const dayOf = (day: string) => Number(day.slice(8));

/** Terms starting on `startDate`, due on `dueDay`, no prorated first month. */
const terms = (startDate: string, dueDay: number) => ({ monthlyRentCents: 150_000, startDate, termMonths: 12, dueDay, prorateFirstMonth: false });
const overdueIn = (schedule: { dueDate: string }[]) => schedule.filter((installment) => installment.dueDate < today).length;

/** The refusal lease.create gives these terms without confirmPastStart, or null when it creates the lease. */
async function refusalOf(startDate: string, dueDay: number): Promise<DomainError | null> {
  try {
    await db.$transaction((tx) => createLease(tx, landlord, { ...terms(startDate, dueDay), propertyId, payoutAccountId, renterEmail: 'renter@example.com', confirmOverlap: true }));
    return null;
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
}

describe('the past-start warning', () => {
  it('a start yesterday whose first installment falls due today or later: no warning, and lease.create needs no confirmation', async () => {
    // Due on today's day of the month: the first due date is today (this month, or the 1st after a month's last day).
    const quiet = terms(yesterday, dayOf(today));
    expect(overdueIn(buildSchedule(quiet))).toBe(0);
    expect(await leaseCreateWarnings(db, landlord, { ...quiet, propertyId })).toMatchObject({ pastStart: null });
    expect(await refusalOf(yesterday, dayOf(today))).toBeNull();
  });

  it('a start yesterday on its due day: one installment overdue, said in the singular', async () => {
    expect(overdueIn(buildSchedule(terms(yesterday, dayOf(yesterday))))).toBe(1);
    expect(await leaseCreateWarnings(db, landlord, { ...terms(yesterday, dayOf(yesterday)), propertyId })).toMatchObject({ pastStart: { overdueInstallments: 1 } });
    const refused = await refusalOf(yesterday, dayOf(yesterday));
    expect(refused?.code).toBe('BAD_REQUEST');
    expect(refused?.fieldErrors).toEqual({ confirmPastStart: ['the start date is in the past: 1 installment is overdue as soon as the renter accepts; confirm to create it anyway'] });
  });

  it('a start months ago: every installment due before today counts, in the plural', async () => {
    const startDate = addDays(today, -100);
    const overdue = overdueIn(buildSchedule(terms(startDate, 1)));
    expect(overdue).toBeGreaterThanOrEqual(3);
    expect(await leaseCreateWarnings(db, landlord, { ...terms(startDate, 1), propertyId })).toMatchObject({ pastStart: { overdueInstallments: overdue } });
    expect((await refusalOf(startDate, 1))?.fieldErrors).toEqual({
      confirmPastStart: [`the start date is in the past: ${overdue} installments are overdue as soon as the renter accepts; confirm to create it anyway`],
    });
  });

  it('a start today or later: no warning', async () => {
    for (const startDate of [today, addDays(today, 1), addDays(today, 40)]) {
      expect(await leaseCreateWarnings(db, landlord, { ...terms(startDate, 1), propertyId }), startDate).toMatchObject({ pastStart: null });
    }
  });
});
