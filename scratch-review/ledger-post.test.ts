import { describe, expect, it } from 'vitest';
import { db } from '@/server/db';
import { payingRenter } from '@/server/testing/payments';
import { lateFeeLedgerSelect, lateFeeOfLedger, outstandingLateFeeCents, post, postings } from '@/server/domain/ledger';

describe('post in one statement', () => {
  it('writes entries, skips a repeat without orphan entries, refuses unbalanced at commit; late fee folds agree', async () => {
    const setup = await payingRenter();
    const inst = await db.installment.findUniqueOrThrow({ where: { id: setup.lease.installments[2]!.id } });
    const before = await db.ledgerEntry.count();
    const first = await db.$transaction((tx) => post(tx, postings.lateFee(inst, 2500)));
    expect(first.length).toBe(1);
    expect(await db.ledgerEntry.count()).toBe(before + 2);
    const again = await db.$transaction((tx) => post(tx, [postings.lateFee(inst, 2500), postings.lateFee(inst, 999)]));
    expect(again).toEqual([]);
    expect(await db.ledgerEntry.count()).toBe(before + 2);
    const unbalanced = await db
      .$transaction((tx) => post(tx, { ...postings.lateFeeWaiver(inst, 100, { id: setup.landlord.id, role: 'LANDLORD' }, 'x'), entries: { RENTER_RECEIVABLE: -100, LATE_FEE_INCOME: 99 } }))
      .catch((e) => e);
    console.log('unbalanced ->', String(unbalanced?.message).slice(0, 160));
    expect(unbalanced).toBeInstanceOf(Error);
    await db.$transaction((tx) => post(tx, postings.lateFeeWaiver(inst, 1000, { id: setup.landlord.id, role: 'LANDLORD' }, 'partial')));
    const read = await db.installment.findUniqueOrThrow({ where: { id: inst.id }, include: { ledger: lateFeeLedgerSelect } });
    const viaSql = await db.$transaction((tx) => outstandingLateFeeCents(tx, inst.id));
    console.log('fold', lateFeeOfLedger(read.ledger), 'sql', viaSql);
    expect(lateFeeOfLedger(read.ledger)).toBe(viaSql);
    expect(viaSql).toBe(1500);
    const lease = await setup.renterApi.lease.byId.query({ id: setup.lease.id });
    expect(lease.installments.find((i) => i.id === inst.id)!.lateFeeCents).toBe(1500);
  });
});
