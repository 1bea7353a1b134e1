// Every procedure of bankAccount, property and lease rejects malformed input with
// BAD_REQUEST and a field error (or, for an unknown field, a message naming it), and writes
// nothing. Each case changes one field of an otherwise valid input.
import { beforeAll, describe, expect, it } from 'vitest';
import { db } from '@/server/db';
import { apiAs, createUser, errorOf, type ApiClient } from '@/server/testing/api';
import { bankAccountInput, leaseTerms, offerLease, propertyInput } from '@/server/testing/leasing';
import { historyMismatches } from '@/server/testing/history';

interface Context {
  landlord: ApiClient;
  renter: ApiClient;
  propertyId: string;
  payoutId: string;
  leaseId: string;
  accountId: string;
}

/** [label, call, the field the error must name, or { unknown: key } for an unrecognized key]. */
type Case = [string, (c: Context) => Promise<unknown>, string | { unknown: string }];

const long = (length: number) => 'x'.repeat(length);
const NOT_AN_ID = 'not-a-uuid';

function byIdCases(procedure: string, call: (c: Context, input: Record<string, unknown>) => Promise<unknown>, id: (c: Context) => string): Case[] {
  return [
    [`${procedure}: a malformed id`, (c) => call(c, { id: NOT_AN_ID }), 'id'],
    [`${procedure}: a numeric id`, (c) => call(c, { id: 42 }), 'id'],
    [`${procedure}: no id`, (c) => call(c, {}), 'id'],
    [`${procedure}: an unknown field`, (c) => call(c, { id: id(c), userId: id(c) }), { unknown: 'userId' }],
  ];
}

const createAccount = (c: Context, override: Record<string, unknown>) => c.renter.bankAccount.create.mutate({ ...bankAccountInput(), ...override } as never);
const createProperty = (c: Context, override: Record<string, unknown>) => c.landlord.property.create.mutate({ ...propertyInput(), ...override } as never);
const createLease = (c: Context, override: Record<string, unknown>) =>
  c.landlord.lease.create.mutate({ ...leaseTerms, propertyId: c.propertyId, payoutAccountId: c.payoutId, renterEmail: 'invitee@example.com', ...override } as never);
const preview = (c: Context, override: Record<string, unknown>) => c.landlord.lease.preview.query({ ...leaseTerms, ...override } as never);

/** The lease terms every procedure taking them must refuse. */
const termCases = (procedure: string, call: (c: Context, override: Record<string, unknown>) => Promise<unknown>): Case[] => [
  [`${procedure}: negative cents`, (c) => call(c, { monthlyRentCents: -100 }), 'monthlyRentCents'],
  [`${procedure}: zero cents`, (c) => call(c, { monthlyRentCents: 0 }), 'monthlyRentCents'],
  [`${procedure}: fractional cents`, (c) => call(c, { monthlyRentCents: 1500.5 }), 'monthlyRentCents'],
  [`${procedure}: more than $1,000,000`, (c) => call(c, { monthlyRentCents: 100_000_001 }), 'monthlyRentCents'],
  [`${procedure}: cents as a string`, (c) => call(c, { monthlyRentCents: '150000' }), 'monthlyRentCents'],
  [`${procedure}: a date that does not exist`, (c) => call(c, { startDate: '2027-02-30' }), 'startDate'],
  [`${procedure}: month 13`, (c) => call(c, { startDate: '2027-13-01' }), 'startDate'],
  [`${procedure}: a date not written YYYY-MM-DD`, (c) => call(c, { startDate: '01/15/2027' }), 'startDate'],
  [`${procedure}: due day 0`, (c) => call(c, { dueDay: 0 }), 'dueDay'],
  [`${procedure}: due day 32`, (c) => call(c, { dueDay: 32 }), 'dueDay'],
  [`${procedure}: a fractional due day`, (c) => call(c, { dueDay: 1.5 }), 'dueDay'],
  [`${procedure}: term 0`, (c) => call(c, { termMonths: 0 }), 'termMonths'],
  [`${procedure}: term 61`, (c) => call(c, { termMonths: 61 }), 'termMonths'],
  [`${procedure}: proration as a string`, (c) => call(c, { prorateFirstMonth: 'yes' }), 'prorateFirstMonth'],
  [`${procedure}: an unknown field`, (c) => call(c, { status: 'ACTIVE' }), { unknown: 'status' }],
];

