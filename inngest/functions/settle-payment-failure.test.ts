// When a settlement run fails for good (the bank never answered through every retry), the
// function's onFailure handler fails the payment with a clear reason instead of leaving it
// PROCESSING forever. Driven through the engine with the failure event Inngest emits.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db } from '@/server/db';
import { createPayment } from '@/server/domain/payments';
import { submitPayment } from '@/server/domain/settlement';
import { payingRenter } from '@/server/testing/payments';
import { startInngestForTests, waitFor, type InngestTestHarness } from '@/inngest/engine/testing';
import { inngest } from '@/inngest/client';
import { functions } from '@/inngest/functions';
import { NO_ANSWER } from './settle-payment';

let inngestTest: InngestTestHarness;
beforeAll(async () => {
  inngestTest = await startInngestForTests({ client: inngest, functions });
});
afterAll(() => inngestTest.stop());

describe('settle-payment onFailure', () => {
  it('fails a PROCESSING payment the bank never confirmed, notifying both parties, once', async () => {
    const setup = await payingRenter();
    const { result } = await createPayment(
      db,
      { id: setup.renter.id, role: 'RENTER' },
      { installmentId: setup.lease.installments[0]!.id, fromAccountId: setup.from.id, rail: 'RTP' },
      null,
    );
    await db.$transaction((tx) => submitPayment(tx, result.id));
    const failure = {
      function_id: 'directpay-settle-payment',
      run_id: '01TESTRUN',
      event: { name: 'payment/created', data: { paymentId: result.id } },
      error: { name: 'TransientBankError', message: 'The bank did not answer in time' },
    };
    await inngest.send({ name: 'inngest/function.failed', data: failure });
    await inngest.send({ name: 'inngest/function.failed', data: failure });

    const failed = await waitFor(async () => {
      const row = await db.payment.findUniqueOrThrow({ where: { id: result.id } });
      return row.status === 'FAILED' ? row : null;
    }, 'the payment to be failed');
    expect(failed).toMatchObject({ failureCode: NO_ANSWER.code, failureReason: NO_ANSWER.reason });
    // Both failure runs finished: the second found nothing to fail.
    await waitFor(async () => {
      const { rows } = await inngestTest.db.query<{ n: number }>(
        `select count(*)::int as n from inngest_engine.runs where function_id = 'directpay-settle-payment-failure' and status = 'completed'`,
      );
      return rows[0]!.n === 2;
    }, 'both failure runs');
    expect((await db.event.findMany({ where: { aggregateId: result.id } })).map((e) => e.type)).toEqual(['payment.created', 'payment.submitted', 'payment.failed']);
    expect(await db.notification.count({ where: { type: 'payment.failed', userId: { in: [setup.renter.id, setup.landlord.id] } } })).toBe(2);
  });
});
