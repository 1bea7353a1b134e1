// The event history: the one module that writes, verifies, lists and replays "Event" rows.
//
// Every state change appends, in the same transaction, one event per aggregate it changes:
// the aggregate's next sequence number (gap-free: a per-aggregate advisory lock serializes
// writers, and the unique (aggregateType, aggregateId, sequence) index backs it up), the
// actor, an optional reason, and `data` — the aggregate's full snapshot after the change.
// Each row's hash is SHA-256 over the canonical JSON of its content plus the previous row's
// hash of the same aggregate, so editing, deleting or reordering any row breaks the chain
// from that row on (the database also refuses UPDATE/DELETE/TRUNCATE by trigger).
//
// Aggregates are named, not special-cased: any aggregate type can be written, verified and
// replayed through the same functions as long as its writers record full snapshots.
import { createHash } from 'node:crypto';
import type { Tx } from '@/server/db';
import { insertRows, type ColumnTypes } from '@/server/insert-rows';
import type { EventActor } from './actor';
import { enqueueWebhooks } from './webhooks';

/** The aggregate types, exactly as the "Event" table stores them in `aggregateType`. */
export const AGGREGATE_TYPES = ['User', 'BankAccount', 'Property', 'Lease', 'Installment', 'Payment', 'Autopay'] as const;
export type AggregateType = (typeof AGGREGATE_TYPES)[number];

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export interface NewEvent {
  aggregateType: AggregateType;
  aggregateId: string;
  /**
   * The aggregate's row was inserted by this same transaction (no other transaction can see it,
   * so none can be appending to it): its chain starts here at sequence 1, without the lock and
   * the head read. Set only right after creating the row; were it wrong, the unique
   * (aggregateType, aggregateId, sequence) index refuses the event and the transaction fails.
   */
  first?: boolean;
  /** What happened, `<aggregate>.<past tense>`: 'lease.accepted'. */
  type: string;
  actor: EventActor;
  reason?: string | null;
  /** The aggregate's full state after the change. Dates become ISO strings. Never secrets. */
  data: Record<string, unknown>;
}

export interface EventView {
  /** The row id (a 64-bit integer) as a string, since JSON has no 64-bit integers. */
  id: string;
  aggregateType: string;
  aggregateId: string;
  sequence: number;
  type: string;
  actor: { id: string | null; role: string };
  reason: string | null;
  data: JsonObject;
  createdAt: Date;
  prevHash: string | null;
  hash: string;
}

/**
 * Plain JSON with object keys sorted at every level, dates as ISO strings, and only integers
 * as numbers (money is integer cents; a float's text form is not stable across writers).
 * JSONB reorders keys and drops undefined, so hashes are computed over this form, never over
 * whatever object happened to be passed in.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(toJsonValue(value));
}

/** `value` as plain JSON (see canonicalJson); throws TypeError for anything JSON can't hold exactly. */
export function toJsonValue(value: unknown): JsonValue {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) throw new TypeError(`event data holds only whole numbers, got ${value}`);
    return value;
  }
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new TypeError('event data holds an invalid date');
    return value.toISOString();
  }
  if (Array.isArray(value)) return value.map((item) => (item === undefined ? null : toJsonValue(item)));
  if (typeof value === 'object') {
    const sorted: JsonObject = {};
    for (const key of Object.keys(value).sort()) {
      const item = (value as Record<string, unknown>)[key];
      if (item !== undefined) sorted[key] = toJsonValue(item);
    }
    return sorted;
  }
  throw new TypeError(`event data cannot hold a ${typeof value}`);
}

interface HashedContent {
  aggregateType: string;
  aggregateId: string;
  sequence: number;
  type: string;
  actorId: string | null;
  actorRole: string;
  reason: string | null;
  data: JsonValue;
  createdAt: Date;
  prevHash: string | null;
}

export function eventHash(content: HashedContent): string {
  return createHash('sha256').update(canonicalJson(content)).digest('hex');
}

/**
 * Takes transaction-scoped advisory locks on these keys, in one sorted order so that two
 * transactions locking overlapping sets cannot deadlock. Released at commit or rollback.
 * Must run inside a transaction: on a bare connection the lock would end with the statement.
 */
