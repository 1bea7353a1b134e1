// Property-based fuzzing of EVERY tRPC procedure through the real HTTP route (issue 10 §6).
//
// The procedures are read from the router itself, and each one's inputs are generated from its
// own zod schema: plausible values by field type and name (real ids of records this file
// created, dates, emails, enum members), mixed with hostile ones (NUL, bidi overrides,
// invisible-only text, 100 000-character strings, dates out of range, wrong types, and
// `__proto__` / `constructor` / `prototype` keys anywhere). Each call is sent as raw JSON,
// as anonymous, landlord or renter. Every answer must be below 500, must not quote the
// database, and a refused call (4xx) must leave every table's row count as it was
// (RateLimit excepted: refused calls count towards limits on purpose).
//
// Fixed seed, FUZZ_RUNS runs per procedure (default 15, CI-sized: about 500 calls); more with e.g.
// `FUZZ_RUNS=500 npx vitest run server/api/fuzz.test.ts`, another seed with FUZZ_SEED.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { appRouter } from '@/server/api/root';
import { db } from '@/server/db';
import { apiAs, createUser, routeFetch, sessionCookie, type TestUser } from '@/server/testing/api';
import { bankAccountInput, offerLease, ROUTING_NUMBERS } from '@/server/testing/leasing';

const RUNS = Number(process.env.FUZZ_RUNS ?? 15);
const SEED = Number(process.env.FUZZ_SEED ?? 20261129);

// ---- zod introspection (zod 4 keeps each schema's definition in `_zod.def`) --------------

interface ZodDef {
  type: string;
  innerType?: ZodLike;
  in?: ZodLike;
  shape?: Record<string, ZodLike>;
  entries?: Record<string, string>;
  options?: ZodLike[];
  element?: ZodLike;
  format?: string;
}
interface ZodLike {
  _zod: { def: ZodDef };
}

const WRAPPERS = new Set(['optional', 'nullable', 'default', 'prefault', 'pipe', 'readonly', 'catch', 'nonoptional']);

/** The schema under optional/default/pipe wrappers: what the caller's value is checked against first. */
function unwrap(schema: ZodLike): ZodLike {
  let current = schema;
  for (let depth = 0; depth < 20 && WRAPPERS.has(current._zod.def.type); depth++) {
    const def = current._zod.def;
    current = (def.type === 'pipe' ? def.in : def.innerType)!;
  }
  return current;
}

// ---- values -----------------------------------------------------------------------------

const ABSENT = Symbol('absent');

interface Pools {
  ids: string[];
}

const HOSTILE_STRINGS = [
  '',
  '   ',
  '\u0000',
  'Maple\u0000Court',
  '\u200B',
  '\u200D\u2060\uFEFF',
  '\u3164',
  'Remy \u202Eetar',
  '\u2066x\u2069',
  '\u001b[2J',
  'line\nbreak',
  '\uD800',
  'x'.repeat(100_000),
  '9999-12-01',
  '10000-01-01',
  '0000-00-00',
  '1899-12-31',
  '2999-12-31',
  '3000-01-01T00:00:00Z',
  'NaN',
  '-1',
  '1e309',
  "'; drop table \"User\"; --",
  '<script>alert(1)</script>',
  '../../etc/passwd',
];

/** JSON values no schema expects, including objects with prototype-polluting keys. */
const hostile: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...HOSTILE_STRINGS) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 2, arbitrary: fc.constantFrom<unknown>(null, true, false, 0, -1, -0, 0.5, 1e308, 2 ** 53, -(2 ** 63), [], {}, [[[[[]]]]]) },
  { weight: 1, arbitrary: fc.constantFrom('__proto__', 'constructor', 'prototype').map((key) => withKey({}, key, { polluted: true })) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
);

/** An object with an own property `key` (even `__proto__`), as JSON.parse would make it. */
function withKey(target: Record<string, unknown>, key: string, value: unknown): Record<string, unknown> {
  Object.defineProperty(target, key, { value, enumerable: true, configurable: true, writable: true });
  return target;
}

const isoDay = fc.date({ min: new Date(Date.UTC(1890, 0, 1)), max: new Date(Date.UTC(3010, 11, 31)), noInvalidDate: true }).map((date) => date.toISOString().slice(0, 10));
const nearDay = fc.date({ min: new Date(Date.UTC(2026, 0, 1)), max: new Date(Date.UTC(2030, 11, 31)), noInvalidDate: true }).map((date) => date.toISOString().slice(0, 10));
const instant = fc.date({ min: new Date(Date.UTC(1800, 0, 1)), max: new Date(Date.UTC(3100, 0, 1)), noInvalidDate: true }).map((date) => date.toISOString());
const text = fc.oneof(fc.constantFrom('Maple Court', 'Everyday', 'Springfield', '12 Maple St', 'Rent income', 'moving out', 'Café'), fc.string({ minLength: 1, maxLength: 30 }));

