// The audit trail: who may read which events, reading them a page (or a batch) at a time,
// checking every chain a caller can see, and checking the whole database — every chain and
// every record replaying from its events to the row as stored.
//
// Visibility is decided per aggregate, in the query itself (DESIGN: "every read checks
// ownership in the query"), so a caller always sees whole chains:
// - a landlord: their own User and BankAccount aggregates, their properties, their leases,
//   the installments of those leases and the payments made to them;
// - a renter: their own User and BankAccount aggregates, the leases naming them, those
//   leases' installments and the payments they made (not the landlord's property or accounts);
// - the renter also: their Autopay aggregates (the landlord reads only on/off and last 4, autopay.get);
// - an operator (OPERATOR_EMAILS): every event.
// API tokens are not aggregates and write no events.
//
// Pages are keyset on "Event".id (a bigint, strictly increasing in commit-safe order for one
// aggregate: a writer takes the aggregate's lock, then its row gets the next id). The export
// reads ascending batches up to the largest id present when it started, so an event committed
// during the export is either in it with every earlier event of its chain, or not at all: a
// chain in an export is always a whole prefix of the chain.
import { isDeepStrictEqual } from 'node:util';
import type { Db, Tx } from '@/server/db';
import { Prisma } from '@/server/generated/prisma/client';
import type { Role } from '@/server/generated/prisma/enums';
import { autopaySnapshot } from './autopay';
import { bankAccountSnapshot } from './bank-accounts';
import { AGGREGATE_TYPES, ChainFollower, replay, toEventView, type BrokenChain, toJsonValue, type AggregateType, type EventView, type JsonObject, type JsonValue } from './events';
import { leaseSnapshot } from './lease-state';
import { installmentSnapshot } from './leases';
import { paymentSnapshot } from './payment-state';
import { propertySnapshot } from './properties';
import { userSnapshot } from './users';
import type { Page } from './pagination';

/** The caller of an audit read: who they are, and whether configuration makes them an operator. */
export interface AuditActor {
  id: string;
  role: Role;
  operator: boolean;
}

export interface EventFilter {
  aggregateType?: AggregateType;
  aggregateId?: string;
  /** The event type, e.g. 'payment.completed'. */
  type?: string;
  actorId?: string;
  /** Events recorded at or after this instant. */
  from?: Date;
  /** Events recorded at or before this instant. */
  to?: Date;
}

/** The aggregates `actor` may see, as rows (type, id); see the module header. Not for operators (everything). */
function visibleAggregates(actor: AuditActor): Prisma.Sql {
  const me = Prisma.sql`${actor.id}::uuid`;
  const own = actor.role === 'LANDLORD' ? Prisma.raw('"landlordId"') : Prisma.raw('"renterId"');
  const parts = [
    Prisma.sql`SELECT 'User'::text AS type, ${me} AS id`,
    Prisma.sql`SELECT 'BankAccount', id FROM "BankAccount" WHERE "userId" = ${me}`,
    Prisma.sql`SELECT 'Lease', id FROM "Lease" WHERE ${own} = ${me}`,
    Prisma.sql`SELECT 'Installment', i.id FROM "Installment" i JOIN "Lease" l ON l.id = i."leaseId" WHERE l.${own} = ${me}`,
    Prisma.sql`SELECT 'Payment', id FROM "Payment" WHERE ${own} = ${me}`,
  ];
  // Autopay's history (account, rail, failures) is the renter's; the landlord sees only on/off and last 4 (autopay.get).
  if (actor.role === 'RENTER') parts.push(Prisma.sql`SELECT 'Autopay', id FROM "Autopay" WHERE "renterId" = ${me}`);
  if (actor.role === 'LANDLORD') parts.push(Prisma.sql`SELECT 'Property', id FROM "Property" WHERE "landlordId" = ${me}`);
  return Prisma.join(parts, ' UNION ALL ');
}

