// Every procedure rejects malformed input with BAD_REQUEST and a field error (or, for an
// unknown field, a message naming it), and writes nothing. Each case changes one field of an
// otherwise valid input. Then the hostile requests of issue 10 §5–§6, sent as raw HTTP: unsafe
// keys, bodies and batches too big, dates out of range, and what every answer must carry.
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { db } from '@/server/db';
import { apiAs, createUser, errorOf, routeFetch, sessionCookie, type ApiClient, type TestUser } from '@/server/testing/api';
import { LIMITS } from '@/server/domain/rate-limit';
import { bankAccountInput, leaseTerms, offerLease, propertyInput } from '@/server/testing/leasing';
import { historyMismatches } from '@/server/testing/history';

interface Context {
  landlord: ApiClient;
  renter: ApiClient;
  anonymous: ApiClient;
  landlordUser: TestUser;
  renterUser: TestUser;
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

/** Hostile text every free-text field must refuse, with why. */
const HOSTILE_TEXT: [string, string][] = [
  ['a NUL character', 'Maple\u0000Court'],
  ['an escape sequence', 'Maple \u001b[31mCourt'],
  ['a C1 control', 'Maple\u0085Court'],
  ['a right-to-left override', 'Maple \u202Etruoc'],
  ['a bidi isolate', 'Maple \u2066Court\u2069'],
  ['only a zero-width space', '\u200B'],
  ['only invisible characters', ' \u200D\u2060\u3164\uFEFF '],
  ['half a surrogate pair', 'Maple \uD800 Court'],
];

/** Every free-text field of every procedure: [procedure.field, call with that field set]. */
const FREE_TEXT_FIELDS: [string, (c: Context, value: string) => Promise<unknown>, string][] = [
  ['auth.signUp name', (c, value) => c.anonymous.auth.signUp.mutate({ name: value, email: `t-${randomUUID()}@example.com`, password: 'a long enough password', role: 'RENTER' }), 'name'],
  ['apiToken.create name', (c, value) => c.renter.apiToken.create.mutate({ name: value }), 'name'],
  ['bankAccount.create nickname', (c, value) => createAccount(c, { nickname: value }), 'nickname'],
  ['bankAccount.create bankName', (c, value) => createAccount(c, { bankName: value }), 'bankName'],
  ['property.create name', (c, value) => createProperty(c, { name: value }), 'name'],
  ['property.create line1', (c, value) => createProperty(c, { line1: value }), 'line1'],
  ['property.create city', (c, value) => createProperty(c, { city: value }), 'city'],
  ['property.update name', (c, value) => c.landlord.property.update.mutate({ id: c.propertyId, name: value }), 'name'],
  ['property.update line1', (c, value) => c.landlord.property.update.mutate({ id: c.propertyId, line1: value }), 'line1'],
  ['property.update city', (c, value) => c.landlord.property.update.mutate({ id: c.propertyId, city: value }), 'city'],
  ['lease.cancel reason', (c, value) => c.landlord.lease.cancel.mutate({ id: c.leaseId, reason: value }), 'reason'],
  ['lease.decline reason', (c, value) => c.renter.lease.decline.mutate({ id: randomUUID(), reason: value }), 'reason'],
  // Found attacking the API: a NUL here answered 500 and a text-direction override was stored.
  ['ledger.waiveLateFee reason', (c, value) => c.landlord.ledger.waiveLateFee.mutate({ installmentId: randomUUID(), reason: value }), 'reason'],
];
/** Optional free text: blank clears it, so only the characters that are never allowed are refused. */
const OPTIONAL_TEXT_FIELDS: [string, (c: Context, value: string) => Promise<unknown>, string][] = [
  ['property.create line2', (c, value) => createProperty(c, { line2: value }), 'line2'],
  ['property.update line2', (c, value) => c.landlord.property.update.mutate({ id: c.propertyId, line2: value }), 'line2'],
  ['payment.cancel reason', (c, value) => c.renter.payment.cancel.mutate({ id: randomUUID(), reason: value }), 'reason'],
];

const TEXT_CASES: Case[] = [
  ...FREE_TEXT_FIELDS.flatMap(([name, call, field]) => HOSTILE_TEXT.map(([label, value]): Case => [`${name}: ${label}`, (c) => call(c, value), field])),
  ...OPTIONAL_TEXT_FIELDS.flatMap(([name, call, field]) =>
    HOSTILE_TEXT.filter(([label]) => !label.startsWith('only')).map(([label, value]): Case => [`${name}: ${label}`, (c) => call(c, value), field]),
  ),
  ['property.create: a line break in a one-line name', (c) => createProperty(c, { name: 'Maple\nCourt' }), 'name'],
  ['property.create: a tab in a one-line name', (c) => createProperty(c, { name: 'Maple\tCourt' }), 'name'],
  ['property.create: a line separator in a one-line name', (c) => createProperty(c, { name: 'Maple\u2028Court' }), 'name'],
];

/** One date range (1900–2999) for every input date and every computed date. */
const DATE_CASES: Case[] = [
  ['lease.create: start 9999-12-01 (the issue’s input)', (c) => createLease(c, { startDate: '9999-12-01', termMonths: 2 }), 'startDate'],
  ['lease.preview: start 9999-12-01 (the issue’s input)', (c) => preview(c, { startDate: '9999-12-01', termMonths: 2 }), 'startDate'],
  ['lease.create: a last due date in year 3000', (c) => createLease(c, { startDate: '2999-12-01', termMonths: 2, dueDay: 1 }), 'termMonths'],
  ['lease.preview: a last due date in year 3000', (c) => preview(c, { startDate: '2999-12-01', termMonths: 2, dueDay: 1 }), 'termMonths'],
  ['lease.create: a first due date pushed into year 3000', (c) => createLease(c, { startDate: '2999-12-15', termMonths: 1, dueDay: 1 }), 'termMonths'],
  ['lease.create: a lease ending in year 3000 (start 2995-01-31, 60 months, due day 31)', (c) => createLease(c, { startDate: '2995-01-31', termMonths: 60, dueDay: 31 }), 'termMonths'],
  ['lease.preview: start 1899-12-31', (c) => preview(c, { startDate: '1899-12-31' }), 'startDate'],
  ['lease.create: start 0000-01-01', (c) => createLease(c, { startDate: '0000-01-01' }), 'startDate'],
  // Found attacking the API: at 2999-12-31 the quote's settlement and return window fell in 3000.
  ['payment.quote: at the end of 2999', (c) => c.renter.payment.quote.query({ rail: 'STANDARD_ACH', at: '2999-12-31T23:59:59.999Z' } as never), 'at'],
  ['lease.history: asOf in year 3000', (c) => c.landlord.lease.history.query({ id: c.leaseId, asOf: '3000-01-01T00:00:00Z' }), 'asOf'],
  ['lease.history: asOf before 1900', (c) => c.landlord.lease.history.query({ id: c.leaseId, asOf: new Date(Date.UTC(1899, 11, 31)) }), 'asOf'],
  ['payment.history: asOf in year 0001', (c) => c.renter.payment.history.query({ id: randomUUID(), asOf: '0001-01-01T00:00:00Z' }), 'asOf'],
  // Found by a stranger: 1900 in UTC but still 1899 in New York, where the ledger counts its days (a 500).
  ['ledger.tenant: asOf 1900-01-01T00:00Z, 1899 in New York', (c) => c.landlord.ledger.tenant.query({ leaseId: c.leaseId, asOf: '1900-01-01T00:00:00Z' }), 'asOf'],
  ['lease.history: asOf 1900-01-01T04:59:59Z, 1899 in New York', (c) => c.landlord.lease.history.query({ id: c.leaseId, asOf: '1900-01-01T04:59:59Z' }), 'asOf'],
  ['audit.events: from 1900-01-01T00:00Z, 1899 in New York', (c) => c.renter.audit.events.query({ from: '1900-01-01T00:00:00Z' } as never), 'from'],
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

  // Found in the portal: a URL that does not parse answered the raw "Invalid URL" (the check after z.url threw).
  ['webhook.create: not a URL', (c) => c.landlord.webhook.create.mutate({ url: 'not a url', events: ['payment.completed'] }), 'url'],
  ['webhook.create: a URL with a space in its host', (c) => c.landlord.webhook.create.mutate({ url: 'https://exa mple.com/hook', events: ['payment.completed'] }), 'url'],
  ['webhook.create: a NUL in the URL (a 500: stored as written)', (c) => c.landlord.webhook.create.mutate({ url: 'http://1.1.1.1/\u0000x', events: ['payment.completed'] }), 'url'],
  ['webhook.create: a control character in the URL', (c) => c.landlord.webhook.create.mutate({ url: 'http://1.1.1.1/\u0001', events: ['payment.completed'] }), 'url'],
  ['webhook.create: a URL with a password', (c) => c.landlord.webhook.create.mutate({ url: 'https://user:secret@example.com/hook', events: ['payment.completed'] }), 'url'],
  ['webhook.create: port 0 (found by a stranger)', (c) => c.landlord.webhook.create.mutate({ url: 'https://example.com:0/hook', events: ['payment.completed'] }), 'url'],
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
  ['lease.history: asOf in the future (a page as of 2030 showed every installment overdue)', (c) => c.landlord.lease.history.query({ id: c.leaseId, asOf: new Date(Date.now() + 3_600_000) }), 'asOf'],
  ['ledger.tenant: asOf in the future', (c) => c.landlord.ledger.tenant.query({ leaseId: c.leaseId, asOf: new Date(Date.now() + 3_600_000) }), 'asOf'],
  ['lease.history: asOf on a day that does not exist', (c) => c.landlord.lease.history.query({ id: c.leaseId, asOf: '2027-02-30T00:00:00Z' }), 'asOf'],
  ['lease.history: asOf without a time zone', (c) => c.landlord.lease.history.query({ id: c.leaseId, asOf: '2027-01-15T10:00:00' }), 'asOf'],
  // A password that cannot be typed back into the sign-in form (found attacking the running build:
  // twenty NULs were accepted as a new password). Only new passwords: sign-in still checks any.
  ['me.changePassword: a new password of NUL characters', (c) => c.renter.me.changePassword.mutate({ currentPassword: 'correct horse battery staple', newPassword: '\u0000'.repeat(20) }), 'newPassword'],
  ['me.changePassword: a new password with an escape sequence', (c) => c.renter.me.changePassword.mutate({ currentPassword: 'correct horse battery staple', newPassword: 'a long \u001b[31m passphrase' }), 'newPassword'],
  ['me.changePassword: a new password with a right-to-left override', (c) => c.renter.me.changePassword.mutate({ currentPassword: 'correct horse battery staple', newPassword: 'a long \u202Eesarhpssap' }), 'newPassword'],
  ['me.changePassword: a new password with half a surrogate pair', (c) => c.renter.me.changePassword.mutate({ currentPassword: 'correct horse battery staple', newPassword: 'a long \uD800 passphrase' }), 'newPassword'],
  ['auth.signUp: a password with a line break', (c) => c.anonymous.auth.signUp.mutate({ name: 'Ada', email: `t-${randomUUID()}@example.com`, password: 'a long\npassphrase here', role: 'RENTER' }), 'password'],
  // The refusal of unknown kinds names them: bounded, and never echoing control or bidi characters
  // (found attacking the running build: 15,000 made-up kinds answered 1.8 MB naming each).
  ['me.setEmailPreferences: more kinds than exist', (c) => c.renter.me.setEmailPreferences.mutate({ email: Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`kind${i}`, true])) }), 'email'],
  ['me.setEmailPreferences: a kind with a right-to-left override', (c) => c.renter.me.setEmailPreferences.mutate({ email: { 'payment\u202E.failed': true } }), 'email'],
  ['me.setEmailPreferences: a kind with a NUL', (c) => c.renter.me.setEmailPreferences.mutate({ email: { 'payment.failed\u0000': true } }), 'email'],
  ['me.setEmailPreferences: a kind as a number', (c) => c.renter.me.setEmailPreferences.mutate({ email: { 'payment.failed': 1 } as never }), 'email'],
  ...TEXT_CASES,
  ...DATE_CASES,
];

