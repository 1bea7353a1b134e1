import { describe, expect, it } from 'vitest';
import { installmentLabel } from '@/server/domain/installment-state';
import { db } from '@/server/db';
import { buildSchedule } from '@/server/domain/schedule';
import { apiAs, codeOf, createUser, errorOf } from '@/server/testing/api';
import { bankAccountInput, landlordSetup, leaseTerms, offerLease, propertyInput } from '@/server/testing/leasing';
import { historyMismatches } from '@/server/testing/history';
import { latestMailTo, linkToken } from '@/server/testing/mail';

const counts = async () => ({ events: await db.event.count(), leases: await db.lease.count(), installments: await db.installment.count() });

describe('lease.create', () => {
  it('creates a PENDING lease with the schedule buildSchedule gives, one event for the lease and one per installment', async () => {
    const landlordUser = await createUser('LANDLORD');
    const landlord = await apiAs(landlordUser);
    const renter = await createUser('RENTER');
    const { property, payout } = await landlordSetup(landlord);
    const before = await counts();

    const lease = await landlord.lease.create.mutate({ ...leaseTerms, propertyId: property.id, payoutAccountId: payout.id, renterEmail: renter.email.toUpperCase() });

    const expected = buildSchedule(leaseTerms);
    expect(expected).toHaveLength(13);
    expect(lease).toMatchObject({
      status: 'PENDING',
      statusReason: null,
      renterEmail: renter.email,
      // Named only once they accept, whether or not the address has an account.
      renter: null,
      landlord: { id: landlordUser.id, name: landlordUser.name },
      property: { id: property.id, name: property.name, line1: property.line1, city: property.city, state: property.state, postalCode: property.postalCode },
      monthlyRentCents: 150_000,
      startDate: '2027-01-15',
      termMonths: 12,
      dueDay: 1,
      prorateFirstMonth: true,
    });
    // The payout account as nickname and last 4 only.
    expect(lease.payoutAccount).toEqual({ id: payout.id, nickname: 'Rent income', last4: payout.last4, active: true });
    expect(lease.installments).toEqual(
      expected.map((installment) => ({
        id: expect.any(String),
        number: installment.number,
        label: installmentLabel(installment, leaseTerms),
        dueDate: installment.dueDate,
        amountCents: installment.amountCents,
        status: 'DUE',
        lateFeeCents: 0,
        // The one rule's answer (installment-state.ts): nothing is payable before the renter accepts.
        state: 'UPCOMING',
        canPay: false,
        reason: 'Rent can be paid once the lease is accepted',
        reasonCode: 'LEASE_NOT_ACTIVE',
        overdue: false,
        lastFailure: null,
      })),
    );
    // Moving in Jan 15 with rent due on the 1st: the prorated days of January, then each full month.
    expect(lease.installments.slice(0, 3).map((installment) => installment.label)).toEqual(['January 2027 rent (prorated)', 'February 2027 rent', 'March 2027 rent']);
    expect(await counts()).toEqual({ events: before.events + 1 + 13, leases: before.leases + 1, installments: before.installments + 13 });
    const events = await db.event.findMany({ where: { OR: [{ aggregateId: lease.id }, { aggregateId: { in: lease.installments.map((installment) => installment.id) } }] } });
    expect(events.filter((event) => event.type === 'lease.created')).toHaveLength(1);
    expect(events.filter((event) => event.type === 'installment.scheduled')).toHaveLength(13);
  });

  it('refuses a deactivated payout account or another landlord’s property, writing nothing', async () => {
    const landlordUser = await createUser('LANDLORD');
    const landlord = await apiAs(landlordUser);
    const { property, payout } = await landlordSetup(landlord);
    const spare = await landlord.bankAccount.create.mutate(bankAccountInput({ nickname: 'Spare' }));
    await landlord.bankAccount.deactivate.mutate({ id: spare.id });
    const otherLandlord = await createUser('LANDLORD');
    const { property: foreignProperty, payout: foreignPayout } = await landlordSetup(await apiAs(otherLandlord));
    const valid = { ...leaseTerms, propertyId: property.id, payoutAccountId: payout.id, renterEmail: 'new-renter@example.com' };
    const before = await counts();

    const inactive = await errorOf(landlord.lease.create.mutate({ ...valid, payoutAccountId: spare.id }));
    expect(inactive.data).toMatchObject({ code: 'BAD_REQUEST', fieldErrors: { payoutAccountId: ['this account is deactivated; activate it or choose another'] } });
    const foreign = await errorOf(landlord.lease.create.mutate({ ...valid, propertyId: foreignProperty.id }));
    expect(foreign.data).toMatchObject({ code: 'NOT_FOUND', fieldErrors: { propertyId: ['no such property among yours'] } });
    expect(await codeOf(landlord.lease.create.mutate({ ...valid, payoutAccountId: foreignPayout.id }))).toBe('NOT_FOUND');
    expect(await counts()).toEqual(before);
  });

  it('answers the same for a renter’s, a landlord’s and an unknown address: nothing tells whether an email has an account', async () => {
    const landlord = await apiAs(await createUser('LANDLORD'));
    const renter = await createUser('RENTER');
    const otherLandlord = await createUser('LANDLORD');
    const shapes = [];
    for (const email of [renter.email, otherLandlord.email, 'nobody-here@example.com']) {
      const { lease } = await offerLease(landlord, email);
      const { id: _id, createdAt: _c, updatedAt: _u, property: _p, payoutAccount: _a, installments, renterEmail, ...rest } = lease;
      expect(renterEmail).toBe(email);
      shapes.push({ ...rest, installments: installments.map(({ id: _i, ...installment }) => installment) });
      // Each address gets the same invitation mail, with no account attached to it.
      expect(await latestMailTo(email, 'lease.invitation')).toMatchObject({ userId: null, status: 'QUEUED' });
    }
    expect(shapes[1]).toEqual(shapes[0]);
    expect(shapes[2]).toEqual(shapes[0]);
  });
});

