// Payments their settlement run left behind are found by the recovery function: one whose
// settlement request never reached Inngest (the send failed after commit), one whose run ended
// while it was PROCESSING (an operator cancelled it), both then settled by the real settlement
// run on the engine, and a settled ACH payment whose finality run was lost.
import { InngestTestEngine } from '@inngest/test';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db } from '@/server/db';
import { payingRenter, paymentWithoutSettlement, rewritePaymentDates } from '@/server/testing/payments';
import { startInngestForTests, waitFor, type InngestTestHarness } from '@/inngest/engine/testing';
import { inngest } from '@/inngest/client';
import { functions } from '@/inngest/functions';
import { recoverPaymentsFunction } from './recover-payments';
import { LEFT_BEHIND_AFTER_MS, settlePayment, submitPayment } from '@/server/domain/settlement';

let inngestTest: InngestTestHarness;
beforeAll(async () => {
  inngestTest = await startInngestForTests({ client: inngest, functions });
});
afterAll(() => inngestTest.stop());

describe('recover-stale-payments', () => {
  it('re-sends settlement for a payment left PENDING past its submission time, which then settles once', async () => {
    const setup = await payingRenter();
    // The domain function commits the payment without asking for settlement: as if the send had failed.
    const stale = await paymentWithoutSettlement(setup, { rail: 'RTP' });
    const longAgo = new Date(Date.now() - LEFT_BEHIND_AFTER_MS.PENDING - 1000);
    await rewritePaymentDates(stale.id, { createdAt: longAgo, submitAt: longAgo });
    // A payment just created is not stale yet and is left alone.
    const fresh = await paymentWithoutSettlement(setup, { rail: 'STANDARD_ACH', installment: 1 });
    // Its batch window 30 calendar days ahead plays 30 s from now at the test scale.
    await rewritePaymentDates(fresh.id, { submitAt: new Date(Date.now() + 30 * 86_400_000) });

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

  it('re-sends settlement for a payment left PROCESSING an hour past its expected settlement (its run was cancelled), not for one whose run may still be retrying', async () => {
    const setup = await payingRenter();
    const processing = async (installment: number, settlementAgoMs: number) => {
      const result = await paymentWithoutSettlement(setup, { rail: 'RTP', installment });
      await db.$transaction((tx) => submitPayment(tx, result.id));
      const at = new Date(Date.now() - settlementAgoMs);
      await rewritePaymentDates(result.id, { createdAt: at, submitAt: at, expectedSettlementAt: at });
      return result.id;
    };
    const lost = await processing(0, LEFT_BEHIND_AFTER_MS.PROCESSING + 60_000);
    const retrying = await processing(1, 10 * 60_000);

    const { result } = await new InngestTestEngine({ function: recoverPaymentsFunction }).execute();
    expect(result).toMatchObject({ resent: [lost], finalized: [] });
    const settled = await waitFor(async () => {
      const row = await db.payment.findUniqueOrThrow({ where: { id: lost } });
      return row.status === 'COMPLETED' ? row : null;
    }, 'the payment left PROCESSING to settle');
    expect((await db.event.findMany({ where: { aggregateId: settled.id }, orderBy: { sequence: 'asc' } })).map((e) => e.type)).toEqual(['payment.created', 'payment.submitted', 'payment.completed']);
    expect((await db.payment.findUniqueOrThrow({ where: { id: retrying } })).status).toBe('PROCESSING');
  });

  it('records the finality of a settled ACH payment an hour past its return window whose waiting run was lost, once', async () => {
    const setup = await payingRenter();
    const payment = await paymentWithoutSettlement(setup, { rail: 'STANDARD_ACH' });
    await db.$transaction((tx) => submitPayment(tx, payment.id));
    await db.$transaction((tx) => settlePayment(tx, payment.id, { ok: true }));
    const settled = await db.payment.findUniqueOrThrow({ where: { id: payment.id } });
    expect(settled).toMatchObject({ status: 'COMPLETED', finalAt: null });
    // Its window ended (as the demo clock plays it) more than an hour ago.
    const windowEnd = new Date(Date.now() - LEFT_BEHIND_AFTER_MS.COMPLETED - 60_000);
    await rewritePaymentDates(payment.id, { createdAt: windowEnd, returnableUntil: windowEnd });

    const { result } = await new InngestTestEngine({ function: recoverPaymentsFunction }).execute();
    expect(result).toMatchObject({ resent: [], finalized: [payment.id] });
    expect((await db.payment.findUniqueOrThrow({ where: { id: payment.id } })).finalAt).toEqual(windowEnd);
    const again = await new InngestTestEngine({ function: recoverPaymentsFunction }).execute();
    expect(again.result).toMatchObject({ finalized: [] });
    expect((await db.event.findMany({ where: { aggregateId: payment.id, type: 'payment.final' } })).length).toBe(1);
  });
});
