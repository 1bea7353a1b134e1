import { describe, expect, it } from 'vitest';
import { db } from '@/server/db';
import { env } from '@/server/env';
import { payingRenter } from '@/server/testing/payments';
import { codeOf } from '@/server/testing/api';
import type { Actor } from '@/server/domain/actor';
import { scaledInstant } from '@/server/domain/calendar';
import { createPayment, retryPayment, R01_REPRESENTMENTS, type CreatePaymentInput } from '@/server/domain/payments';
import { returnPayment } from '@/server/domain/returns';
import { settlePayment, submitPayment } from '@/server/domain/settlement';

type Setup = Awaited<ReturnType<typeof payingRenter>>;
const actorOf = (user: { id: string; role: 'LANDLORD' | 'RENTER' }): Actor => ({ id: user.id, role: user.role });
const row = (id: string) => db.payment.findUniqueOrThrow({ where: { id } });
async function settled(setup: Setup, overrides: Partial<CreatePaymentInput> = {}) {
  const input = { installmentId: setup.lease.installments[0]!.id, fromAccountId: setup.from.id, rail: 'STANDARD_ACH' as const, ...overrides };
  const { result } = await createPayment(db, actorOf(setup.renter), input, null);
  await db.$transaction((tx) => submitPayment(tx, result.id));
  await db.$transaction((tx) => settlePayment(tx, result.id, { ok: true }));
  return row(result.id);
}
const played = (p: { createdAt: Date }, i: Date) => new Date(scaledInstant(p.createdAt, i, env.SETTLEMENT_TIME_SCALE).getTime());
const bankReturns = (p: { id: string; createdAt: Date; settledAt: Date | null }) => db.$transaction((tx) => returnPayment(tx, p.id, { code: 'R01' }, played(p, p.settledAt!)));

describe('retryable vs payment.retry', () => {
  it('after the R01 re-presentment limit, byId says retryable while payment.retry refuses', async () => {
    const setup = await payingRenter();
    let payment = await settled(setup);
    for (let n = 1; n <= 1 + R01_REPRESENTMENTS; n++) {
      await bankReturns(payment);
      await settled(setup, { installmentId: setup.lease.installments[n]!.id, rail: 'RTP' });
      if (n <= R01_REPRESENTMENTS) {
        const retried = await retryPayment(db, actorOf(setup.renter), { id: payment.id }, null);
        await db.$transaction((tx) => submitPayment(tx, retried.result.id));
        await db.$transaction((tx) => settlePayment(tx, retried.result.id, { ok: true }));
        payment = await row(retried.result.id);
      }
    }
    const view = await setup.renterApi.payment.byId.query({ id: payment.id });
    console.log('renter view', JSON.stringify({ status: view.status, retryable: view.retryable, installmentNow: view.installmentNow }));
    const retry = await codeOf(setup.renterApi.payment.retry.mutate({ id: payment.id }));
    console.log('renter retry (same account) ->', retry);
    const landlordView = await setup.landlordApi.payment.byId.query({ id: payment.id });
    console.log('landlord view retryable', landlordView.retryable);
    const landlordRetry = await codeOf((setup.landlordApi.payment.retry as any).mutate({ id: payment.id }));
    console.log('landlord retry ->', landlordRetry);
    expect(view.retryable).toBe(true);
    expect(retry).toBe('CONFLICT');
  });
});