/** Plausible values for a string field, by its format and name. */
function stringFor(name: string, def: ZodDef, pools: Pools): fc.Arbitrary<unknown> {
  if (def.format === 'uuid' || /(^id$|Id$|^cursor$)/.test(name)) return fc.oneof(fc.constantFrom(...pools.ids), fc.uuid());
  if (/email/i.test(name)) return fc.oneof(fc.constantFrom('renter-fuzz@example.com', 'someone@example.com'), fc.emailAddress());
  if (/date/i.test(name)) return fc.oneof(nearDay, isoDay);
  if (/asOf/.test(name)) return instant;
  if (/password/i.test(name)) return fc.oneof(fc.constant('a long enough password'), fc.string({ minLength: 12, maxLength: 40 }));
  if (/routingNumber/.test(name)) return fc.oneof(fc.constantFrom(...ROUTING_NUMBERS), fc.stringMatching(/^\d{9}$/));
  if (/accountNumber/.test(name)) return fc.stringMatching(/^\d{4,17}$/);
  if (/postalCode/.test(name)) return fc.stringMatching(/^\d{5}(-\d{4})?$/);
  if (name === 'state') return fc.constantFrom('IL', 'CA', 'NY', 'ZZ', 'il');
  if (/idempotencyKey/i.test(name)) return fc.stringMatching(/^[\x21-\x7e]{1,40}$/);
  return text;
}

/** Plausible values for a schema (then mixed with hostile ones by the caller). */
function plausible(schema: ZodLike, name: string, pools: Pools, depth = 0): fc.Arbitrary<unknown> {
  const base = unwrap(schema);
  const def = base._zod.def;
  switch (def.type) {
    case 'object':
      return objectFor(def.shape ?? {}, pools, depth + 1);
    case 'string':
      return stringFor(name, def, pools);
    case 'number':
      return fc.oneof(fc.integer({ min: 0, max: 70 }), fc.integer({ min: -1_000, max: 200_000_000 }), fc.double({ noNaN: true, noDefaultInfinity: true }));
    case 'boolean':
      return fc.boolean();
    case 'enum':
      return fc.constantFrom(...Object.values(def.entries ?? { none: 'none' }));
    case 'union':
      return fc.oneof(...(def.options ?? []).map((option) => plausible(option, name, pools, depth + 1)));
    case 'date':
      return instant;
    case 'array':
      return fc.array(field(def.element!, name, pools, depth + 1), { maxLength: 3 });
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

/** A field's value: mostly plausible, sometimes hostile, sometimes left out. */
function field(schema: ZodLike, name: string, pools: Pools, depth: number): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: 12, arbitrary: depth > 4 ? hostile : plausible(schema, name, pools, depth) },
    { weight: 3, arbitrary: hostile },
    { weight: 1, arbitrary: fc.constant(ABSENT) },
  );
}

/** An object for a zod shape, sometimes with an extra key (unknown, or prototype-polluting). */
function objectFor(shape: Record<string, ZodLike>, pools: Pools, depth: number): fc.Arbitrary<unknown> {
  const model = Object.fromEntries(Object.entries(shape).map(([key, schema]) => [key, field(schema, key, pools, depth)]));
  const extra = fc.option(fc.tuple(fc.constantFrom('__proto__', 'constructor', 'prototype', 'userId', 'status', 'role'), hostile), { freq: 6 });
  return fc.tuple(fc.record(model), extra).map(([values, more]) => {
    const object: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(values)) if (value !== ABSENT) object[key] = value;
    if (more) withKey(object, more[0], more[1]);
    return object;
  });
}

// ---- the procedures and the calls -------------------------------------------------------

interface Procedure {
  path: string;
  type: 'query' | 'mutation' | 'subscription';
  input: ZodLike | undefined;
}

const procedures: Procedure[] = Object.entries((appRouter as unknown as { _def: { procedures: Record<string, { _def: { type: Procedure['type']; inputs: ZodLike[] } }> } })._def.procedures).map(
  ([path, procedure]) => ({ path, type: procedure._def.type, input: procedure._def.inputs[0] }),
);

type Caller = 'anonymous' | 'landlord' | 'renter';

