import { describe, expect, it } from 'vitest';
import { db } from '@/server/db';
import { apiAs, createUser } from '@/server/testing/api';
import { bankAccountInput, leaseTerms, propertyInput } from '@/server/testing/leasing';
import { historyMismatches } from '@/server/testing/history';

describe('property.create and update', () => {
  it('creates a property with a normalized address and one event', async () => {
    const landlord = await createUser('LANDLORD');
    const api = await apiAs(landlord);
    const before = await db.event.count();
    const property = await api.property.create.mutate(propertyInput({ state: 'ny', postalCode: '10001-1234', line2: '' }));
    expect(property).toEqual({
      id: expect.any(String),
      name: 'Maple Court',
      line1: '12 Maple St',
      line2: null,
      city: 'Springfield',
      state: 'NY',
      postalCode: '10001-1234',
      createdAt: expect.any(Date),
    });
    expect(await db.event.count()).toBe(before + 1);
    expect(await db.event.findFirst({ where: { aggregateId: property.id } })).toMatchObject({ aggregateType: 'Property', type: 'property.created', actorId: landlord.id });
  });

  it('updates only the fields given, records one event, and records nothing when nothing changes', async () => {
    const api = await apiAs(await createUser('LANDLORD'));
    const property = await api.property.create.mutate(propertyInput());
    const before = await db.event.count();
    const updated = await api.property.update.mutate({ id: property.id, name: 'Maple Court East', line2: null });
    expect(updated).toMatchObject({ name: 'Maple Court East', line1: '12 Maple St', line2: null, state: 'IL' });
    expect(await db.event.count()).toBe(before + 1);
    await api.property.update.mutate({ id: property.id, name: 'Maple Court East' });
    expect(await db.event.count()).toBe(before + 1);
  });
});

describe('property.list and byId', () => {
  it('lists the landlord’s properties with lease counts, newest first, in pages', async () => {
    const landlord = await apiAs(await createUser('LANDLORD'));
    const renter = await createUser('RENTER');
    const renterApi = await apiAs(renter);
    const payout = await landlord.bankAccount.create.mutate(bankAccountInput());
    const empty = await landlord.property.create.mutate(propertyInput({ name: 'Empty' }));
    const busy = await landlord.property.create.mutate(propertyInput({ name: 'Busy' }));
    const offer = () => landlord.lease.create.mutate({ ...leaseTerms, propertyId: busy.id, payoutAccountId: payout.id, renterEmail: renter.email, confirmOverlap: true });
    const accepted = await offer();
    await renterApi.lease.accept.mutate({ id: accepted.id });
    await offer();
    const cancelled = await offer();
    await landlord.lease.cancel.mutate({ id: cancelled.id, reason: 'typo in the rent' });

    const first = await landlord.property.list.query({ limit: 1 });
    expect(first.items).toEqual([expect.objectContaining({ id: busy.id, name: 'Busy', leaseCount: 3, activeLeaseCount: 1 })]);
    const second = await landlord.property.list.query({ limit: 1, cursor: first.nextCursor! });
    expect(second).toEqual({ items: [expect.objectContaining({ id: empty.id, leaseCount: 0, activeLeaseCount: 0 })], nextCursor: null });

    const detail = await landlord.property.byId.query({ id: busy.id });
    expect(detail).toMatchObject({ id: busy.id, leaseCount: 3, activeLeaseCount: 1 });
    expect(detail.leases.map((lease) => lease.status).sort()).toEqual(['ACTIVE', 'CANCELLED', 'PENDING']);
    // The renter is named only on the lease they accepted; the others show the invited address.
    expect(detail.leases.find((lease) => lease.status === 'CANCELLED')?.renter).toBeNull();
    expect(detail.leases.find((lease) => lease.status === 'ACTIVE')).toEqual({
      id: accepted.id,
      status: 'ACTIVE',
      renterEmail: renter.email,
      renter: { id: renter.id, name: renter.name },
      monthlyRentCents: 150_000,
      startDate: '2027-01-15',
      termMonths: 12,
      createdAt: expect.any(Date),
    });
  });

  it('does not show another landlord’s properties', async () => {
    const owner = await apiAs(await createUser('LANDLORD'));
    await owner.property.create.mutate(propertyInput());
    const other = await apiAs(await createUser('LANDLORD'));
    expect(await other.property.list.query()).toEqual({ items: [], nextCursor: null });
  });
});

describe('event history', () => {
  it('replays to every record this file created, with every chain intact', async () => {
    expect((await historyMismatches()).mismatches).toEqual([]);
  });
});