/** The same set as a condition on "Event" aliased `e` (hashed sets, one probe per row). */
function visibleTo(actor: AuditActor): Prisma.Sql {
  if (actor.operator) return Prisma.sql`TRUE`;
  const me = Prisma.sql`${actor.id}::uuid`;
  const own = actor.role === 'LANDLORD' ? Prisma.raw('"landlordId"') : Prisma.raw('"renterId"');
  const branches = [
    Prisma.sql`(e."aggregateType" = 'User' AND e."aggregateId" = ${me})`,
    Prisma.sql`(e."aggregateType" = 'BankAccount' AND e."aggregateId" IN (SELECT id FROM "BankAccount" WHERE "userId" = ${me}))`,
    Prisma.sql`(e."aggregateType" = 'Lease' AND e."aggregateId" IN (SELECT id FROM "Lease" WHERE ${own} = ${me}))`,
    Prisma.sql`(e."aggregateType" = 'Installment' AND e."aggregateId" IN (SELECT i.id FROM "Installment" i JOIN "Lease" l ON l.id = i."leaseId" WHERE l.${own} = ${me}))`,
    Prisma.sql`(e."aggregateType" = 'Payment' AND e."aggregateId" IN (SELECT id FROM "Payment" WHERE ${own} = ${me}))`,
  ];
  if (actor.role === 'RENTER') branches.push(Prisma.sql`(e."aggregateType" = 'Autopay' AND e."aggregateId" IN (SELECT id FROM "Autopay" WHERE "renterId" = ${me}))`);
  if (actor.role === 'LANDLORD') branches.push(Prisma.sql`(e."aggregateType" = 'Property' AND e."aggregateId" IN (SELECT id FROM "Property" WHERE "landlordId" = ${me}))`);
  return Prisma.sql`(${Prisma.join(branches, ' OR ')})`;
}

/**
 * audit.events pages: up to this many visible aggregates, a page is read aggregate by aggregate (an index probe
 * each, on (aggregateType, aggregateId, id)), which costs the same however many other
 * people's events the table holds. Beyond it, the primary key is walked from the cursor and
 * each row tested against the hashed sets, which costs in proportion to the rows walked and
 * stays linear over a whole export.
 */
export const PROBE_AGGREGATES_UP_TO = 2_000;

type Strategy = 'probe' | 'scan';

/** How to read `actor`'s pages (see PROBE_AGGREGATES_UP_TO): one small count, stopped early. */
async function strategyFor(db: Db | Tx, actor: AuditActor): Promise<Strategy> {
  if (actor.operator) return 'scan';
  const [row] = await db.$queryRaw<{ count: bigint }[]>`SELECT count(*) AS count FROM (SELECT 1 FROM (${visibleAggregates(actor)}) v LIMIT ${PROBE_AGGREGATES_UP_TO + 1}) capped`;
  return Number(row?.count ?? 0) > PROBE_AGGREGATES_UP_TO ? 'scan' : 'probe';
}

function filterSql(filter: EventFilter): Prisma.Sql[] {
  const conditions: Prisma.Sql[] = [];
  if (filter.aggregateType) conditions.push(Prisma.sql`e."aggregateType" = ${filter.aggregateType}`);
  if (filter.aggregateId) conditions.push(Prisma.sql`e."aggregateId" = ${filter.aggregateId}::uuid`);
  if (filter.type) conditions.push(Prisma.sql`e.type = ${filter.type}`);
  if (filter.actorId) conditions.push(Prisma.sql`e."actorId" = ${filter.actorId}::uuid`);
  if (filter.from) conditions.push(Prisma.sql`e."createdAt" >= ${filter.from}`);
  if (filter.to) conditions.push(Prisma.sql`e."createdAt" <= ${filter.to}`);
  return conditions;
}

interface EventRow {
  id: bigint;
  aggregateType: string;
  aggregateId: string;
  sequence: number;
  type: string;
  actorId: string | null;
  actorRole: string;
  reason: string | null;
  data: JsonObject;
  createdAt: Date;
  prevHash: string | null;
  hash: string;
}


