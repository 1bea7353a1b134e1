import { describe, expect, it } from 'vitest';
import { db } from '@/server/db';
import { payingRenter } from '@/server/testing/payments';
import { createPayment } from '@/server/domain/payments';

describe('insertPayment reads the sending account in the locking statement', () => {
  it('an account deactivated by a transaction holding the lease lock is still used once the lock is released', async () => {
    const setup = await payingRenter();
    const inst = setup.lease.installments[0]!;
    let paying: Promise<unknown> | undefined;
    await db.$transaction(async (tx) => {
      // As returnPayment (R02/R03) does: lease lock, installment changed, the sending account deactivated.
      await tx.$executeRaw`SELECT 1 FROM "Lease" WHERE id = ${setup.lease.id}::uuid FOR UPDATE`;
      await tx.$executeRaw`UPDATE "Installment" SET status = status WHERE id = ${inst.id}::uuid`;
      await tx.bankAccount.update({ where: { id: setup.from.id }, data: { active: false, isPrimary: false } });
      paying = createPayment(db, { id: setup.renter.id, role: 'RENTER' }, { installmentId: inst.id, fromAccountId: setup.from.id, rail: 'RTP' }, null).then(
        (r) => ({ ok: r.result }),
        (e) => ({ error: e?.code ?? e?.message }),
      );
      await new Promise((r) => setTimeout(r, 1500));
    }, { timeout: 10_000 });
    const outcome = (await paying) as { ok?: { status: string; fromAccount?: unknown }; error?: string };
    const account = await db.bankAccount.findUniqueOrThrow({ where: { id: setup.from.id }, select: { active: true } });
    const payments = await db.payment.findMany({ where: { installmentId: inst.id }, select: { status: true, fromAccountId: true } });
    console.log('outcome', JSON.stringify(outcome.error ?? outcome.ok?.status), 'account active', account.active, 'payments', JSON.stringify(payments));
    // Old code (sendingAccount after the lock) answered BAD_REQUEST 'That bank account is deactivated'.
    expect(account.active).toBe(false);
    expect(payments).toHaveLength(1);
  });
});