let context: Context;

beforeAll(async () => {
  const renterUser = await createUser('RENTER');
  const landlordUser = await createUser('LANDLORD');
  const landlord = await apiAs(landlordUser);
  const renter = await apiAs(renterUser);
  const { property, payout, lease } = await offerLease(landlord, renterUser.email);
  const account = await renter.bankAccount.create.mutate(bankAccountInput());
  const anonymous = await apiAs(null);
  context = { landlord, renter, anonymous, landlordUser, renterUser, propertyId: property.id, payoutId: payout.id, leaseId: lease.id, accountId: account.id };
});

const everything = async () => ({
  events: await db.event.count(),
  users: await db.user.findMany({ orderBy: { id: 'asc' } }),
  apiTokens: await db.apiToken.count(),
  payments: await db.payment.count(),
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
      // Each problem said once.
      const messages = error.data?.fieldErrors?.[field] ?? [];
      expect(new Set(messages).size, `field errors: ${JSON.stringify(error.data?.fieldErrors)}`).toBe(messages.length);
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

describe('text that is accepted, normalized', () => {
  it('stores names NFC-normalized and trimmed, keeps line breaks in a reason, and clears an invisible second line', async () => {
    const decomposed = 'Cafe\u0301 Court'; // "Café" with a combining accent
    const property = await context.landlord.property.create.mutate(propertyInput({ name: `  ${decomposed}  `, line2: '\u200B' }));
    expect(property.name).toBe('Caf\u00e9 Court');
    expect(property.line2).toBeNull();
    const emoji = await context.renter.bankAccount.create.mutate(bankAccountInput({ nickname: 'Rent 👩‍👩‍👧 fund' }));
    expect(emoji.nickname).toBe('Rent 👩‍👩‍👧 fund');
  });
});

/** Raw HTTP to the tRPC route, as any program could send it. */
async function send(path: string, init: { method?: string; body?: BodyInit; headers?: Record<string, string>; as?: TestUser | null } = {}) {
  const cookie = init.as ? await sessionCookie(init.as) : undefined;
  const response = await routeFetch(`http://localhost:3000/api/trpc/${path}`, {
    method: init.method ?? 'POST',
    body: init.body,
    headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}), ...init.headers },
    ...(init.body instanceof ReadableStream ? { duplex: 'half' } : {}),
  } as RequestInit);
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, body: text ? (JSON.parse(text) as unknown) : null };
}