/** One keyset step: events after (asc) or before (desc) `cursor`, never past `upTo`. */
interface Step {
  cursor?: bigint;
  upTo?: bigint;
  limit: number;
  order: 'asc' | 'desc';
  strategy: Strategy;
}

const EVENT_COLUMNS = Prisma.sql`e.id, e."aggregateType", e."aggregateId"::text AS "aggregateId", e.sequence, e.type, e."actorId"::text AS "actorId",
           e."actorRole", e.reason, e.data, e."createdAt", e."prevHash", e.hash`;

/** The SQL of one page; exported for the EXPLAIN in scripts/audit-export-memory.ts. */
export function eventPageSql(actor: AuditActor, filter: EventFilter, step: Step): Prisma.Sql {
  const conditions = filterSql(filter);
  if (step.cursor !== undefined) conditions.push(step.order === 'asc' ? Prisma.sql`e.id > ${step.cursor}` : Prisma.sql`e.id < ${step.cursor}`);
  if (step.upTo !== undefined) conditions.push(Prisma.sql`e.id <= ${step.upTo}`);
  const order = step.order === 'asc' ? Prisma.sql`ASC` : Prisma.sql`DESC`;
  if (step.strategy === 'probe' && !actor.operator) {
    const where = conditions.length > 0 ? Prisma.sql`AND ${Prisma.join(conditions, ' AND ')}` : Prisma.empty;
    return Prisma.sql`
      SELECT page.* FROM (${visibleAggregates(actor)}) v
      CROSS JOIN LATERAL (
        SELECT ${EVENT_COLUMNS} FROM "Event" e
        WHERE e."aggregateType" = v.type AND e."aggregateId" = v.id ${where}
        ORDER BY e.id ${order} LIMIT ${step.limit}
      ) page
      ORDER BY page.id ${order}
      LIMIT ${step.limit}`;
  }
  return Prisma.sql`
    SELECT ${EVENT_COLUMNS}
    FROM "Event" e
    WHERE ${Prisma.join([visibleTo(actor), ...conditions], ' AND ')}
    ORDER BY e.id ${order}
    LIMIT ${step.limit}`;
}

async function eventStep(db: Db | Tx, actor: AuditActor, filter: EventFilter, step: Step): Promise<EventRow[]> {
  return db.$queryRaw<EventRow[]>(eventPageSql(actor, filter, step));
}

/**
 * `audit.events`: one page of the events `actor` may see that match `filter`, newest first
 * (`order: 'asc'` for oldest first). The cursor is the last event id of the previous page.
 */
export async function listAuditEvents(
  db: Db | Tx,
  actor: AuditActor,
  input: EventFilter & { cursor?: string; limit: number; order?: 'asc' | 'desc' },
): Promise<Page<EventView>> {
  const { cursor, limit, order = 'desc', ...filter } = input;
  const strategy = await strategyFor(db, actor);
  const rows = await eventStep(db, actor, filter, { cursor: cursor === undefined ? undefined : BigInt(cursor), limit: limit + 1, order, strategy });
  const items = rows.slice(0, limit).map(toEventView);
  return { items, nextCursor: rows.length > limit ? items[items.length - 1]!.id : null };
}

/** Rows per batch of an export: a few MB of memory at most, whatever the export's size. */
export const EXPORT_BATCH_SIZE = 1_000;

/**
 * Every event `actor` may see that matches `filter`, oldest first, in batches of `batchSize`
 * read one after another by keyset (never all at once), up to the newest event present when
 * the export started (see the module header).
 */
export async function* exportAuditEvents(db: Db | Tx, actor: AuditActor, filter: EventFilter, batchSize = EXPORT_BATCH_SIZE): AsyncGenerator<EventView[]> {
  const [head] = await db.$queryRaw<{ max: bigint | null }[]>`SELECT max(id) AS max FROM "Event"`;
  const upTo = head?.max;
  if (upTo === null || upTo === undefined) return;
  let cursor: bigint | undefined;
  for (;;) {
    // Always the primary-key walk: over a whole export it reads the table once, in order,
    // whatever the caller's share of it (probing each aggregate per batch would re-read
    // up to batchSize rows of every aggregate on every batch).
    const rows = await eventStep(db, actor, filter, { cursor, upTo, limit: batchSize, order: 'asc', strategy: 'scan' });
    if (rows.length > 0) yield rows.map(toEventView);
    if (rows.length < batchSize) return;
    cursor = rows[rows.length - 1]!.id;
  }
}


