// Decisions with consequences, through the real route: a renter declines a lease with a
// reason, a landlord confirms a lease starting in the past or beside another one, and moves a
// lease's rent to another payout account (future payments only).
import { describe, expect, it } from 'vitest';
import { db } from '@/server/db';
import { businessDay } from '@/server/domain/ledger';
import { addDays, buildSchedule } from '@/server/domain/schedule';
import { apiAs, codeOf, createUser, errorOf } from '@/server/testing/api';
import { bankAccountInput, landlordSetup, leaseTerms, offerLease } from '@/server/testing/leasing';
import { historyMismatches } from '@/server/testing/history';
import { latestMailTo } from '@/server/testing/mail';
import { payingRenter } from '@/server/testing/payments';

describe('lease.decline', () => {
  it('the invited renter declines with a trimmed reason: DECLINED, its event, the schedule waived, the landlord told in the portal and by mail', async () => {
    const landlordUser = await createUser('LANDLORD');
    const landlord = await apiAs(landlordUser);
    const renterUser = await createUser('RENTER');
    const renter = await apiAs(renterUser);
    const { lease, property } = await offerLease(landlord, renterUser.email);

    expect(await renter.lease.decline.mutate({ id: lease.id, reason: '  Found another place  ' })).toEqual({ id: lease.id, status: 'DECLINED', statusReason: 'Found another place' });

    const seen = await landlord.lease.byId.query({ id: lease.id });
    expect(seen).toMatchObject({ status: 'DECLINED', statusReason: 'Found another place', renter: null });
    expect(seen.installments.every((installment) => installment.status === 'WAIVED')).toBe(true);
    expect(await db.event.findFirst({ where: { aggregateId: lease.id }, orderBy: { sequence: 'desc' } })).toMatchObject({
      type: 'lease.declined',
      reason: 'Found another place',
      actorId: renterUser.id,
      data: expect.objectContaining({ status: 'DECLINED', statusReason: 'Found another place' }),
    });
    const { items: notices } = await landlord.notification.list.query({});
    expect(notices[0]).toMatchObject({ type: 'lease.declined', title: `Lease declined: ${property.name}`, link: `/leases/${lease.id}` });
    expect(notices[0]!.body).toContain('Found another place');
    expect(await latestMailTo(landlordUser.email, 'lease.declined')).toMatchObject({ userId: landlordUser.id, subject: `Lease declined: ${property.name}` });
    expect((await landlord.lease.countByStatus.query()).DECLINED).toBe(1);
    expect((await landlord.lease.list.query({ status: 'DECLINED' })).items.map((item) => item.id)).toEqual([lease.id]);

    // An end state: no accepting it afterwards, and the invitation no longer shows.
    expect((await errorOf(renter.lease.accept.mutate({ id: lease.id }))).message).toBe('This lease is DECLINED; it cannot become ACTIVE');
    expect((await renter.lease.list.query({ status: 'PENDING' })).items).toEqual([]);
  });

  it('refuses a missing or too long reason, a landlord, another renter and a lease no longer pending, changing nothing', async () => {
    const landlordUser = await createUser('LANDLORD');
    const landlord = await apiAs(landlordUser);
    const renterUser = await createUser('RENTER');
    const renter = await apiAs(renterUser);
    const { lease } = await offerLease(landlord, renterUser.email);
    const { lease: accepted } = await offerLease(landlord, renterUser.email);
    await renter.lease.accept.mutate({ id: accepted.id });
    const leaseEvents = () => db.event.count({ where: { aggregateType: { in: ['Lease', 'Installment'] } } });
    const before = await leaseEvents();
    const blank = await errorOf(renter.lease.decline.mutate({ id: lease.id, reason: '  \u200b ' }));
    expect(blank.data).toMatchObject({ code: 'BAD_REQUEST', fieldErrors: { reason: [expect.stringContaining('say why you decline this lease')] } });
    expect((await errorOf(renter.lease.decline.mutate({ id: lease.id, reason: 'x'.repeat(501) }))).data).toMatchObject({ code: 'BAD_REQUEST', fieldErrors: { reason: [expect.any(String)] } });
    expect(await codeOf(landlord.lease.decline.mutate({ id: lease.id, reason: 'no' }))).toBe('FORBIDDEN');
    expect(await codeOf((await apiAs(await createUser('RENTER'))).lease.decline.mutate({ id: lease.id, reason: 'not mine' }))).toBe('NOT_FOUND');
    expect(await codeOf(apiAs(null).then((anonymous) => anonymous.lease.decline.mutate({ id: lease.id, reason: 'who' })))).toBe('UNAUTHORIZED');
    expect((await errorOf(renter.lease.decline.mutate({ id: accepted.id, reason: 'too late' }))).message).toBe('This lease is ACTIVE; it cannot become DECLINED');
    expect(await leaseEvents()).toBe(before);
    // An address not verified yet cannot decline either.
    const unverified = await createUser('RENTER', { verified: false });
    const { lease: toUnverified } = await offerLease(landlord, unverified.email);
    const afterOffer = await leaseEvents();
    expect(await codeOf((await apiAs(unverified)).lease.decline.mutate({ id: toUnverified.id, reason: 'no' }))).toBe('FORBIDDEN');
    expect(await leaseEvents()).toBe(afterOffer);
    expect((await landlord.lease.byId.query({ id: lease.id })).status).toBe('PENDING');
  });

  it('mails the landlord only while they keep lease.declined on; the portal notice comes either way', async () => {
    const landlordUser = await createUser('LANDLORD');
    const landlord = await apiAs(landlordUser);
    await landlord.me.setEmailPreferences.mutate({ email: { 'lease.declined': false } });
    const renterUser = await createUser('RENTER');
    const { lease } = await offerLease(landlord, renterUser.email);
    await (await apiAs(renterUser)).lease.decline.mutate({ id: lease.id, reason: 'Too far from work' });
    expect(await latestMailTo(landlordUser.email, 'lease.declined')).toBeNull();
    expect((await landlord.notification.list.query({})).items[0]).toMatchObject({ type: 'lease.declined' });
  });
});

