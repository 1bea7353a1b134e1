// A payment whose settlement request never reached Inngest (the send failed after commit)
// is found by the recovery function and settled by the real settlement run on the engine.
import { InngestTestEngine } from '@inngest/test';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db } from '@/server/db';
import { createPayment } from '@/server/domain/payments';
import { payingRenter } from '@/server/testing/payments';
import { startInngestForTests, waitFor, type InngestTestHarness } from '@/inngest/engine/testing';
import { inngest } from '@/inngest/client';
import { functions } from '@/inngest/functions';
import { recoverPaymentsFunction, STALE_PENDING_MS } from './recover-payments';

let inngestTest: InngestTestHarness;
beforeAll(async () => {
  inngestTest = await startInngestForTests({ client: inngest, functions });
});
afterAll(() => inngestTest.stop());

describe('recover-stale-payments', () => {
  it('re-sends settlement for a payment left PENDING past its submission time, which then settles once', async () => {
    const setup = await payingRenter();
    // The domain function commits the payment without asking for settlement: as if the send had failed.
    const { result: stale } = await createPayment(
      db,
      { id: setup.renter.id, role: 'RENTER' },
      { installmentId: setup.lease.installments[0]!.id, fromAccountId: setup.from.id, rail: 'RTP' },
      null,
    );
    const longAgo = new Date(Date.now() - STALE_PENDING_MS - 1000);
    await db.payment.update({ where: { id: stale.id }, data: { createdAt: longAgo, submitAt: longAgo } });
    // A payment just created is not stale yet and is left alone.
    const { result: fresh } = await createPayment(
      db,
      { id: setup.renter.id, role: 'RENTER' },
      { installmentId: setup.lease.installments[1]!.id, fromAccountId: setup.from.id, rail: 'STANDARD_ACH' },
      null,
    );
    // Its batch window 30 calendar days ahead plays 30 s from now at the test scale.
    await db.payment.update({ where: { id: fresh.id }, data: { submitAt: new Date(Date.now() + 30 * 86_400_000) } });

    const { result } = await new InngestTestEngine({ function: recoverPaymentsFunction }).execute();
    expect(result).toMatchObject({ resent: [stale.id] });

    const settled = await waitFor(async () => {
      const row = await db.payment.findUniqueOrThrow({ where: { id: stale.id } });
      return row.status === 'COMPLETED' ? row : null;
    }, 'the recovered payment to settle');
    expect(settled.status).toBe('COMPLETED');
    expect((await db.event.findMany({ where: { aggregateId: stale.id } })).map((e) => e.type)).toEqual(['payment.created', 'payment.submitted', 'payment.completed']);
    expect((await db.payment.findUniqueOrThrow({ where: { id: fresh.id } })).status).toBe('PENDING');
  });
});
