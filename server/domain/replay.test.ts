// Replay against reality: a landlord and a renter go through everything this part of the
// product can do; after each step the records are captured as stored, and replaying the
// events as of that step must give them back exactly — and at the end, for every record.
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { db } from '@/server/db';
import { apiAs, createUser } from '@/server/testing/api';
import { historyMismatches } from '@/server/testing/history';
import { bankAccountInput, leaseTerms, propertyInput } from '@/server/testing/leasing';
import { bankAccountSnapshot } from './bank-accounts';
import { replay, toJsonValue, type AggregateType } from './events';
import { leaseSnapshot } from './lease-state';
import { propertySnapshot } from './properties';

interface Capture {
  at: Date;
  states: [AggregateType, string, unknown][];
}

describe('replay', () => {
  it('rebuilds every record as it was after each step, and as it is now', async () => {
    const landlordUser = await createUser('LANDLORD');
    const landlord = await apiAs(landlordUser);
    const renterUser = await createUser('RENTER');
    const renter = await apiAs(renterUser);
    const captures: Capture[] = [];
    const ids: { accounts: string[]; property?: string; lease?: string } = { accounts: [] };

    /** The records as stored right now; steps are a few milliseconds apart so each has its own instant. */
    async function capture() {
      const states: Capture['states'] = [];
      for (const account of await db.bankAccount.findMany({ where: { id: { in: ids.accounts } } })) states.push(['BankAccount', account.id, bankAccountSnapshot(account)]);
      if (ids.property) states.push(['Property', ids.property, propertySnapshot(await db.property.findUniqueOrThrow({ where: { id: ids.property } }))]);
      if (ids.lease) states.push(['Lease', ids.lease, leaseSnapshot(await db.lease.findUniqueOrThrow({ where: { id: ids.lease } }))]);
      captures.push({ at: new Date(), states });
      await sleep(3);
    }

    const payout = await landlord.bankAccount.create.mutate(bankAccountInput({ nickname: 'Payout' }));
    const reserve = await landlord.bankAccount.create.mutate(bankAccountInput({ nickname: 'Reserve' }));
    ids.accounts.push(payout.id, reserve.id);
    await capture();
    await landlord.bankAccount.setPrimary.mutate({ id: reserve.id });
    await capture();
    const property = await landlord.property.create.mutate(propertyInput());
    ids.property = property.id;
    await capture();
    await landlord.property.update.mutate({ id: property.id, name: 'Maple Court North', line2: null });
    await capture();
    const lease = await landlord.lease.create.mutate({ ...leaseTerms, propertyId: property.id, payoutAccountId: payout.id, renterEmail: renterUser.email });
    ids.lease = lease.id;
    await capture();
    await renter.lease.accept.mutate({ id: lease.id });
    await capture();
    await landlord.bankAccount.setPrimary.mutate({ id: payout.id });
    await landlord.bankAccount.deactivate.mutate({ id: reserve.id });
    await capture();
    await landlord.bankAccount.activate.mutate({ id: reserve.id });
    await capture();

    for (const { at, states } of captures) {
      for (const [type, id, state] of states) {
        const replayed = await replay(db, type, id, at);
        expect(replayed?.state, `${type} ${id} as of ${at.toISOString()}`).toEqual(toJsonValue(state));
      }
    }
    // Replay reads events only: as of before anything happened, nothing existed.
    expect(await replay(db, 'Lease', lease.id, new Date(captures[0]!.at.getTime() - 60_000))).toBeNull();
  });

  it('agrees with every record this file created', async () => {
    const { checked, mismatches } = await historyMismatches();
    expect(mismatches).toEqual([]);
    expect(checked).toBeGreaterThan(15);
  });
});