describe('lease.create warnings', () => {
  const today = businessDay();

  it('a start in the past needs confirmPastStart; the refusal says how many installments would be overdue at once', async () => {
    const landlord = await apiAs(await createUser('LANDLORD'));
    const { property, payout } = await landlordSetup(landlord);
    const startDate = addDays(today, -100);
    const terms = { ...leaseTerms, startDate, prorateFirstMonth: false };
    const overdue = buildSchedule(terms).filter((installment) => installment.dueDate < today).length;
    expect(overdue).toBeGreaterThanOrEqual(3);
    const input = { ...terms, propertyId: property.id, payoutAccountId: payout.id, renterEmail: 'past@example.com' };

    expect(await landlord.lease.createWarnings.query({ ...terms, propertyId: property.id })).toEqual({ pastStart: { overdueInstallments: overdue }, overlap: null });
    const before = await db.lease.count();
    const refused = await errorOf(landlord.lease.create.mutate(input));
    expect(refused.data).toMatchObject({ code: 'BAD_REQUEST', fieldErrors: { confirmPastStart: [`the start date is in the past: ${overdue} installments are overdue as soon as the renter accepts; confirm to create it anyway`] } });
    expect(refused.message).toContain('confirmPastStart');
    expect(await db.lease.count()).toBe(before);
    expect(await landlord.lease.create.mutate({ ...input, confirmPastStart: true })).toMatchObject({ status: 'PENDING', startDate });
  });

  it('a start yesterday with nothing due before today warns of nothing; with one installment due, the refusal says so in the singular', async () => {
    const landlord = await apiAs(await createUser('LANDLORD'));
    const { property, payout } = await landlordSetup(landlord);
    const yesterday = addDays(today, -1);
    const dueOn = (day: string) => Number(day.slice(8));
    const nothingDue = { ...leaseTerms, startDate: yesterday, dueDay: dueOn(today), prorateFirstMonth: false };
    expect(buildSchedule(nothingDue)[0]!.dueDate).toBe(today);
    expect(await landlord.lease.createWarnings.query({ ...nothingDue, propertyId: property.id })).toEqual({ pastStart: null, overlap: null });
    const created = await landlord.lease.create.mutate({ ...nothingDue, propertyId: property.id, payoutAccountId: payout.id, renterEmail: 'yesterday@example.com' });
    expect(created).toMatchObject({ status: 'PENDING', startDate: yesterday });

    const oneDue = { ...nothingDue, dueDay: dueOn(yesterday) };
    expect(await landlord.lease.createWarnings.query({ ...oneDue, propertyId: property.id })).toEqual({ pastStart: { overdueInstallments: 1 }, overlap: { leases: 1 } });
    const refused = await errorOf(landlord.lease.create.mutate({ ...oneDue, propertyId: property.id, payoutAccountId: payout.id, renterEmail: 'due@example.com', confirmOverlap: true }));
    expect(refused.data?.fieldErrors).toEqual({ confirmPastStart: ['the start date is in the past: 1 installment is overdue as soon as the renter accepts; confirm to create it anyway'] });
  });

  it('a second lease on a property with a pending or active one needs confirmOverlap; a cancelled one does not count', async () => {
    const landlord = await apiAs(await createUser('LANDLORD'));
    const { property, payout } = await landlordSetup(landlord);
    const input = { ...leaseTerms, propertyId: property.id, payoutAccountId: payout.id, renterEmail: 'first@example.com' };
    const first = await landlord.lease.create.mutate(input);
    expect(await landlord.lease.createWarnings.query({ ...leaseTerms, propertyId: property.id })).toEqual({ pastStart: null, overlap: { leases: 1 } });

    const refused = await errorOf(landlord.lease.create.mutate({ ...input, renterEmail: 'second@example.com' }));
    expect(refused.data).toMatchObject({ code: 'BAD_REQUEST', fieldErrors: { confirmOverlap: ['this property already has a pending or active lease; confirm to offer another'] } });
    await landlord.lease.cancel.mutate({ id: first.id, reason: 'offered by mistake' });
    expect(await landlord.lease.createWarnings.query({ ...leaseTerms, propertyId: property.id })).toEqual({ pastStart: null, overlap: null });
    const second = await landlord.lease.create.mutate({ ...input, renterEmail: 'second@example.com' });
    expect(await landlord.lease.create.mutate({ ...input, renterEmail: 'third@example.com', confirmOverlap: true })).toMatchObject({ status: 'PENDING' });
    expect(second.endDate).toBe('2028-01-31');
  });

  it('offers without confirmOverlap at once on one property: exactly one lease is made, the others are asked to confirm', async () => {
    const landlord = await apiAs(await createUser('LANDLORD'));
    const { property, payout } = await landlordSetup(landlord);
    const input = { ...leaseTerms, propertyId: property.id, payoutAccountId: payout.id };
    const codes = await Promise.all(['a', 'b', 'c', 'd'].map((name) => codeOf(landlord.lease.create.mutate({ ...input, renterEmail: `${name}@example.com` }))));
    expect(codes.sort()).toEqual(['BAD_REQUEST', 'BAD_REQUEST', 'BAD_REQUEST', 'OK']);
    expect(await db.lease.count({ where: { propertyId: property.id } })).toBe(1);
  });

  it('refuses a start more than a year ago (year 1900 too) with a field error, confirmed or not; another landlord’s property is NOT_FOUND', async () => {
    const landlord = await apiAs(await createUser('LANDLORD'));
    const { property, payout } = await landlordSetup(landlord);
    const input = { ...leaseTerms, propertyId: property.id, payoutAccountId: payout.id, renterEmail: 'old@example.com', confirmPastStart: true };
    for (const startDate of ['1900-01-01', addDays(today, -400)]) {
      const refused = await errorOf(landlord.lease.create.mutate({ ...input, startDate }));
      expect(refused.data).toMatchObject({ code: 'BAD_REQUEST', fieldErrors: { startDate: [expect.stringMatching(/^must be on or after \d{4}-\d{2}-\d{2}$/)] } });
    }
    expect(await codeOf(landlord.lease.createWarnings.query({ ...leaseTerms, startDate: '1900-01-01', propertyId: property.id }))).toBe('BAD_REQUEST');
    const stranger = await apiAs(await createUser('LANDLORD'));
    expect(await codeOf(stranger.lease.createWarnings.query({ ...leaseTerms, propertyId: property.id }))).toBe('NOT_FOUND');
    expect(await codeOf((await apiAs(await createUser('RENTER'))).lease.createWarnings.query({ ...leaseTerms, propertyId: property.id }))).toBe('FORBIDDEN');
  });

  it('refuses an offer to the landlord’s own address, in any case, writing nothing', async () => {
    const landlordUser = await createUser('LANDLORD');
    const landlord = await apiAs(landlordUser);
    const leases = () => db.lease.count({ where: { landlordId: landlordUser.id } });
    const mail = () => db.emailMessage.count({ where: { to: landlordUser.email } });
    const before = [await leases(), await mail()];
    for (const renterEmail of [landlordUser.email, landlordUser.email.toUpperCase()]) {
      const refused = await errorOf(offerLease(landlord, renterEmail));
      expect(refused.data).toMatchObject({ code: 'BAD_REQUEST', fieldErrors: { renterEmail: ['this is your own address; enter the renter’s'] } });
    }
    expect([await leases(), await mail()]).toEqual(before);
  });
});