interface World {
  pools: Pools;
  users: Record<Exclude<Caller, 'anonymous'>, TestUser>;
  cookies: Record<Exclude<Caller, 'anonymous'>, string>;
}

let world: World;

/** Row counts of every table of the app (RateLimit excepted, see the header). */
async function rowCounts(): Promise<Record<string, number>> {
  const tables = await db.$queryRaw<{ name: string }[]>`
    select table_name as name from information_schema.tables
    where table_schema = 'public' and table_type = 'BASE TABLE' and table_name not in ('RateLimit', '_prisma_migrations')
    order by table_name`;
  const sql = tables.map(({ name }) => `select '${name}' as name, count(*)::int as rows from "${name.replace(/"/g, '""')}"`).join(' union all ');
  const rows = await db.$queryRawUnsafe<{ name: string; rows: number }[]>(sql);
  return Object.fromEntries(rows.map(({ name, rows: count }) => [name, count]));
}

async function send(procedure: Procedure, caller: Caller, input: unknown): Promise<{ status: number; text: string }> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (caller !== 'anonymous') headers.cookie = world.cookies[caller];
  const body = JSON.stringify(input === ABSENT ? {} : { json: input });
  const url = `http://localhost:3000/api/trpc/${procedure.path}`;
  const response =
    procedure.type === 'query'
      ? await routeFetch(`${url}?input=${encodeURIComponent(body)}`, { headers })
      : await routeFetch(url, { method: 'POST', headers, body });
  return { status: response.status, text: await response.text() };
}

beforeAll(async () => {
  const landlord = await createUser('LANDLORD');
  const renter = await createUser('RENTER', { email: 'renter-fuzz@example.com' });
  const landlordApi = await apiAs(landlord);
  const renterApi = await apiAs(renter);
  const { property, payout, lease } = await offerLease(landlordApi, renter.email);
  const account = await renterApi.bankAccount.create.mutate(bankAccountInput());
  const strangerApi = await apiAs(await createUser('LANDLORD'));
  const { property: strangersProperty } = await offerLease(strangerApi, 'someone@example.com');
  const ids = [property.id, payout.id, lease.id, account.id, strangersProperty.id, landlord.id, renter.id, ...lease.installments.map((installment) => installment.id)];
  world = {
    pools: { ids },
    users: { landlord, renter },
    cookies: { landlord: await sessionCookie(landlord), renter: await sessionCookie(renter) },
  };
}, 120_000);

describe('fuzzing every procedure through the HTTP route', () => {
  it('finds the procedures to fuzz in the router', () => {
    expect(procedures.length).toBeGreaterThanOrEqual(30);
  });

  let calls = 0;
  const statuses = new Map<number, number>();

  it.each(procedures.map((procedure) => [procedure.path, procedure] as const))(
    '%s: no 5xx, no database text, and a refused call writes nothing',
    async (_path, procedure) => {
      const inputs = procedure.input
        ? fc.oneof({ weight: 9, arbitrary: plausible(procedure.input, '', world.pools) }, { weight: 1, arbitrary: hostile })
        : fc.oneof(fc.constant<unknown>(ABSENT), hostile);
      const callers = fc.constantFrom<Caller>('landlord', 'renter', 'landlord', 'renter', 'anonymous');
      await fc.assert(
        fc.asyncProperty(callers, inputs, async (caller, input) => {
          // A fresh session per call: me.signOutEverywhere and me.changePassword end sessions,
          // and every later call must still be fuzzed as a signed-in caller, not answered 401.
          if (caller !== 'anonymous') world.cookies[caller] = await sessionCookie(world.users[caller]);
          const before = await rowCounts();
          const answer = await send(procedure, caller, input);
          calls += 1;
          statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
          expect(answer.status, answer.text.slice(0, 500)).toBeLessThan(500);
          expect(answer.text).not.toMatch(/prisma|invocation|node_modules/i);
          if (answer.status >= 400) expect(await rowCounts()).toEqual(before);
        }),
        { seed: SEED, numRuns: RUNS, endOnFailure: true },
      );
    },
    120_000,
  );

  it('reports what it sent', () => {
    const summary = [...statuses.entries()].sort(([a], [b]) => a - b).map(([status, count]) => `${status}×${count}`).join(', ');
    console.log(`fuzz: ${calls} calls over ${procedures.length} procedures (${RUNS} runs each, seed ${SEED}): ${summary}`);
    expect(calls).toBe(procedures.length * RUNS);
    // Most calls come from signed-in callers; a suite answered mostly 401 would test nothing.
    expect(statuses.get(401) ?? 0).toBeLessThan(calls / 2);
  });
});