describe('lease invitations', () => {
  it('an invited renter who signs up later sees the invitation only after following its link, then accepts it', async () => {
    const landlord = await apiAs(await createUser('LANDLORD'));
    const { lease } = await offerLease(landlord, 'future.renter@example.com');
    const { lease: withdrawn } = await offerLease(landlord, 'future.renter@example.com');
    await landlord.lease.cancel.mutate({ id: withdrawn.id, reason: 'offered by mistake' });
    const mail = await latestMailTo('future.renter@example.com', 'lease.invitation');
    expect(mail?.subject).toMatch(/invites you to a lease at Maple Court/);

    const renter = await (await apiAs(null)).auth.signUp.mutate({ name: 'Future Renter', email: 'Future.Renter@Example.com', password: 'a long enough password', role: 'RENTER' });
    const renterApi = await apiAs(renter);
    // Signing up with the address proves nothing: no invitation shows, none can be accepted.
    expect((await renterApi.lease.list.query({})).items).toEqual([]);
    expect(await codeOf(renterApi.lease.byId.query({ id: lease.id }))).toBe('NOT_FOUND');
    const unverified = await errorOf(renterApi.lease.accept.mutate({ id: lease.id }));
    expect(unverified.data?.code).toBe('FORBIDDEN');
    expect(unverified.message).toMatch(/Confirm your email address first/);

    const invitationMails = await db.emailMessage.findMany({ where: { to: 'future.renter@example.com', kind: 'lease.invitation' }, orderBy: { createdAt: 'asc' } });
    expect(await renterApi.me.verifyEmail.mutate({ token: linkToken(invitationMails[0]!.text) })).toEqual({ email: 'future.renter@example.com', verified: true, leaseId: lease.id });
    expect(await renterApi.me.get.query()).toMatchObject({ emailVerified: true });
    const listed = await renterApi.lease.list.query({});
    expect(listed.items.map((item) => item.id)).toEqual([lease.id]);
    expect(listed.items[0]).toMatchObject({ status: 'PENDING', renter: null });
    expect(await codeOf(renterApi.lease.byId.query({ id: withdrawn.id }))).toBe('NOT_FOUND');

    expect(await renterApi.lease.accept.mutate({ id: lease.id })).toMatchObject({ status: 'ACTIVE', renter: { id: renter.id, name: 'Future Renter' } });
    const history = await renterApi.lease.history.query({ id: lease.id });
    expect(history.events.map((event) => [event.type, event.actor.id])).toEqual([
      ['lease.created', expect.any(String)],
      ['lease.accepted', renter.id],
    ]);
  });

  it('another user cannot use the link or accept: not another renter, not a landlord with that address', async () => {
    const landlord = await apiAs(await createUser('LANDLORD'));
    const invited = await createUser('RENTER', { verified: false });
    const { lease } = await offerLease(landlord, invited.email);
    const token = linkToken((await latestMailTo(invited.email, 'lease.invitation'))?.text);
    const stranger = await apiAs(await createUser('RENTER'));

    const refused = await errorOf(stranger.me.verifyEmail.mutate({ token }));
    expect(refused.data?.code).toBe('FORBIDDEN');
    expect(await codeOf(stranger.lease.accept.mutate({ id: lease.id }))).toBe('NOT_FOUND');
    expect(await codeOf(stranger.lease.byId.query({ id: lease.id }))).toBe('NOT_FOUND');
    expect(await codeOf(landlord.lease.accept.mutate({ id: lease.id }))).toBe('FORBIDDEN');
    // The link still works for the person it was mailed to.
    const invitedApi = await apiAs(invited);
    await invitedApi.me.verifyEmail.mutate({ token });
    expect(await invitedApi.lease.accept.mutate({ id: lease.id })).toMatchObject({ status: 'ACTIVE' });
  });

  it('a link works once and not after it expires; a verification mail sent from the renter side works too', async () => {
    const landlord = await apiAs(await createUser('LANDLORD'));
    const renterUser = await createUser('RENTER', { verified: false });
    const renter = await apiAs(renterUser);
    const { lease } = await offerLease(landlord, renterUser.email);
    const invitationToken = linkToken((await latestMailTo(renterUser.email, 'lease.invitation'))?.text);
    await db.emailToken.updateMany({ where: { leaseId: lease.id }, data: { expiresAt: new Date(Date.now() - 1000) } });

    const expired = await errorOf(renter.me.verifyEmail.mutate({ token: invitationToken }));
    expect([expired.data?.code, expired.message]).toEqual(['BAD_REQUEST', expect.stringMatching(/expired/)]);
    expect(await codeOf(renter.me.verifyEmail.mutate({ token: 'x'.repeat(43) }))).toBe('NOT_FOUND');
    expect(await codeOf(renter.lease.accept.mutate({ id: lease.id }))).toBe('FORBIDDEN');

    expect(await renter.me.sendVerificationEmail.mutate()).toEqual({ sent: true, alreadyVerified: false });
    const mail = await latestMailTo(renterUser.email, 'email.verification');
    expect(mail).toMatchObject({ userId: renterUser.id, subject: 'Confirm your email address' });
    expect(mail?.html).toContain('Confirm my address');
    const token = linkToken(mail?.text);
    expect(await renter.me.verifyEmail.mutate({ token })).toMatchObject({ verified: true, leaseId: null });
    const reused = await errorOf(renter.me.verifyEmail.mutate({ token }));
    expect([reused.data?.code, reused.message]).toEqual(['CONFLICT', expect.stringMatching(/already used/)]);
    expect(await renter.me.sendVerificationEmail.mutate()).toEqual({ sent: false, alreadyVerified: true });
    expect(await renter.lease.accept.mutate({ id: lease.id })).toMatchObject({ status: 'ACTIVE' });
    // Only hashes are stored.
    const stored = await db.emailToken.findMany({ where: { email: renterUser.email } });
    expect(stored.map((row) => row.tokenHash)).not.toContain(token);
    expect(stored.every((row) => row.tokenHash.length === 64)).toBe(true);
  });
});

