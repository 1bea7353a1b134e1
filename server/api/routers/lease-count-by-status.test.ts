import { describe, expect, it } from 'vitest';
import { apiAs, codeOf, createUser } from '@/server/testing/api';
import { offerLease } from '@/server/testing/leasing';

const NONE = { PENDING: 0, ACTIVE: 0, COMPLETED: 0, DEFAULTED: 0, CANCELLED: 0, DECLINED: 0 };

describe('lease.countByStatus', () => {
  it('counts each party’s own leases by status, and nobody else’s', async () => {
    const landlord = await apiAs(await createUser('LANDLORD'));
    const renterUser = await createUser('RENTER');
    const renter = await apiAs(renterUser);
    const { lease: accepted } = await offerLease(landlord, renterUser.email);
    await renter.lease.accept.mutate({ id: accepted.id });
    const { lease: cancelled } = await offerLease(landlord, renterUser.email);
    await landlord.lease.cancel.mutate({ id: cancelled.id, reason: 'the unit was sold' });
    await offerLease(landlord, renterUser.email);
    await offerLease(landlord, 'someone-not-signed-up@example.com');

    expect(await landlord.lease.countByStatus.query()).toEqual({ ...NONE, PENDING: 2, ACTIVE: 1, CANCELLED: 1 });
    // A renter is named on a lease only by accepting it: an invitation cancelled before that is not theirs.
    expect(await renter.lease.countByStatus.query()).toEqual({ ...NONE, PENDING: 1, ACTIVE: 1 });
    expect(await (await apiAs(await createUser('LANDLORD'))).lease.countByStatus.query()).toEqual(NONE);
    expect(await (await apiAs(await createUser('RENTER'))).lease.countByStatus.query()).toEqual(NONE);
  });

  it('answers UNAUTHORIZED to an anonymous caller', async () => {
    expect(await codeOf((await apiAs(null)).lease.countByStatus.query())).toBe('UNAUTHORIZED');
  });
});