const CASES: Case[] = [
  ['bankAccount.create: an empty nickname', (c) => createAccount(c, { nickname: '  ' }), 'nickname'],
  ['bankAccount.create: a 51-character nickname', (c) => createAccount(c, { nickname: long(51) }), 'nickname'],
  ['bankAccount.create: a 101-character bank name', (c) => createAccount(c, { bankName: long(101) }), 'bankName'],
  ['bankAccount.create: an unknown account type', (c) => createAccount(c, { type: 'MONEY_MARKET' }), 'type'],
  ['bankAccount.create: an 8-digit routing number', (c) => createAccount(c, { routingNumber: '02100002' }), 'routingNumber'],
  ['bankAccount.create: a routing number failing the check digit', (c) => createAccount(c, { routingNumber: '021000022' }), 'routingNumber'],
  ['bankAccount.create: a 512 KB routing number', (c) => createAccount(c, { routingNumber: '1'.repeat(512 * 1024) }), 'routingNumber'],
  ['bankAccount.create: a 3-digit account number', (c) => createAccount(c, { accountNumber: '123' }), 'accountNumber'],
  ['bankAccount.create: an 18-digit account number', (c) => createAccount(c, { accountNumber: '1'.repeat(18) }), 'accountNumber'],
  ['bankAccount.create: an account number with dashes', (c) => createAccount(c, { accountNumber: '1234-5678' }), 'accountNumber'],
  ['bankAccount.create: an account number as a number', (c) => createAccount(c, { accountNumber: 12345678 }), 'accountNumber'],
  ['bankAccount.create: an unknown field', (c) => createAccount(c, { isPrimary: true }), { unknown: 'isPrimary' }],
  ['bankAccount.list: a malformed cursor', (c) => c.renter.bankAccount.list.query({ cursor: NOT_AN_ID }), 'cursor'],
  ['bankAccount.list: limit 0', (c) => c.renter.bankAccount.list.query({ limit: 0 }), 'limit'],
  ['bankAccount.list: limit 101', (c) => c.renter.bankAccount.list.query({ limit: 101 }), 'limit'],
  ['bankAccount.list: active as a string', (c) => c.renter.bankAccount.list.query({ active: 'yes' } as never), 'active'],
  ['bankAccount.list: an unknown field', (c) => c.renter.bankAccount.list.query({ userId: c.accountId } as never), { unknown: 'userId' }],
  ...byIdCases('bankAccount.setPrimary', (c, input) => c.renter.bankAccount.setPrimary.mutate(input as never), (c) => c.accountId),
  ...byIdCases('bankAccount.deactivate', (c, input) => c.renter.bankAccount.deactivate.mutate(input as never), (c) => c.accountId),
  ...byIdCases('bankAccount.activate', (c, input) => c.renter.bankAccount.activate.mutate(input as never), (c) => c.accountId),

  ['property.create: an empty name', (c) => createProperty(c, { name: '' }), 'name'],
  ['property.create: a 101-character name', (c) => createProperty(c, { name: long(101) }), 'name'],
  ['property.create: a 101-character street line', (c) => createProperty(c, { line1: long(101) }), 'line1'],
  ['property.create: a 101-character second line', (c) => createProperty(c, { line2: long(101) }), 'line2'],
  ['property.create: a 61-character city', (c) => createProperty(c, { city: long(61) }), 'city'],
  ['property.create: an unknown state code', (c) => createProperty(c, { state: 'ZZ' }), 'state'],
  ['property.create: a state spelled out', (c) => createProperty(c, { state: 'Illinois' }), 'state'],
  ['property.create: a 4-digit ZIP', (c) => createProperty(c, { postalCode: '6270' }), 'postalCode'],
  ['property.create: a short ZIP+4', (c) => createProperty(c, { postalCode: '62704-12' }), 'postalCode'],
  ['property.create: an unknown field', (c) => createProperty(c, { landlordId: c.propertyId }), { unknown: 'landlordId' }],
  ['property.list: a malformed cursor', (c) => c.landlord.property.list.query({ cursor: NOT_AN_ID }), 'cursor'],
  ['property.list: an unknown field', (c) => c.landlord.property.list.query({ landlordId: c.propertyId } as never), { unknown: 'landlordId' }],
  ...byIdCases('property.byId', (c, input) => c.landlord.property.byId.query(input as never), (c) => c.propertyId),
  ['property.update: a malformed id', (c) => c.landlord.property.update.mutate({ id: NOT_AN_ID, name: 'New' }), 'id'],
  ['property.update: an unknown state code', (c) => c.landlord.property.update.mutate({ id: c.propertyId, state: 'XX' }), 'state'],
  ['property.update: a 101-character name', (c) => c.landlord.property.update.mutate({ id: c.propertyId, name: long(101) }), 'name'],
  ['property.update: an unknown field', (c) => c.landlord.property.update.mutate({ id: c.propertyId, landlordId: c.propertyId } as never), { unknown: 'landlordId' }],

  ...termCases('lease.create', createLease),
  ['lease.create: a malformed property id', (c) => createLease(c, { propertyId: NOT_AN_ID }), 'propertyId'],
  ['lease.create: a malformed payout account id', (c) => createLease(c, { payoutAccountId: NOT_AN_ID }), 'payoutAccountId'],
  ['lease.create: a malformed email', (c) => createLease(c, { renterEmail: 'not-an-email' }), 'renterEmail'],
  ['lease.create: a 300-character email', (c) => createLease(c, { renterEmail: `${long(290)}@example.com` }), 'renterEmail'],
  ...termCases('lease.preview', preview),
  ['lease.list: an unknown status', (c) => c.landlord.lease.list.query({ status: 'SIGNED' } as never), 'status'],
  ['lease.list: a malformed property id', (c) => c.landlord.lease.list.query({ propertyId: NOT_AN_ID }), 'propertyId'],
  ['lease.list: limit 1000', (c) => c.landlord.lease.list.query({ limit: 1000 }), 'limit'],
  ['lease.list: an unknown field', (c) => c.landlord.lease.list.query({ landlordId: c.propertyId } as never), { unknown: 'landlordId' }],
  ...byIdCases('lease.byId', (c, input) => c.landlord.lease.byId.query(input as never), (c) => c.leaseId),
  ...byIdCases('lease.accept', (c, input) => c.renter.lease.accept.mutate(input as never), (c) => c.leaseId),
  ['lease.cancel: a malformed id', (c) => c.landlord.lease.cancel.mutate({ id: NOT_AN_ID, reason: 'withdrawn' }), 'id'],
  ['lease.cancel: no reason', (c) => c.landlord.lease.cancel.mutate({ id: c.leaseId, reason: '   ' }), 'reason'],
  ['lease.cancel: a 501-character reason', (c) => c.landlord.lease.cancel.mutate({ id: c.leaseId, reason: long(501) }), 'reason'],
  ['lease.cancel: an unknown field', (c) => c.landlord.lease.cancel.mutate({ id: c.leaseId, reason: 'withdrawn', status: 'CANCELLED' } as never), { unknown: 'status' }],
  ...byIdCases('lease.history', (c, input) => c.landlord.lease.history.query(input as never), (c) => c.leaseId),
  ['lease.history: asOf that is not a date', (c) => c.landlord.lease.history.query({ id: c.leaseId, asOf: 'yesterday' }), 'asOf'],
  ['lease.history: asOf on a day that does not exist', (c) => c.landlord.lease.history.query({ id: c.leaseId, asOf: '2027-02-30T00:00:00Z' }), 'asOf'],
  ['lease.history: asOf without a time zone', (c) => c.landlord.lease.history.query({ id: c.leaseId, asOf: '2027-01-15T10:00:00' }), 'asOf'],
];

