// The daily ledger run: charges that fell due, late fees after grace, reconciliation — once,
// however often it runs.
import { InngestTestEngine } from '@inngest/test';
import { describe, expect, it } from 'vitest';
import { db } from '@/server/db';
import { businessDay } from '@/server/domain/ledger';
import { apiAs, createUser } from '@/server/testing/api';
import { offerLease } from '@/server/testing/leasing';
import { ledgerDailyFunction } from './ledger-daily';

describe('ledger-daily', () => {
  it('posts the charges due and the late fees owed, once, and reconciles every ledger', async () => {
    const [year, month] = businessDay().split('-').map(Number) as [number, number];
    const start = new Date(Date.UTC(year, month - 1 - 2, 1)).toISOString().slice(0, 10);
    const landlord = await apiAs(await createUser('LANDLORD'));
    const renter = await createUser('RENTER');
    const { lease } = await offerLease(landlord, renter.email, { startDate: start, termMonths: 6, dueDay: 1, prorateFirstMonth: false, graceDays: 3, lateFeeFlatCents: 5_000 });
    // Activated around acceptance (as a lease accepted before the ledger existed): nothing charged yet.
    await db.lease.update({ where: { id: lease.id }, data: { status: 'ACTIVE' } });
    expect(await db.ledgerTransaction.count({ where: { leaseId: lease.id } })).toBe(0);
    const setup = { lease };

    const run = () => new InngestTestEngine({ function: ledgerDailyFunction }).execute();
    const { result } = await run();
    expect(result).toMatchObject({ today: businessDay() });
    // The two installments past their grace (due two and one months ago) are charged the fee;
    // the one due this month is charged only once its grace has passed.
    const lateFees = await db.ledgerTransaction.findMany({ where: { leaseId: setup.lease.id, kind: 'LATE_FEE' }, include: { installment: true } });
    const pastGrace = setup.lease.installments.filter((i) => new Date(Date.parse(i.dueDate) + 3 * 86_400_000).toISOString().slice(0, 10) < businessDay());
    expect(lateFees.map((t) => t.installment!.number).sort()).toEqual(pastGrace.map((i) => i.number));
    expect((result as { differing: { leaseId: string }[] }).differing.map((d) => d.leaseId)).not.toContain(setup.lease.id);

    await run();
    expect(await db.ledgerTransaction.count({ where: { leaseId: setup.lease.id, kind: 'LATE_FEE' } })).toBe(pastGrace.length);
    expect(await db.ledgerTransaction.count({ where: { leaseId: setup.lease.id, kind: 'CHARGE' } })).toBe(3);
  });
});