export interface ChainReport {
  /** Aggregates whose chains were checked. */
  chains: number;
  events: number;
  ok: boolean;
  broken: BrokenChain[];
}

/**
 * `audit.verify`: recomputes every chain `actor` may see (or only one aggregate's, or one
 * type's) and reports the broken ones: the aggregate, its first bad sequence and why.
 */
export async function verifyVisibleChains(db: Db | Tx, actor: AuditActor, filter: Pick<EventFilter, 'aggregateType' | 'aggregateId'> = {}): Promise<ChainReport> {
  const follower = new ChainFollower();
  for await (const batch of exportAuditEvents(db, actor, filter, 5_000)) {
    for (const event of batch) follower.add({ ...event, actorId: event.actor.id, actorRole: event.actor.role, data: event.data as JsonValue });
  }
  return { chains: follower.chains, events: follower.events, ok: follower.broken.length === 0, broken: follower.broken };
}

/** Each aggregate table's rows as their events record them (the snapshot writers put in `data`). */
async function storedSnapshots(db: Db | Tx): Promise<[AggregateType, Map<string, unknown>][]> {
  const byId = <T extends { id: string }>(rows: T[], snapshot: (row: T) => unknown) => new Map(rows.map((row) => [row.id, snapshot(row)]));
  const tables: Record<AggregateType, () => Promise<Map<string, unknown>>> = {
    User: async () => byId(await db.user.findMany({ select: { id: true, email: true, name: true, role: true, createdAt: true } }), userSnapshot),
    BankAccount: async () => byId(await db.bankAccount.findMany(), bankAccountSnapshot),
    Property: async () => byId(await db.property.findMany(), propertySnapshot),
    Lease: async () => byId(await db.lease.findMany(), leaseSnapshot),
    Installment: async () => byId(await db.installment.findMany(), installmentSnapshot),
    Payment: async () => byId(await db.payment.findMany(), paymentSnapshot),
    Autopay: async () => byId(await db.autopay.findMany(), autopaySnapshot),
  };
  const result: [AggregateType, Map<string, unknown>][] = [];
  for (const type of AGGREGATE_TYPES) result.push([type, await tables[type]()]);
  return result;
}

/**
 * Keys an aggregate's older events carried beside its fields, dropped from the replayed state
 * before it is compared with the row: `installment.lateFeeCharged` and `installment.lateFeeWaived`
 * wrote the fee (`lateFeeCents`) into the installment's data until 2026-12-03; the fee is the
 * ledger's, and history cannot be rewritten.
 */
const RETIRED_KEYS: Partial<Record<AggregateType, readonly string[]>> = { Installment: ['lateFeeCents'] };

function withoutRetiredKeys(type: AggregateType, state: JsonObject): JsonObject {
  const retired = RETIRED_KEYS[type];
  if (!retired) return state;
  return Object.fromEntries(Object.entries(state).filter(([key]) => !retired.includes(key)));
}

/** Reads as an operator does: every event (the audit of the whole database). */
const WHOLE_DATABASE: AuditActor = { id: '00000000-0000-0000-0000-000000000000', role: 'RENTER', operator: true };

export interface DatabaseAudit {
  /** Records (rows of the aggregate tables) compared with their replayed events. */
  records: number;
  consistent: number;
  chains: ChainReport;
  /** Ledger transactions checked for double entry (at least two entries, summing to zero). */
  ledgerTransactions: number;
  /** Every disagreement, one readable line each; empty when history and tables agree. */
  mismatches: string[];
}