/** The status of each call of a batch answer, or of the single answer. */
const messageOf = (body: unknown) => JSON.stringify(body);

describe('hostile requests (issue 10 §5, §6)', () => {
  it.each([
    ['auth.signUp', '{"json":{"constructor":1}}', null],
    ['auth.signUp', '{"json":{"name":"Ada","email":"ada-proto@example.com","password":"a long passphrase","role":"RENTER","__proto__":{"role":"LANDLORD"}}}', null],
    ['property.create', '{"json":{"name":"x","line1":"1 St","city":"C","state":"IL","postalCode":"62704","prototype":{}}}', 'landlord'],
    ['lease.create', '{"json":{"deep":[{"a":{"b":{"constructor":{"prototype":1}}}}]}}', 'landlord'],
    ['auth.signUp', '{"json":{"name":"Ada"},"meta":{"values":{"__proto__.polluted":["Date"]}}}', null],
    ['auth.signUp', '{"json":{"name":"Ada"},"meta":{"values":{"name":["custom","NoSuchClass"]}}}', null],
  ] as const)('%s with %s → 400, nothing written', async (path, body, as) => {
    const before = await everything();
    const answer = await send(path, { body, as: as === 'landlord' ? context.landlordUser : null });
    expect(answer.status).toBe(400);
    expect(messageOf(answer.body)).not.toMatch(/prisma|invocation|node_modules/i);
    expect(({} as Record<string, unknown>).role).toBeUndefined();
    expect(await everything()).toEqual(before);
  });

  it('a date out of range says the range once, in words', async () => {
    // Made one at a time: a call started early rejects before anything awaits it (an unhandled rejection).
    for (const call of [() => preview(context, { startDate: '1899-12-31' }), () => createLease(context, { startDate: '3000-01-01' }), () => preview(context, { startDate: '0099-01-01' })]) {
      const error = await errorOf(call());
      expect(error.data?.fieldErrors?.startDate).toEqual(['must be between 1900-01-01 and 2999-12-31']);
    }
    const error = await errorOf(context.landlord.lease.history.query({ id: context.leaseId, asOf: '3000-01-01T00:00:00Z' }));
    expect(error.data?.fieldErrors?.asOf).toEqual(['must be between 1900-01-01 and 2999-12-31']);
    // The first instant that is 1900 in New York too is in range: the ledger as it stood then (empty).
    const first = await context.landlord.ledger.tenant.query({ leaseId: context.leaseId, asOf: '1900-01-01T05:00:00Z' } as never);
    expect(first.asOf?.toISOString()).toBe('1900-01-01T05:00:00.000Z');
  });

  it('a page size out of range or not a whole number says so in words, not zod’s', async () => {
    // Found attacking the running build: GET /api/v1/payments?limit=abc answered
    // "limit: Invalid input: expected number, received NaN".
    // Found attacking the API: ?limit=0x10, 1e1 and ' 5' were read as 16, 10 and 5 (z.coerce), and true as 1.
    for (const limit of [0, 101, 1.5, 'abc', null, '0x10', '1e1', '  5', true, [5]]) {
      const error = await errorOf(context.renter.payment.list.query({ limit } as never));
      expect(error.data?.code).toBe('BAD_REQUEST');
      expect(error.data?.fieldErrors?.limit, String(limit)).toEqual(['must be a whole number from 1 to 100']);
    }
  });

  it('unknown notice kinds are refused in a short answer that repeats none of their characters', async () => {
    const many = Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`made-up kind ${i} \u202E`.padEnd(60, 'x'), true]));
    for (const email of [many, { 'payment\u202E.failed': true, '<b>\u0000': false }]) {
      const error = await errorOf(context.renter.me.setEmailPreferences.mutate({ email }));
      expect(error.data?.code).toBe('BAD_REQUEST');
      const answer = JSON.stringify({ message: error.message, fieldErrors: error.data?.fieldErrors });
      expect(answer.length).toBeLessThan(2000);
      expect(answer).not.toMatch(/[\u0000\u202E<]|\\u0000|\\u202e/i);
    }
  });

  it('an unsafe key in a GET input answers 400', async () => {
    const input = encodeURIComponent('{"json":{"constructor":{"x":1}}}');
    const answer = await send(`lease.preview?input=${input}`, { method: 'GET', as: context.landlordUser });
    expect(answer.status).toBe(400);
    expect(messageOf(answer.body)).toContain('the key \\"constructor\\" is not allowed');
  });

  it('procedures that take no input check it too: an unsafe key or text that is not JSON answers 400 and runs nothing (found attacking the API)', async () => {
    const proto = encodeURIComponent('{"json":{"__proto__":{"x":1}}}');
    for (const path of [`me.get?input=${proto}`, `me.get?input=${encodeURIComponent('{')}`, `payment.rails?input=${proto}`]) {
      expect([path, (await send(path, { method: 'GET', as: context.renterUser })).status]).toEqual([path, 400]);
    }
    const unread = await db.notification.count({ where: { userId: context.renterUser.id, readAt: null } });
    const markAll = await send('notification.markAllRead', { body: '{"json":{"__proto__":{"x":1}}}', as: context.renterUser });
    expect(markAll.status).toBe(400);
    expect(await db.notification.count({ where: { userId: context.renterUser.id, readAt: null } })).toBe(unread);
    expect((await send('me.get', { method: 'GET', as: context.renterUser })).status).toBe(200);
    // Input without superjson's {"json": …} wrapper was read as no input: a body "str" ran markAllRead.
    for (const body of ['"str"', '42', '[1,2]', '{"foo":1}']) {
      expect([body, (await send('notification.markAllRead', { body, as: context.renterUser })).status]).toEqual([body, 400]);
    }
    expect(await db.notification.count({ where: { userId: context.renterUser.id, readAt: null } })).toBe(unread);
    expect((await send(`lease.list?input=${encodeURIComponent('{"foo":1}')}`, { method: 'GET', as: context.landlordUser })).status).toBe(400);
    expect((await send(`lease.list?input=${encodeURIComponent('{"json":{}}')}`, { method: 'GET', as: context.landlordUser })).status).toBe(200);
  });

  it('a body that is not JSON answers 400', async () => {
    const answer = await send('auth.signUp', { body: '{"json":' });
    expect(answer.status).toBe(400);
  });

  it('a body over 1 MB answers 413 before anything reads it, declared or chunked', async () => {
    const before = await everything();
    const big = JSON.stringify({ json: { ...propertyInput(), name: 'x'.repeat(1024 * 1024) } });
    const declared = await send('property.create', { body: big, as: context.landlordUser, headers: { 'content-length': String(Buffer.byteLength(big)) } });
    expect(declared.status).toBe(413);
    expect(declared.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const chunks = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 70; i++) controller.enqueue(new Uint8Array(64 * 1024).fill(0x20));
        controller.close();
      },
    });
    const chunked = await send('property.create', { body: chunks, as: context.landlordUser });
    expect(chunked.status).toBe(413);
    expect(await everything()).toEqual(before);
  });

  it('a batch of more than 10 calls is refused before any runs; 10 are fine', async () => {
    const before = await everything();
    const eleven = Array.from({ length: 11 }, () => 'property.create').join(',');
    const inputs = Object.fromEntries(Array.from({ length: 11 }, (_, i) => [i, { json: propertyInput({ name: `Batch ${i}` }) }]));
    const refused = await send(`${eleven}?batch=1`, { body: JSON.stringify(inputs), as: context.landlordUser });
    expect(refused.status).toBe(400);
    expect(messageOf(refused.body)).toContain('Batch call exceeds maximum size');
    expect(await everything()).toEqual(before);
    const ten = Array.from({ length: 10 }, () => 'payment.rails').join(',');
    const accepted = await send(`${ten}?batch=1`, { method: 'GET' });
    expect(accepted.status).toBe(200);
    expect(accepted.body).toHaveLength(10);
    const threeHundred = Array.from({ length: 300 }, () => 'payment.rails').join(',');
    expect((await send(`${threeHundred}?batch=1`, { method: 'GET' })).status).toBe(400);
  });

  it('every answer carries X-Request-Id, and errors name it', async () => {
    const ok = await send('payment.rails', { method: 'GET' });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const bad = await send('property.create', { body: JSON.stringify({ json: { name: '\u0000' } }), as: context.landlordUser });
    expect(bad.status).toBe(400);
    const id = bad.headers.get('x-request-id');
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(messageOf(bad.body)).toContain(id);
    expect(ok.headers.get('x-request-id')).not.toBe(id);
  });

  it('a NUL in property.create’s name answers 400 without database text (the issue’s input)', async () => {
    const answer = await send('property.create', { body: JSON.stringify({ json: propertyInput({ name: 'Maple\u0000Court' }) }), as: context.landlordUser });
    expect(answer.status).toBe(400);
    expect(messageOf(answer.body)).not.toMatch(/prisma|postgres|0x00|invalid byte sequence/i);
  });

  it.each([
    ['payment.create', (user: TestUser) => LIMITS.paymentMutationsPerUser(user.id), () => ({ json: { installmentId: randomUUID(), fromAccountId: randomUUID(), rail: 'RTP' } }), 'renterUser'],
    ['payment.cancel', (user: TestUser) => LIMITS.paymentMutationsPerUser(user.id), () => ({ json: { id: randomUUID() } }), 'renterUser'],
    ['apiToken.create', (user: TestUser) => LIMITS.apiTokenMutationsPerUser(user.id), () => ({ json: { name: 'a script' } }), 'landlordUser'],
    ['lease.changePayout', (user: TestUser) => LIMITS.recordChangesPerUser(user.id), () => ({ json: { id: randomUUID(), payoutAccountId: randomUUID() } }), 'landlordUser'],
    ['lease.decline', (user: TestUser) => LIMITS.recordChangesPerUser(user.id), () => ({ json: { id: randomUUID(), reason: 'Found another place' } }), 'renterUser'],
    ['me.updateName', (user: TestUser) => LIMITS.recordChangesPerUser(user.id), () => ({ json: { name: 'Someone Else' } }), 'renterUser'],
  ] as const)('%s is limited per user, and TOO_MANY_REQUESTS carries Retry-After', async (path, limitFor, input, who) => {
    const user = context[who];
    const limit = limitFor(user);
    await db.rateLimit.upsert({
      where: { key: limit.key },
      create: { key: limit.key, count: limit.max, resetAt: new Date(Date.now() + 45_000) },
      update: { count: limit.max, resetAt: new Date(Date.now() + 45_000) },
    });
    const before = await everything();
    const answer = await send(path, { body: JSON.stringify(input()), as: user });
    expect(answer.status).toBe(429);
    expect(Number(answer.headers.get('retry-after'))).toBeGreaterThanOrEqual(40);
    expect(Number(answer.headers.get('retry-after'))).toBeLessThanOrEqual(45);
    expect(await everything()).toEqual(before);
    await db.rateLimit.delete({ where: { key: limit.key } });
  });

  it('sign-ups over the per-address limit answer 429 with Retry-After', async () => {
    const limit = LIMITS.signUpPerAddress('192.0.2.77')!;
    await db.rateLimit.create({ data: { key: limit.key, count: limit.max, resetAt: new Date(Date.now() + 1_800_000) } });
    const answer = await send('auth.signUp', {
      body: JSON.stringify({ json: { name: 'Ada', email: `ada-${randomUUID()}@example.com`, password: 'a long passphrase', role: 'RENTER' } }),
      headers: { 'x-forwarded-for': '192.0.2.77' },
    });
    expect(answer.status).toBe(429);
    expect(Number(answer.headers.get('retry-after'))).toBeGreaterThan(1700);
  });
});