export async function lockKeys(tx: Tx, keys: string[]): Promise<void> {
  const sorted = [...new Set(keys)].sort();
  if (sorted.length === 0) return;
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(key, 0)) FROM unnest(${sorted}::text[]) WITH ORDINALITY AS keys(key, position) ORDER BY position`;
}

const aggregateKey = (type: string, id: string) => `event:${type}:${id}`;

interface ChainHead {
  aggregateType: string;
  aggregateId: string;
  sequence: number;
  hash: string;
  createdAt: Date;
}

/**
 * Appends events in one round of locking, reading and inserting, whatever their number (a
 * lease's creation writes one per installment). Several events for one aggregate get
 * consecutive sequences in the order given. Pass everything a transaction changed in one
 * call, so its locks are taken together in one order; a second call in the same transaction
 * is safe only for aggregates no other transaction can be holding while it waits for ours
 * (e.g. one created in the same transaction, which no other can see yet).
 */
export async function appendEvents(tx: Tx, events: NewEvent[]): Promise<EventView[]> {
  if (events.length === 0) return [];
  // Aggregates created in this transaction (`first`) have no chain yet and no other writer.
  const existing = events.filter((event) => !event.first);
  let heads: ChainHead[] = [];
  if (existing.length) {
    await lockKeys(tx, existing.map((event) => aggregateKey(event.aggregateType, event.aggregateId)));
    const types = existing.map((event) => event.aggregateType);
    const ids = existing.map((event) => event.aggregateId);
    // Read after the locks: under READ COMMITTED this statement sees every event committed by
    // the writer that held the lock before us.
    heads = await tx.$queryRaw<ChainHead[]>`
      SELECT DISTINCT ON (wanted.type, wanted.id) last."aggregateType", last."aggregateId", last.sequence, last.hash, last."createdAt"
      FROM unnest(${types}::text[], ${ids}::uuid[]) AS wanted(type, id)
      CROSS JOIN LATERAL (
        SELECT "aggregateType", "aggregateId", sequence, hash, "createdAt" FROM "Event"
        WHERE "aggregateType" = wanted.type AND "aggregateId" = wanted.id
        ORDER BY sequence DESC LIMIT 1
      ) AS last`;
  }
  const headOf = new Map(heads.map((head) => [aggregateKey(head.aggregateType, head.aggregateId), head]));

  const now = new Date();
  const rows = events.map((event) => {
    const key = aggregateKey(event.aggregateType, event.aggregateId);
    const head = headOf.get(key);
    // Never earlier than the previous event, so "as of" cuts by time agree with sequence order
    // even when app servers' clocks disagree by a few milliseconds.
    const createdAt = head && head.createdAt > now ? head.createdAt : now;
    const content: HashedContent = {
      aggregateType: event.aggregateType,
      aggregateId: event.aggregateId,
      sequence: (head?.sequence ?? 0) + 1,
      type: event.type,
      actorId: event.actor.id,
      actorRole: event.actor.role,
      reason: event.reason ?? null,
      data: toJsonValue(event.data),
      createdAt,
      prevHash: head?.hash ?? null,
    };
    const hash = eventHash(content);
    headOf.set(key, { aggregateType: event.aggregateType, aggregateId: event.aggregateId, sequence: content.sequence, hash, createdAt });
    return { ...content, hash };
  });

  const created = await insertEvents(tx, rows);
  // The one call site of webhooks: every event whose type an endpoint can subscribe to.
  await enqueueWebhooks(tx, events);
  return created;
}

/** The column types of an event row (insertRows). */
const EVENT_COLUMNS: ColumnTypes<HashedContent & { hash: string }> = {
  aggregateType: 'text',
  aggregateId: 'uuid',
  sequence: 'int',
  type: 'text',
  actorId: 'uuid',
  actorRole: 'text',
  reason: 'text',
  data: 'jsonb',
  createdAt: 'timestamptz',
  prevHash: 'text',
  hash: 'text',
};

/** Inserts hashed rows in one statement (insertRows) and answers them as views, in id (= insertion) order. */
async function insertEvents(tx: Tx, rows: (HashedContent & { hash: string })[]): Promise<EventView[]> {
  const inserted = await insertRows<HashedContent & { hash: string }, { id: bigint; aggregateType: string; aggregateId: string; sequence: number }>(tx, 'Event', EVENT_COLUMNS, rows, {
    returning: 'id, "aggregateType", "aggregateId", sequence',
  });
  // Matched by (aggregate, sequence), unique within the statement.
  const idOf = new Map(inserted.map((row) => [`${row.aggregateType}:${row.aggregateId}:${row.sequence}`, row.id]));
  return rows
    .map((row) => toEventView({ ...row, id: idOf.get(`${row.aggregateType}:${row.aggregateId}:${row.sequence}`)! }))
    .sort((a, b) => Number(BigInt(a.id) - BigInt(b.id)));
}

export async function appendEvent(tx: Tx, event: NewEvent): Promise<EventView> {
  const [appended] = await appendEvents(tx, [event]);
  return appended!;
}

type EventRow = Awaited<ReturnType<Tx['event']['findFirstOrThrow']>>;

/** An "Event" row (from Prisma or a raw query) as the API shows it. */
export function toEventView(row: Omit<EventRow, 'data'> & { data: unknown }): EventView {
  return {
    id: row.id.toString(),
    aggregateType: row.aggregateType,
    aggregateId: row.aggregateId,
    sequence: row.sequence,
    type: row.type,
    actor: { id: row.actorId, role: row.actorRole },
    reason: row.reason,
    data: row.data as JsonObject,
    createdAt: row.createdAt,
    prevHash: row.prevHash,
    hash: row.hash,
  };
}

/** An aggregate's events in sequence order (the unique index serves this read). */
export async function listEvents(tx: Tx, aggregateType: AggregateType, aggregateId: string): Promise<EventView[]> {
  const rows = await tx.event.findMany({ where: { aggregateType, aggregateId }, orderBy: { sequence: 'asc' } });
  return rows.map(toEventView);
}

export type ChainVerification = { ok: true; count: number } | { ok: false; brokenAt: number; reason: string };

/** One stored event as the chain check reads it (a database row, or a line of an export): what its hash covers, and the hash. */
export type ChainLink = HashedContent & { hash: string };

/**
 * Why `link` does not follow `previous` (the same aggregate's event before it, undefined for
 * its first), or null when it does: the next sequence, the previous hash, and its own hash
 * recomputed from its content.
 */
export function chainProblem(link: ChainLink, previous: Pick<ChainLink, 'sequence' | 'hash'> | undefined): string | null {
  const expectedSequence = (previous?.sequence ?? 0) + 1;
  if (link.sequence !== expectedSequence) return `sequence ${expectedSequence} is missing before ${link.sequence}`;
  if (link.prevHash !== (previous?.hash ?? null)) return 'prevHash does not match the previous event’s hash';
  const recomputed = eventHash({
    aggregateType: link.aggregateType,
    aggregateId: link.aggregateId,
    sequence: link.sequence,
    type: link.type,
    actorId: link.actorId,
    actorRole: link.actorRole,
    reason: link.reason,
    data: link.data,
    createdAt: link.createdAt,
    prevHash: link.prevHash,
  });
  if (recomputed !== link.hash) return 'content does not match its hash (the row was altered)';
  return null;
}

export interface BrokenChain {
  aggregateType: string;
  aggregateId: string;
  /** The first event of the chain that does not fit. */
  sequence: number;
  reason: string;
}

/**
 * Follows many chains at once through events in id order (a database read or an export
 * file): each event must be its aggregate's next sequence, name the previous event's hash,
 * and hash to its own `hash`. Only an aggregate's first broken event is reported.
 * `partial`: an aggregate's first event seen may be later than sequence 1 (an export filtered
 * by type or time); its link to the events before it cannot be checked, the rest can.
 */
export class ChainFollower {
  private readonly heads = new Map<string, { sequence: number; hash: string } | 'broken'>();
  readonly broken: BrokenChain[] = [];
  events = 0;

  constructor(private readonly options: { partial?: boolean } = {}) {}

  get chains(): number {
    return this.heads.size;
  }

  add(link: Parameters<typeof chainProblem>[0]): void {
    this.events += 1;
    const key = `${link.aggregateType}:${link.aggregateId}`;
    const head = this.heads.get(key);
    if (head === 'broken') return;
    const previous = head ?? (this.options.partial && link.sequence > 1 ? { sequence: link.sequence - 1, hash: link.prevHash ?? '' } : undefined);
    const problem = chainProblem(link, previous);
    if (problem) {
      this.heads.set(key, 'broken');
      this.broken.push({ aggregateType: link.aggregateType, aggregateId: link.aggregateId, sequence: link.sequence, reason: problem });
    } else {
      this.heads.set(key, { sequence: link.sequence, hash: link.hash });
    }
  }
}

/** Recomputes every hash of one aggregate's chain and names the first row that does not fit. */
export async function verifyChain(tx: Tx, aggregateType: AggregateType, aggregateId: string): Promise<ChainVerification> {
  const rows = await tx.event.findMany({ where: { aggregateType, aggregateId }, orderBy: { sequence: 'asc' } });
  let previous: EventRow | undefined;
  for (const row of rows) {
    const problem = chainProblem({ ...row, data: row.data as JsonValue }, previous);
    if (problem) return { ok: false, brokenAt: row.sequence, reason: problem };
    previous = row;
  }
  return { ok: true, count: rows.length };
}

export interface Replayed {
  /** The aggregate's state rebuilt from its events. */
  state: JsonObject;
  /** The last event folded in. */
  sequence: number;
  at: Date;
}

/**
 * Rebuilds an aggregate's state from its events alone — as it is now, or as it was at `asOf`
 * (events recorded at or before that instant). Null when it did not exist yet. Each event's
 * data is the full state after its change, so the fold is a key-by-key merge in sequence
 * order where later events win.
 */
export async function replay(tx: Tx, aggregateType: AggregateType, aggregateId: string, asOf?: Date): Promise<Replayed | null> {
  return (await replayAll(tx, aggregateType, [aggregateId], asOf)).get(aggregateId) ?? null;
}

/**
 * `replay` for many aggregates of one type in one read (a lease's installments or payments):
 * each id that existed by `asOf` maps to its rebuilt state; ids that did not are absent.
 */
export async function replayAll(tx: Tx, aggregateType: AggregateType, aggregateIds: string[], asOf?: Date): Promise<Map<string, Replayed>> {
  const replayed = new Map<string, Replayed>();
  if (aggregateIds.length === 0) return replayed;
  const rows = await tx.event.findMany({
    where: { aggregateType, aggregateId: { in: aggregateIds }, ...(asOf ? { createdAt: { lte: asOf } } : {}) },
    orderBy: [{ aggregateId: 'asc' }, { sequence: 'asc' }],
    select: { aggregateId: true, sequence: true, data: true, createdAt: true },
  });
  for (const row of rows) {
    const folded = replayed.get(row.aggregateId)?.state ?? {};
    replayed.set(row.aggregateId, { state: { ...folded, ...(row.data as JsonObject) }, sequence: row.sequence, at: row.createdAt });
  }
  return replayed;
}

export interface AggregateHistory {
  events: EventView[];
  /** Only when asked with `asOf`: the state then, rebuilt from the events (null before the aggregate existed). */
  asOf: { at: Date; sequence: number | null; state: JsonObject | null } | null;
}

/** An aggregate's events and, with `asOf`, its state at that moment. The caller checks who may see it. */
export async function aggregateHistory(tx: Tx, aggregateType: AggregateType, aggregateId: string, asOf?: Date): Promise<AggregateHistory> {
  const events = await listEvents(tx, aggregateType, aggregateId);
  if (!asOf) return { events, asOf: null };
  const replayed = await replay(tx, aggregateType, aggregateId, asOf);
  return { events, asOf: { at: asOf, sequence: replayed?.sequence ?? null, state: replayed?.state ?? null } };
}