describe('lease.accept and lease.cancel', () => {
  it('lets the named renter accept; both parties then see it ACTIVE with the same schedule', async () => {
    const landlord = await apiAs(await createUser('LANDLORD'));
    const renterUser = await createUser('RENTER');
    const renter = await apiAs(renterUser);
    const { lease } = await offerLease(landlord, renterUser.email);
    const before = await db.event.count();

    expect(await renter.lease.accept.mutate({ id: lease.id })).toMatchObject({ id: lease.id, status: 'ACTIVE' });
    expect(await db.event.count()).toBe(before + 1);
    const [asLandlord, asRenter] = await Promise.all([landlord.lease.byId.query({ id: lease.id }), renter.lease.byId.query({ id: lease.id })]);
    expect(asLandlord.status).toBe('ACTIVE');
    expect(asRenter.status).toBe('ACTIVE');
    expect(asRenter.installments).toEqual(asLandlord.installments);
    // The same schedule as offered; only the rule's answer changed: now it can be paid.
    const schedule = (installments: typeof lease.installments) => installments.map(({ id, number, dueDate, amountCents, status }) => ({ id, number, dueDate, amountCents, status }));
    expect(schedule(asRenter.installments)).toEqual(schedule(lease.installments));
    expect(asRenter.installments.every((installment) => installment.canPay && installment.state === 'UPCOMING')).toBe(true);
  });

  it('answers CONFLICT naming the current state for any other transition, recording nothing', async () => {
    const landlord = await apiAs(await createUser('LANDLORD'));
    const renterUser = await createUser('RENTER');
    const renter = await apiAs(renterUser);
    const { lease: accepted } = await offerLease(landlord, renterUser.email);
    await renter.lease.accept.mutate({ id: accepted.id });
    const { lease: cancelled } = await offerLease(landlord, renterUser.email);
    const beforeCancel = await db.event.count();
    expect(await landlord.lease.cancel.mutate({ id: cancelled.id, reason: '  The unit is no longer available  ' })).toMatchObject({
      status: 'CANCELLED',
      statusReason: 'The unit is no longer available',
    });
    // The lease's event, and one per installment waived with it.
    const before = await db.event.count();
    expect(before).toBe(beforeCancel + 1 + cancelled.installments.length);
    expect((await landlord.lease.byId.query({ id: cancelled.id })).installments.every((i) => i.status === 'WAIVED')).toBe(true);
    expect(await db.event.findFirst({ where: { aggregateId: cancelled.id }, orderBy: { sequence: 'desc' } })).toMatchObject({
      type: 'lease.cancelled',
      reason: 'The unit is no longer available',
    });

    const cases: [() => Promise<unknown>, string][] = [
      [() => renter.lease.accept.mutate({ id: accepted.id }), 'This lease is ACTIVE; it cannot become ACTIVE'],
      [() => landlord.lease.cancel.mutate({ id: accepted.id, reason: 'changed my mind' }), 'This lease is ACTIVE; it cannot become CANCELLED'],
      [() => renter.lease.accept.mutate({ id: cancelled.id }), 'This lease is CANCELLED; it cannot become ACTIVE'],
      [() => landlord.lease.cancel.mutate({ id: cancelled.id, reason: 'again' }), 'This lease is CANCELLED; it cannot become CANCELLED'],
    ];
    for (const [call, message] of cases) {
      const error = await errorOf(call());
      expect(error.data?.code).toBe('CONFLICT');
      expect(error.message).toBe(message);
    }
    expect(await db.event.count()).toBe(before);
  });

  it('lets exactly one of a concurrent accept and cancel win', async () => {
    const landlord = await apiAs(await createUser('LANDLORD'));
    const renterUser = await createUser('RENTER');
    const renter = await apiAs(renterUser);
    for (let round = 0; round < 5; round += 1) {
      const { lease } = await offerLease(landlord, renterUser.email);
      const codes = await Promise.all([codeOf(renter.lease.accept.mutate({ id: lease.id })), codeOf(landlord.lease.cancel.mutate({ id: lease.id, reason: 'race' }))]);
      expect([...codes].sort()).toEqual(['CONFLICT', 'OK']);
      const stored = await db.lease.findUniqueOrThrow({ where: { id: lease.id } });
      expect(stored.status).toBe(codes[0] === 'OK' ? 'ACTIVE' : 'CANCELLED');
      expect(await db.event.count({ where: { aggregateType: 'Lease', aggregateId: lease.id } })).toBe(2);
    }
  });
});