/**
 * `npm run audit:verify` (and the history check every test file runs): every chain in the
 * database verifies, every record of every aggregate table has events, and replaying them
 * gives exactly the row as stored; no events belong to a record that does not exist; every
 * ledger transaction balances (two entries or more, summing to zero), and no installment is paid
 * by two completed payments (a payoff's covered installments included), as the database's own
 * rules demand: a difference there was written around them.
 */
export async function auditDatabase(db: Db | Tx): Promise<DatabaseAudit> {
  const mismatches: string[] = [];
  let records = 0;
  let consistent = 0;
  for (const [type, snapshots] of await storedSnapshots(db)) {
    for (const [id, snapshot] of snapshots) {
      records += 1;
      const replayed = await replay(db as Tx, type, id);
      if (!replayed) {
        mismatches.push(`${type} ${id} has no events`);
        continue;
      }
      const expected = toJsonValue(snapshot);
      if (isDeepStrictEqual(withoutRetiredKeys(type, replayed.state), expected)) consistent += 1;
      else mismatches.push(`${type} ${id}: replayed ${JSON.stringify(replayed.state)} but the row is ${JSON.stringify(expected)}`);
    }
    const aggregates = await db.event.findMany({ where: { aggregateType: type }, distinct: ['aggregateId'], select: { aggregateId: true } });
    for (const { aggregateId } of aggregates) {
      if (!snapshots.has(aggregateId)) mismatches.push(`${type} ${aggregateId} has events but no row`);
    }
  }
  const chains = await verifyVisibleChains(db, WHOLE_DATABASE);
  for (const broken of chains.broken) mismatches.push(`${broken.aggregateType} ${broken.aggregateId}: chain broken at ${broken.sequence} (${broken.reason})`);
  const unknownTypes = await db.$queryRaw<{ aggregateType: string }[]>`
    SELECT DISTINCT "aggregateType" FROM "Event" WHERE "aggregateType" <> ALL(${[...AGGREGATE_TYPES]}::text[])`;
  for (const { aggregateType } of unknownTypes) mismatches.push(`events of an unknown aggregate type ${aggregateType}`);
  const [ledger] = await db.$queryRaw<{ transactions: number; unbalanced: { id: string; entries: number; cents: string }[] }[]>`
    SELECT count(*)::int AS transactions,
           coalesce(jsonb_agg(jsonb_build_object('id', t.id::text, 'entries', t.entries, 'cents', t.cents::text) ORDER BY t.id) FILTER (WHERE t.entries < 2 OR t.cents <> 0), '[]') AS unbalanced
      FROM (SELECT lt.id, count(e.id)::int AS entries, coalesce(sum(e."amountCents"), 0) AS cents
              FROM "LedgerTransaction" lt LEFT JOIN "LedgerEntry" e ON e."transactionId" = lt.id GROUP BY lt.id) t`;
  for (const t of ledger?.unbalanced ?? []) mismatches.push(`ledger transaction ${t.id} does not balance: ${t.entries} entries summing to ${t.cents} cents`);
  // One completed payment per installment, an early payoff's covered installments included.
  const paidTwice = await db.$queryRaw<{ installmentId: string; paymentIds: string[] }[]>`
    SELECT c."installmentId"::text AS "installmentId", array_agg(DISTINCT c."paymentId"::text) AS "paymentIds"
      FROM (SELECT p."installmentId", p.id AS "paymentId" FROM "Payment" p WHERE p.status = 'COMPLETED'
            UNION SELECT pi."installmentId", pi."paymentId" FROM "PayoffInstallment" pi JOIN "Payment" p ON p.id = pi."paymentId" WHERE p.status = 'COMPLETED') c
     GROUP BY c."installmentId" HAVING count(DISTINCT c."paymentId") > 1`;
  for (const { installmentId, paymentIds } of paidTwice) mismatches.push(`installment ${installmentId} is paid by ${paymentIds.length} completed payments (${paymentIds.sort().join(', ')})`);
  return { records, consistent, chains, ledgerTransactions: ledger?.transactions ?? 0, mismatches };
}