describe('lease.changePayout', () => {
  it('moves future payments to another active account with its event; a payment already made keeps its account', async () => {
    const setup = await payingRenter();
    const before = await setup.renterApi.payment.create.mutate({ installmentId: setup.lease.installments[0]!.id, fromAccountId: setup.from.id, rail: 'STANDARD_ACH', idempotencyKey: crypto.randomUUID() });
    const next = await setup.landlordApi.bankAccount.create.mutate(bankAccountInput({ nickname: 'New income' }));

    const changed = await setup.landlordApi.lease.changePayout.mutate({ id: setup.lease.id, payoutAccountId: next.id });
    expect(changed.payoutAccount).toEqual({ id: next.id, nickname: 'New income', last4: next.last4, active: true });
    expect(await db.payment.findUniqueOrThrow({ where: { id: before.id }, select: { toAccountId: true } })).toEqual({ toAccountId: setup.lease.payoutAccount.id });
    const after = await setup.renterApi.payment.create.mutate({ installmentId: setup.lease.installments[1]!.id, fromAccountId: setup.from.id, rail: 'STANDARD_ACH', idempotencyKey: crypto.randomUUID() });
    expect(await db.payment.findUniqueOrThrow({ where: { id: after.id }, select: { toAccountId: true } })).toEqual({ toAccountId: next.id });

    const { events } = await setup.landlordApi.lease.history.query({ id: setup.lease.id });
    expect(events.at(-1)).toMatchObject({ type: 'lease.payout_changed', data: expect.objectContaining({ payoutAccountId: next.id }) });
    expect(events.at(-1)!.reason).toContain(`New income ••••${next.last4}`);
    // The renter sees where rent goes, not whether the landlord's account is active.
    expect((await setup.renterApi.lease.byId.query({ id: setup.lease.id })).payoutAccount).toEqual({ id: next.id, nickname: 'New income', last4: next.last4, active: null });
  });

  it('refuses an inactive, foreign or same account, a renter, another landlord and an ended lease', async () => {
    const landlordUser = await createUser('LANDLORD');
    const landlord = await apiAs(landlordUser);
    const renterUser = await createUser('RENTER');
    const { lease, payout } = await offerLease(landlord, renterUser.email);
    const spare = await landlord.bankAccount.create.mutate(bankAccountInput({ nickname: 'Spare' }));
    await landlord.bankAccount.deactivate.mutate({ id: spare.id });
    const stranger = await apiAs(await createUser('LANDLORD'));
    const foreign = await stranger.bankAccount.create.mutate(bankAccountInput());
    const before = await db.event.count();

    expect((await errorOf(landlord.lease.changePayout.mutate({ id: lease.id, payoutAccountId: spare.id }))).data).toMatchObject({ code: 'BAD_REQUEST', fieldErrors: { payoutAccountId: [expect.stringContaining('deactivated')] } });
    expect(await codeOf(landlord.lease.changePayout.mutate({ id: lease.id, payoutAccountId: foreign.id }))).toBe('NOT_FOUND');
    expect(await codeOf(landlord.lease.changePayout.mutate({ id: lease.id, payoutAccountId: payout.id }))).toBe('BAD_REQUEST');
    expect(await codeOf(stranger.lease.changePayout.mutate({ id: lease.id, payoutAccountId: foreign.id }))).toBe('NOT_FOUND');
    expect(await codeOf((await apiAs(renterUser)).lease.changePayout.mutate({ id: lease.id, payoutAccountId: payout.id }))).toBe('FORBIDDEN');
    await landlord.lease.cancel.mutate({ id: lease.id, reason: 'gone' });
    const other = await landlord.bankAccount.create.mutate(bankAccountInput({ nickname: 'Other' }));
    const afterCancel = await db.event.count();
    expect((await errorOf(landlord.lease.changePayout.mutate({ id: lease.id, payoutAccountId: other.id }))).data?.code).toBe('CONFLICT');
    expect(afterCancel).toBeGreaterThan(before);
    expect(await db.event.count()).toBe(afterCancel);
    // The landlord sees a deactivated payout account flagged (false), e.g. after the lease ended.
    await landlord.bankAccount.setPrimary.mutate({ id: other.id });
    await landlord.bankAccount.deactivate.mutate({ id: payout.id });
    expect((await landlord.lease.byId.query({ id: lease.id })).payoutAccount.active).toBe(false);
  });
});

describe('event history', () => {
  it('replays to every record this file created, with every chain intact', async () => {
    expect((await historyMismatches()).mismatches).toEqual([]);
  });
});