describe('lease.list', () => {
  it('filters by status and property and pages newest first, for each party’s own leases', async () => {
    const landlord = await apiAs(await createUser('LANDLORD'));
    const renterUser = await createUser('RENTER');
    const renter = await apiAs(renterUser);
    const { property, payout } = await landlordSetup(landlord);
    const otherProperty = await landlord.property.create.mutate(propertyInput({ name: 'Other' }));
    const offer = (propertyId: string, renterEmail = renterUser.email) =>
      landlord.lease.create.mutate({ ...leaseTerms, propertyId, payoutAccountId: payout.id, renterEmail, confirmOverlap: true });
    const first = await offer(property.id);
    const second = await offer(property.id);
    const third = await offer(otherProperty.id);
    const toSomeoneElse = await offer(property.id, 'someone-else@example.com');
    await renter.lease.accept.mutate({ id: second.id });

    const ids = (page: { items: { id: string }[] }) => page.items.map((lease) => lease.id);
    expect(ids(await landlord.lease.list.query())).toEqual([toSomeoneElse.id, third.id, second.id, first.id]);
    expect(ids(await landlord.lease.list.query({ status: 'ACTIVE' }))).toEqual([second.id]);
    expect(ids(await landlord.lease.list.query({ propertyId: otherProperty.id }))).toEqual([third.id]);
    expect(ids(await landlord.lease.list.query({ propertyId: property.id, status: 'PENDING' }))).toEqual([toSomeoneElse.id, first.id]);
    expect(ids(await renter.lease.list.query())).toEqual([third.id, second.id, first.id]);

    const page1 = await renter.lease.list.query({ limit: 2 });
    const page2 = await renter.lease.list.query({ limit: 2, cursor: page1.nextCursor! });
    expect([...ids(page1), ...ids(page2)]).toEqual([third.id, second.id, first.id]);
    expect(page2.nextCursor).toBeNull();
    // What the renter needs to know what they are paying: the landlord's name and the address.
    expect(page1.items[0]).toMatchObject({ landlord: { name: expect.any(String) }, property: { line1: '12 Maple St', city: 'Springfield', state: 'IL', postalCode: '62704' } });
  });
});