describe('HTTP on /api/trpc: methods, HEAD and media types, as on /api/v1 (server/http-semantics.ts)', () => {
  /** Raw HTTP as `send`, but with exactly the headers given (no default Content-Type). */
  async function sendAs(user: TestUser | null, method: string, path: string, init: { body?: string; headers?: Record<string, string>; cookie?: string } = {}) {
    const cookie = init.cookie ?? (user ? await sessionCookie(user) : undefined);
    const response = await routeFetch(`http://localhost:3000/api/trpc/${path}`, { method, body: init.body, headers: { ...(cookie ? { cookie } : {}), ...init.headers } });
    const text = await response.text();
    return { status: response.status, headers: response.headers, text, body: text ? (JSON.parse(text) as unknown) : null };
  }
  const refused = (code: string, httpStatus: number, path: string) => ({ error: { json: { code: expect.any(Number), message: expect.any(String), data: { code, httpStatus, path, requestId: expect.any(String) } } } });
  const json = { 'content-type': 'application/json' };

  it('a method the procedure does not take is 405 with Allow, in tRPC’s error shape (one per call of a batch), and runs nothing', async () => {
    const before = await everything();
    for (const [method, path, allow] of [
      ['PUT', 'me.get', 'GET, HEAD, OPTIONS'],
      ['POST', 'me.get', 'GET, HEAD, OPTIONS'],
      ['GET', 'property.create', 'OPTIONS, POST'],
      ['DELETE', 'property.create', 'OPTIONS, POST'],
      ['PATCH', 'property.update', 'OPTIONS, POST'],
      ['PUT', 'no.such', 'GET, HEAD, OPTIONS, POST'],
    ] as const) {
      const body = method === 'GET' ? undefined : JSON.stringify({ json: propertyInput() });
      const answer = await sendAs(context.landlordUser, method, path, { body, headers: json });
      expect(answer.status, `${method} ${path}`).toBe(405);
      expect(answer.headers.get('allow'), `${method} ${path}`).toBe(allow);
      expect(answer.body).toMatchObject(refused('METHOD_NOT_SUPPORTED', 405, path));
      expect(messageOf(answer.body)).toContain(`This path does not take ${method}; it takes ${allow}`);
    }
    const batch = await sendAs(context.landlordUser, 'GET', 'property.create,lease.cancel?batch=1');
    expect(batch.status).toBe(405);
    expect(batch.body).toMatchObject([refused('METHOD_NOT_SUPPORTED', 405, 'property.create'), refused('METHOD_NOT_SUPPORTED', 405, 'lease.cancel')]);
    expect(await everything()).toEqual(before);
  });

  it('HEAD is GET without the body (tRPC itself answered every HEAD 204); 405 with Allow for a mutation', async () => {
    const cookie = await sessionCookie(context.renterUser);
    for (const path of ['me.get', 'payment.rails', `lease.byId?input=${encodeURIComponent(JSON.stringify({ json: { id: randomUUID() } }))}`, 'no.such']) {
      const [head, get] = [await sendAs(null, 'HEAD', path, { cookie }), await sendAs(null, 'GET', path, { cookie })];
      expect({ path, status: head.status, text: head.text }).toEqual({ path, status: get.status, text: '' });
      expect(head.headers.get('content-type')).toBe(get.headers.get('content-type'));
      expect(head.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    }
    const mutation = await sendAs(null, 'HEAD', 'me.updateName', { cookie });
    expect({ status: mutation.status, allow: mutation.headers.get('allow'), text: mutation.text }).toEqual({ status: 405, allow: 'OPTIONS, POST', text: '' });
  });

  it('a body must be application/json (UTF-8): others are 415, the multipart and octet-stream bodies tRPC itself reads too', async () => {
    const user = await createUser('RENTER');
    const cookie = await sessionCookie(user);
    for (const contentType of ['application/jsonx', 'application/vnd.api+json', 'text/plain', 'multipart/form-data; boundary=x', 'application/octet-stream', 'application/json; charset=iso-8859-1', null]) {
      const headers: Record<string, string> = contentType === null ? {} : { 'content-type': contentType };
      for (const path of ['me.updateName', 'me.signOutEverywhere']) {
        const body = contentType?.startsWith('multipart') ? '--x\r\nContent-Disposition: form-data; name="name"\r\n\r\nMallory\r\n--x--\r\n' : JSON.stringify({ json: { name: 'Mallory' } });
        const answer = await sendAs(null, 'POST', path, { cookie, headers, body });
        expect(answer.status, `${path} ${contentType}`).toBe(415);
        expect(answer.body).toMatchObject(refused('UNSUPPORTED_MEDIA_TYPE', 415, path));
      }
    }
    // Nothing ran: the name is as it was and the session (which signOutEverywhere would end) still works.
    const me = await sendAs(null, 'GET', 'me.get', { cookie });
    expect(me.status).toBe(200);
    expect(messageOf(me.body)).toContain(user.name);
  });

  it('application/json in any letter case, with a UTF-8 charset, is read; an empty body is no input', async () => {
    const user = await createUser('RENTER');
    const cookie = await sessionCookie(user);
    for (const [contentType, name] of [['application/json; charset=utf-8', 'Ada One'], ['APPLICATION/JSON', 'Ada Two'], ['application/json;charset="UTF-8"', 'Ada Three']] as const) {
      const answer = await sendAs(null, 'POST', 'me.updateName', { cookie, headers: { 'content-type': contentType }, body: JSON.stringify({ json: { name } }) });
      expect(answer.status, contentType).toBe(200);
    }
    expect(await db.user.findUnique({ where: { id: user.id }, select: { name: true } })).toEqual({ name: 'Ada Three' });
    const noInput = await sendAs(null, 'POST', 'me.updateName', { cookie });
    expect(noInput.status).toBe(400);
    expect(messageOf(noInput.body)).toContain('expected object, received undefined');
    // A mutation that takes no input runs on an empty body, with or without a Content-Type.
    expect((await sendAs(null, 'POST', 'me.signOutEverywhere', { cookie, body: '' })).status).toBe(200);
    expect((await sendAs(null, 'GET', 'me.get', { cookie })).status).toBe(401);
  });
});

describe('event history', () => {
  it('replays to every record this file created, with every chain intact', async () => {
    expect((await historyMismatches()).mismatches).toEqual([]);
  });
});
