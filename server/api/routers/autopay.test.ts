// autopay.* through the real tRPC route: who may call what (renter only for changes, the
// landlord reads a reduced view, anyone else's lease, account or installment is NOT_FOUND),
// input validation, and the renter's flow enable → skip → disable with its events.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { db } from '@/server/db';
import { apiAs, codeOf, createUser, errorOf } from '@/server/testing/api';
import { bankAccountInput, offerLease } from '@/server/testing/leasing';
import { payingRenter } from '@/server/testing/payments';
import { planPull } from '@/server/domain/autopay';

describe('autopay through the API', () => {
  it('only the lease’s renter changes autopay; the landlord reads on/off and the last 4; others get NOT_FOUND, anonymous UNAUTHORIZED', async () => {
    const setup = await payingRenter();
    const input = { leaseId: setup.lease.id, fromAccountId: setup.from.id, rail: 'SAME_DAY_ACH' as const, daysBeforeDue: 3 };
    const otherRenter = await apiAs(await createUser('RENTER'));
    const otherLandlord = await apiAs(await createUser('LANDLORD'));
    const anonymous = await apiAs(null);

    expect(await codeOf(anonymous.autopay.get.query({ leaseId: setup.lease.id }))).toBe('UNAUTHORIZED');
    expect(await codeOf(anonymous.autopay.enable.mutate(input))).toBe('UNAUTHORIZED');
    expect(await codeOf(setup.landlordApi.autopay.enable.mutate(input))).toBe('FORBIDDEN');
    expect(await codeOf(setup.landlordApi.autopay.disable.mutate({ leaseId: setup.lease.id }))).toBe('FORBIDDEN');
    expect(await codeOf(setup.landlordApi.autopay.skip.mutate({ installmentId: setup.lease.installments[0]!.id }))).toBe('FORBIDDEN');
    // Another renter, with an account of their own: the lease is not theirs.
    const theirs = await otherRenter.bankAccount.create.mutate(bankAccountInput());
    expect(await codeOf(otherRenter.autopay.enable.mutate({ ...input, fromAccountId: theirs.id }))).toBe('NOT_FOUND');
    expect(await codeOf(otherRenter.autopay.get.query({ leaseId: setup.lease.id }))).toBe('NOT_FOUND');
    expect(await codeOf(otherRenter.autopay.disable.mutate({ leaseId: setup.lease.id }))).toBe('NOT_FOUND');
    expect(await codeOf(otherRenter.autopay.skip.mutate({ installmentId: setup.lease.installments[0]!.id }))).toBe('NOT_FOUND');
    expect(await codeOf(otherLandlord.autopay.get.query({ leaseId: setup.lease.id }))).toBe('NOT_FOUND');
    // The renter's own lease with someone else's account.
    const error = await errorOf(setup.renterApi.autopay.enable.mutate({ ...input, fromAccountId: theirs.id }));
    expect(error.data?.code).toBe('NOT_FOUND');
    expect(await db.autopay.count({ where: { leaseId: setup.lease.id } })).toBe(0);

    const enabled = await setup.renterApi.autopay.enable.mutate(input);
    expect(enabled).toMatchObject({ view: 'renter', enabled: true, rail: 'SAME_DAY_ACH', railName: 'Same-day ACH', daysBeforeDue: 3, account: { id: setup.from.id, nickname: 'Checking', last4: '0000' } });
    const landlordView = await setup.landlordApi.autopay.get.query({ leaseId: setup.lease.id });
    expect(landlordView).toEqual({ view: 'landlord', leaseId: setup.lease.id, enabled: true, accountLast4: '0000' });
  });

  it('validates input: days before due 0–10, a known rail, ids; an account that is deactivated, a lease not ACTIVE', async () => {
    const setup = await payingRenter();
    const input = { leaseId: setup.lease.id, fromAccountId: setup.from.id, rail: 'RTP' as const, daysBeforeDue: 0 };
    for (const bad of [{ daysBeforeDue: 11 }, { daysBeforeDue: -1 }, { daysBeforeDue: 1.5 }, { rail: 'CHEQUE' }, { leaseId: 'nope' }]) {
      const error = await errorOf(setup.renterApi.autopay.enable.mutate({ ...input, ...bad } as never));
      expect(error.data?.code, JSON.stringify(bad)).toBe('BAD_REQUEST');
    }
    expect(await codeOf(setup.renterApi.autopay.enable.mutate({ ...input, leaseId: randomUUID() }))).toBe('NOT_FOUND');
    expect(await codeOf(setup.renterApi.autopay.skip.mutate({ installmentId: randomUUID() }))).toBe('NOT_FOUND');

    const spare = await setup.renterApi.bankAccount.create.mutate(bankAccountInput({ nickname: 'Spare' }));
    await setup.renterApi.bankAccount.deactivate.mutate({ id: spare.id });
    const deactivated = await errorOf(setup.renterApi.autopay.enable.mutate({ ...input, fromAccountId: spare.id }));
    expect(deactivated.data?.code).toBe('BAD_REQUEST');
    expect(deactivated.message).toMatch(/deactivated/);

    // A pending lease (offered, not accepted).
    const pending = await offerLease(setup.landlordApi, setup.renter.email);
    expect(await codeOf(setup.renterApi.autopay.enable.mutate({ ...input, leaseId: pending.lease.id }))).toMatch(/NOT_FOUND|CONFLICT/);
    // Skipping while autopay is off.
    expect(await codeOf(setup.renterApi.autopay.skip.mutate({ installmentId: setup.lease.installments[0]!.id }))).toBe('CONFLICT');
  });

  it('enable → skip → disable: next pull moves to the following installment, then nothing; each change is an event', async () => {
    const setup = await payingRenter();
    const [first, second] = setup.lease.installments;
    const enabled = await setup.renterApi.autopay.enable.mutate({ leaseId: setup.lease.id, fromAccountId: setup.from.id, rail: 'STANDARD_ACH', daysBeforeDue: 1 });
    const plan = planPull('STANDARD_ACH', first!.dueDate, 1);
    expect(enabled).toMatchObject({ nextPull: { installmentId: first!.id, number: 1 }, nextPullAt: plan.pullAt, nextNoticeAt: plan.noticeAt });

    const skipped = await setup.renterApi.autopay.skip.mutate({ installmentId: first!.id });
    expect(skipped).toMatchObject({ nextPull: { installmentId: second!.id }, skippedInstallmentIds: [first!.id] });
    // Skipping twice changes nothing more.
    await setup.renterApi.autopay.skip.mutate({ installmentId: first!.id });

    const disabled = await setup.renterApi.autopay.disable.mutate({ leaseId: setup.lease.id });
    expect(disabled).toMatchObject({ enabled: false, disabledReason: 'Turned off by the renter', nextPullAt: null, nextNoticeAt: null });
    expect(await setup.landlordApi.autopay.get.query({ leaseId: setup.lease.id })).toMatchObject({ enabled: false, accountLast4: null });
    const autopay = await db.autopay.findUniqueOrThrow({ where: { leaseId: setup.lease.id } });
    const events = await db.event.findMany({ where: { aggregateType: 'Autopay', aggregateId: autopay.id }, orderBy: { sequence: 'asc' } });
    expect(events.map((e) => [e.type, e.actorId])).toEqual([
      ['autopay.enabled', setup.renter.id],
      ['autopay.skipped', setup.renter.id],
      ['autopay.disabled', setup.renter.id],
    ]);
    expect(events[1]!.prevHash).toBe(events[0]!.hash);
  });

  it('lease.create takes reminderDaysBeforeDue (default 5, 0–28)', async () => {
    const landlord = await apiAs(await createUser('LANDLORD'));
    const { lease } = await offerLease(landlord, 'someone@example.com');
    expect(lease.reminderDaysBeforeDue).toBe(5);
    const { lease: custom } = await offerLease(landlord, 'someone@example.com', { reminderDaysBeforeDue: 10 });
    expect(custom.reminderDaysBeforeDue).toBe(10);
    const error = await errorOf(offerLease(landlord, 'someone@example.com', { reminderDaysBeforeDue: 29 }));
    expect(error.data?.code).toBe('BAD_REQUEST');
  });
});
