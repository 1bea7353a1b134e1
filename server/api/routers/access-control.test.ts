// Who sees what, for every procedure of bankAccount, property and lease: each runs as
// anonymous, the record's owner, another landlord and another renter. Someone else's record
// answers NOT_FOUND (never FORBIDDEN, which would confirm it exists); the wrong role answers
// FORBIDDEN; a non-owner's successful call (a list, a create of their own) never contains
// any of the owner's records; and nothing a non-owner tries changes anything.
import { randomUUID } from 'node:crypto';
import { TRPCClientError } from '@trpc/client';
import { beforeAll, describe, expect, it } from 'vitest';
import { db } from '@/server/db';
import { apiAs, createUser, errorOf, type ApiClient } from '@/server/testing/api';
import { bankAccountInput, leaseTerms, offerLease, propertyInput } from '@/server/testing/leasing';
import { historyMismatches } from '@/server/testing/history';

type Caller = 'anonymous' | 'owner' | 'otherLandlord' | 'otherRenter';

interface Fixture {
  propertyId: string;
  payoutId: string;
  leaseId: string;
  renterAccountId: string;
}

interface Row {
  procedure: string;
  /** Whose record the call is about. */
  owner: 'landlord' | 'renter';
  call: (api: ApiClient, fixture: Fixture) => Promise<unknown>;
  expected: Record<Caller, string>;
}

const anyoneSignedIn = { anonymous: 'UNAUTHORIZED', owner: 'OK', otherLandlord: 'OK', otherRenter: 'OK' };
const onlyTheOwner = { anonymous: 'UNAUTHORIZED', owner: 'OK', otherLandlord: 'NOT_FOUND', otherRenter: 'NOT_FOUND' };
const landlordsOnly = { anonymous: 'UNAUTHORIZED', owner: 'OK', otherLandlord: 'OK', otherRenter: 'FORBIDDEN' };
const theOwningLandlordOnly = { anonymous: 'UNAUTHORIZED', owner: 'OK', otherLandlord: 'NOT_FOUND', otherRenter: 'FORBIDDEN' };

const ROWS: Row[] = [
  { procedure: 'bankAccount.create', owner: 'renter', call: (api) => api.bankAccount.create.mutate(bankAccountInput()), expected: anyoneSignedIn },
  { procedure: 'bankAccount.list', owner: 'renter', call: (api) => api.bankAccount.list.query(), expected: anyoneSignedIn },
  { procedure: 'bankAccount.setPrimary', owner: 'renter', call: (api, f) => api.bankAccount.setPrimary.mutate({ id: f.renterAccountId }), expected: onlyTheOwner },
  { procedure: 'bankAccount.deactivate', owner: 'renter', call: (api, f) => api.bankAccount.deactivate.mutate({ id: f.renterAccountId }), expected: onlyTheOwner },
  { procedure: 'bankAccount.activate', owner: 'renter', call: (api, f) => api.bankAccount.activate.mutate({ id: f.renterAccountId }), expected: onlyTheOwner },
  {
    procedure: 'bankAccount.deactivate (a payout account)',
    owner: 'landlord',
    call: (api, f) => api.bankAccount.deactivate.mutate({ id: f.payoutId }),
    // The owner learns why; nobody else learns that it exists.
    expected: { ...onlyTheOwner, owner: 'CONFLICT' },
  },
  { procedure: 'property.create', owner: 'landlord', call: (api) => api.property.create.mutate(propertyInput()), expected: landlordsOnly },
  { procedure: 'property.list', owner: 'landlord', call: (api) => api.property.list.query(), expected: landlordsOnly },
  { procedure: 'property.byId', owner: 'landlord', call: (api, f) => api.property.byId.query({ id: f.propertyId }), expected: theOwningLandlordOnly },
  { procedure: 'property.update', owner: 'landlord', call: (api, f) => api.property.update.mutate({ id: f.propertyId, name: 'Renamed' }), expected: theOwningLandlordOnly },
  {
    procedure: 'lease.create',
    owner: 'landlord',
    // The fixture's lease is on this property already: the owner confirms another.
    call: (api, f) => api.lease.create.mutate({ ...leaseTerms, propertyId: f.propertyId, payoutAccountId: f.payoutId, renterEmail: 'invitee@example.com', confirmOverlap: true }),
    expected: theOwningLandlordOnly,
  },
  { procedure: 'lease.createWarnings', owner: 'landlord', call: (api, f) => api.lease.createWarnings.query({ ...leaseTerms, propertyId: f.propertyId }), expected: theOwningLandlordOnly },
  { procedure: 'lease.list (landlord)', owner: 'landlord', call: (api) => api.lease.list.query(), expected: anyoneSignedIn },
  { procedure: 'lease.list (renter)', owner: 'renter', call: (api) => api.lease.list.query(), expected: anyoneSignedIn },
  { procedure: 'lease.countByStatus', owner: 'renter', call: (api) => api.lease.countByStatus.query(), expected: anyoneSignedIn },
  { procedure: 'lease.byId (landlord)', owner: 'landlord', call: (api, f) => api.lease.byId.query({ id: f.leaseId }), expected: onlyTheOwner },
  { procedure: 'lease.byId (renter)', owner: 'renter', call: (api, f) => api.lease.byId.query({ id: f.leaseId }), expected: onlyTheOwner },
  {
    procedure: 'lease.accept',
    owner: 'renter',
    call: (api, f) => api.lease.accept.mutate({ id: f.leaseId }),
    expected: { anonymous: 'UNAUTHORIZED', owner: 'OK', otherLandlord: 'FORBIDDEN', otherRenter: 'NOT_FOUND' },
  },
  { procedure: 'lease.cancel', owner: 'landlord', call: (api, f) => api.lease.cancel.mutate({ id: f.leaseId, reason: 'withdrawn' }), expected: theOwningLandlordOnly },
  { procedure: 'lease.history (landlord)', owner: 'landlord', call: (api, f) => api.lease.history.query({ id: f.leaseId }), expected: onlyTheOwner },
  { procedure: 'lease.history (renter)', owner: 'renter', call: (api, f) => api.lease.history.query({ id: f.leaseId, asOf: new Date() }), expected: onlyTheOwner },
  { procedure: 'lease.preview', owner: 'landlord', call: (api) => api.lease.preview.query(leaseTerms), expected: landlordsOnly },
];

