import { describe, expect, it } from 'vitest';
import { db } from '@/server/db';
import { buildSchedule } from '@/server/domain/schedule';
import { apiAs, codeOf, createUser, errorOf } from '@/server/testing/api';
import { bankAccountInput, landlordSetup, leaseTerms, offerLease, propertyInput } from '@/server/testing/leasing';
import { historyMismatches } from '@/server/testing/history';

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
      renter: { id: renter.id, name: renter.name, email: renter.email },
      landlord: { id: landlordUser.id, name: landlordUser.name },
      property: { id: property.id, name: property.name, line1: property.line1, city: property.city, state: property.state, postalCode: property.postalCode },
      monthlyRentCents: 150_000,
      startDate: '2027-01-15',
      termMonths: 12,
      dueDay: 1,
      prorateFirstMonth: true,
    });
    // The payout account as nickname and last 4 only.
    expect(lease.payoutAccount).toEqual({ id: payout.id, nickname: 'Rent income', last4: payout.last4 });
    expect(lease.installments).toEqual(
      expected.map((installment) => ({ id: expect.any(String), number: installment.number, dueDate: installment.dueDate, amountCents: installment.amountCents, status: 'DUE', overdue: false, lateFeeCents: 0 })),
    );
    expect(await counts()).toEqual({ events: before.events + 1 + 13, leases: before.leases + 1, installments: before.installments + 13 });
    const events = await db.event.findMany({ where: { OR: [{ aggregateId: lease.id }, { aggregateId: { in: lease.installments.map((installment) => installment.id) } }] } });
    expect(events.filter((event) => event.type === 'lease.created')).toHaveLength(1);
    expect(events.filter((event) => event.type === 'installment.scheduled')).toHaveLength(13);
  });

  it('refuses a deactivated payout account, another landlord’s property, or a landlord as renter, writing nothing', async () => {
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
    for (const email of [otherLandlord.email, landlordUser.email]) {
      const landlordAsRenter = await errorOf(landlord.lease.create.mutate({ ...valid, renterEmail: email }));
      expect(landlordAsRenter.data).toMatchObject({ code: 'BAD_REQUEST', fieldErrors: { renterEmail: ['this email belongs to a landlord account, not a renter'] } });
    }
    expect(await counts()).toEqual(before);
  });
});

describe('lease invitations', () => {
  it('keeps an unknown email as an invitation and attaches it when that person signs up as a renter', async () => {
    const landlord = await apiAs(await createUser('LANDLORD'));
    const { lease } = await offerLease(landlord, 'future.renter@example.com');
    const { lease: withdrawn } = await offerLease(landlord, 'future.renter@example.com');
    await landlord.lease.cancel.mutate({ id: withdrawn.id, reason: 'offered by mistake' });
    expect(lease.renter).toBeNull();
    const before = await db.event.count();

    const renter = await (await apiAs(null)).auth.signUp.mutate({ name: 'Future Renter', email: 'Future.Renter@Example.com', password: 'a long enough password', role: 'RENTER' });

    // One event for the new user, one for the lease that now names them; the cancelled offer stays as it was.
    expect(await db.event.count()).toBe(before + 2);
    const renterApi = await apiAs(renter);
    const seen = await renterApi.lease.byId.query({ id: lease.id });
    expect(seen).toMatchObject({ status: 'PENDING', renter: { id: renter.id, name: 'Future Renter' } });
    expect(await codeOf(renterApi.lease.byId.query({ id: withdrawn.id }))).toBe('NOT_FOUND');
    const history = await renterApi.lease.history.query({ id: lease.id });
    expect(history.events.map((event) => [event.type, event.actor, event.reason])).toEqual([
      ['lease.created', expect.objectContaining({ role: 'LANDLORD' }), null],
      ['lease.renterAttached', { id: renter.id, role: 'RENTER' }, 'the invited renter signed up'],
    ]);
    expect(await renterApi.lease.accept.mutate({ id: lease.id })).toMatchObject({ status: 'ACTIVE' });
  });

  it('does not attach an invitation to a landlord who signs up with that email', async () => {
    const landlord = await apiAs(await createUser('LANDLORD'));
    const { lease } = await offerLease(landlord, 'not-a-renter@example.com');
    await createUser('LANDLORD', { email: 'not-a-renter@example.com' });
    expect((await db.lease.findUniqueOrThrow({ where: { id: lease.id } })).renterId).toBeNull();
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
    expect(asRenter.installments).toEqual(lease.installments);
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
      landlord.lease.create.mutate({ ...leaseTerms, propertyId, payoutAccountId: payout.id, renterEmail });
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