let context: Context;

beforeAll(async () => {
  const renterUser = await createUser('RENTER');
  const landlord = await apiAs(await createUser('LANDLORD'));
  const renter = await apiAs(renterUser);
  const { property, payout, lease } = await offerLease(landlord, renterUser.email);
  const account = await renter.bankAccount.create.mutate(bankAccountInput());
  context = { landlord, renter, propertyId: property.id, payoutId: payout.id, leaseId: lease.id, accountId: account.id };
});

const everything = async () => ({
  events: await db.event.count(),
  users: await db.user.count(),
  accounts: await db.bankAccount.findMany({ orderBy: { id: 'asc' } }),
  properties: await db.property.findMany({ orderBy: { id: 'asc' } }),
  leases: await db.lease.findMany({ orderBy: { id: 'asc' } }),
  installments: await db.installment.count(),
});

describe('bad input', () => {
  it.each(CASES)('%s → BAD_REQUEST, nothing written', async (_label, call, field) => {
    const before = await everything();
    const error = await errorOf(call(context));
    expect(error.data?.code).toBe('BAD_REQUEST');
    if (typeof field === 'string') {
      expect(error.data?.fieldErrors?.[field]?.length, `field errors: ${JSON.stringify(error.data?.fieldErrors)}`).toBeGreaterThan(0);
    } else {
      expect(error.message).toContain(field.unknown);
    }
    expect(await everything()).toEqual(before);
  });

  it('says what to fix for an update that changes no field', async () => {
    const error = await errorOf(context.landlord.property.update.mutate({ id: context.propertyId }));
    expect(error.data?.code).toBe('BAD_REQUEST');
    expect(error.message).toContain('change at least one field');
  });
});

describe('event history', () => {
  it('replays to every record this file created, with every chain intact', async () => {
    expect((await historyMismatches()).mismatches).toEqual([]);
  });
});