let users: { landlord: Awaited<ReturnType<typeof createUser>>; renter: Awaited<ReturnType<typeof createUser>> };
let apis: Record<'anonymous' | 'landlord' | 'renter' | 'otherLandlord' | 'otherRenter', ApiClient>;

beforeAll(async () => {
  const [landlord, renter, otherLandlord, otherRenter] = await Promise.all([
    createUser('LANDLORD'),
    createUser('RENTER'),
    createUser('LANDLORD'),
    createUser('RENTER'),
  ]);
  users = { landlord, renter };
  apis = {
    anonymous: await apiAs(null),
    landlord: await apiAs(landlord),
    renter: await apiAs(renter),
    otherLandlord: await apiAs(otherLandlord),
    otherRenter: await apiAs(otherRenter),
  };
  // The others own records of their own, so "not found" is not just "has nothing".
  await offerLease(apis.otherLandlord, otherRenter.email);
  await apis.otherRenter.bankAccount.create.mutate(bankAccountInput());
});

/** Fresh records for one row: a pending lease from the landlord to the renter, and the renter's second account. */
async function freshFixture(): Promise<Fixture> {
  const { property, payout, lease } = await offerLease(apis.landlord, users.renter.email);
  await apis.renter.bankAccount.create.mutate(bankAccountInput());
  const renterAccount = await apis.renter.bankAccount.create.mutate(bankAccountInput({ nickname: 'Second' }));
  return { propertyId: property.id, payoutId: payout.id, leaseId: lease.id, renterAccountId: renterAccount.id };
}

async function outcome(call: Promise<unknown>): Promise<{ code: string; value?: unknown }> {
  try {
    return { code: 'OK', value: await call };
  } catch (error) {
    if (error instanceof TRPCClientError) return { code: (error.data as { code: string }).code };
    throw error;
  }
}

/** Everything a non-owner's call could change, to prove it changed nothing. */
const writes = async () => ({
  events: await db.event.count(),
  leases: await db.lease.groupBy({ by: ['status'], _count: { _all: true } }),
  accounts: await db.bankAccount.findMany({ select: { id: true, isPrimary: true, active: true }, orderBy: { id: 'asc' } }),
  properties: await db.property.findMany({ select: { id: true, name: true }, orderBy: { id: 'asc' } }),
});

describe('access control: every procedure as anonymous, owner, another landlord and another renter', () => {
  it.each(ROWS.map((row) => [row.procedure, row] as const))('%s', async (_procedure, row) => {
    const fixture = await freshFixture();
    const ownerIds = Object.values(fixture);
    const seen: Record<Caller, string> = { anonymous: '', owner: '', otherLandlord: '', otherRenter: '' };

    for (const caller of ['anonymous', 'otherLandlord', 'otherRenter'] as const) {
      const before = await writes();
      const result = await outcome(row.call(apis[caller], fixture));
      seen[caller] = result.code;
      const leaked = ownerIds.filter((id) => JSON.stringify(result.value ?? null).includes(id));
      expect(leaked, `${caller} saw the owner's records`).toEqual([]);
      // A create of their own is the one write a non-owner may make.
      if (!row.procedure.endsWith('.create') || result.code !== 'OK') expect(await writes(), `${caller} changed something`).toEqual(before);
    }
    seen.owner = (await outcome(row.call(apis[row.owner], fixture))).code;

    expect(seen).toEqual(row.expected);
  });

  it('answers someone else’s record exactly as it answers one that does not exist', async () => {
    const fixture = await freshFixture();
    const missing = randomUUID();
    const pairs: [(id: string) => Promise<unknown>, string][] = [
      [(id) => apis.otherRenter.lease.byId.query({ id }), fixture.leaseId],
      [(id) => apis.otherLandlord.lease.history.query({ id }), fixture.leaseId],
      [(id) => apis.otherLandlord.property.byId.query({ id }), fixture.propertyId],
      [(id) => apis.otherRenter.bankAccount.setPrimary.mutate({ id }), fixture.renterAccountId],
    ];
    for (const [call, theirs] of pairs) {
      const [forTheirs, forMissing] = [await errorOf(call(theirs)), await errorOf(call(missing))];
      expect({ code: forTheirs.data?.code, message: forTheirs.message }).toEqual({ code: forMissing.data?.code, message: forMissing.message });
      expect(forTheirs.data?.code).toBe('NOT_FOUND');
    }
  });
});

describe('event history', () => {
  it('replays to every record this file created, with every chain intact', async () => {
    expect((await historyMismatches()).mismatches).toEqual([]);
  });
});
