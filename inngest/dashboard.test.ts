// The runs search for an operator following a lease or a payment (found by a tester: a lease id
// found nothing, since the app's events name payments and installments, never the lease).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inngest } from '@/inngest/client';
import { engineDashboard } from '@/inngest/dashboard';
import { functions } from '@/inngest/functions';
import { startInngestForTests, waitFor, type InngestTestHarness } from '@/inngest/engine/testing';
import { payingRenter } from '@/server/testing/payments';

let harness: InngestTestHarness;
beforeAll(async () => {
  harness = await startInngestForTests({ client: inngest, functions });
});
afterAll(() => harness.stop());

describe('engineDashboard.runs({ concerns })', () => {
  it("finds a lease's settlement runs by the lease's id, and a payment's by its id; nothing for another lease", async () => {
    const paying = await payingRenter();
    const other = await payingRenter();
    const payment = await paying.renterApi.payment.create.mutate({ installmentId: paying.lease.installments[0]!.id, fromAccountId: paying.from.id, rail: 'RTP' });
    const settled = await waitFor(async () => {
      const [run] = (await engineDashboard.runs({ concerns: payment.id })).runs.filter((candidate) => candidate.functionId.endsWith('settle-payment'));
      return run?.status === 'completed' ? run : null;
    }, 'the settlement run');

    const byLease = (await engineDashboard.runs({ concerns: paying.lease.id })).runs.map((run) => run.id);
    expect(byLease).toContain(settled.id);
    expect((await engineDashboard.runs({ concerns: paying.lease.id.toUpperCase() })).runs.map((run) => run.id)).toContain(settled.id);
    expect((await engineDashboard.runs({ concerns: other.lease.id })).runs).toEqual([]);
    expect((await engineDashboard.runs({ concerns: 'not-an-id' })).runs).toEqual([]);
  });
});