describe('lease.history', () => {
  it('returns the lease’s events and, as of a moment, the lease rebuilt from them', async () => {
    const landlordUser = await createUser('LANDLORD');
    const landlord = await apiAs(landlordUser);
    const renterUser = await createUser('RENTER');
    const renter = await apiAs(renterUser);
    const { lease } = await offerLease(landlord, renterUser.email);
    await renter.lease.accept.mutate({ id: lease.id });

    const { events, asOf } = await landlord.lease.history.query({ id: lease.id });
    expect(asOf).toBeNull();
    expect(events.map((event) => [event.sequence, event.type, event.actor])).toEqual([
      [1, 'lease.created', { id: landlordUser.id, role: 'LANDLORD' }],
      [2, 'lease.accepted', { id: renterUser.id, role: 'RENTER' }],
    ]);
    expect(events[1]!.prevHash).toBe(events[0]!.hash);
    expect(events[0]!.id).toMatch(/^\d+$/);
    expect(events[1]!.data).toMatchObject({ id: lease.id, status: 'ACTIVE', renterId: renterUser.id, startDate: '2027-01-15' });
    const [created, accepted] = events as [(typeof events)[0], (typeof events)[0]];
    expect(accepted.createdAt.getTime()).toBeGreaterThan(created.createdAt.getTime());

    const thenAsDate = await renter.lease.history.query({ id: lease.id, asOf: created.createdAt });
    expect(thenAsDate.asOf).toEqual({ at: created.createdAt, sequence: 1, lease: expect.objectContaining({ id: lease.id, status: 'PENDING' }), installments: expect.any(Array) });
    // The schedule then: every installment as offered, due, nothing overdue on a pending lease, no payment yet.
    expect(thenAsDate.asOf!.installments.map((i) => [i.number, i.status, i.overdue, i.latestPayment])).toEqual(lease.installments.map((i) => [i.number, 'DUE', false, null]));
    const thenAsString = await renter.lease.history.query({ id: lease.id, asOf: created.createdAt.toISOString() });
    expect(thenAsString.asOf).toEqual(thenAsDate.asOf);
    const before = await landlord.lease.history.query({ id: lease.id, asOf: new Date(created.createdAt.getTime() - 1) });
    expect(before.asOf).toEqual({ at: new Date(created.createdAt.getTime() - 1), sequence: null, lease: null, installments: [] });
    const now = await landlord.lease.history.query({ id: lease.id, asOf: new Date() });
    expect(now.asOf?.lease).toMatchObject({ status: 'ACTIVE' });
  });
});

describe('lease.preview', () => {
  it('returns the schedule the terms would generate and writes nothing', async () => {
    const landlord = await apiAs(await createUser('LANDLORD'));
    const before = await counts();
    expect(await landlord.lease.preview.query({ ...leaseTerms, dueDay: 31, startDate: '2028-02-28' })).toEqual(buildSchedule({ ...leaseTerms, dueDay: 31, startDate: '2028-02-28' }));
    expect(await counts()).toEqual(before);
  });
});

describe('event history', () => {
  it('replays to every record this file created, with every chain intact', async () => {
    expect((await historyMismatches()).mismatches).toEqual([]);
  });
});
