// Transactions with few round trips. Most of the engine's writes need no answer (store a
// step, move a due time, add an event), so they are deferred and sent together with the
// next statement that does need one, or with the COMMIT: they cost no round trip of their
// own, and a call to the app that only runs a step costs two (claim, commit; README.md).
// Deferred statements run in order, before any later query, so reads see earlier writes.
// Statements travel in the simple query protocol, with values inlined by pg's own
// `escapeLiteral`; results are parsed by the same type parsers as parameterized queries.
import pg from 'pg';

export interface Queryable {
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(text: string, values?: unknown[]): Promise<pg.QueryResult<R>>;
}

function literal(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`cannot send ${value} to PostgreSQL`);
    return `(${value})`;
  }
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'string') return pg.escapeLiteral(value);
  if (value instanceof Date) return pg.escapeLiteral(value.toISOString());
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) {
    return value.length ? `ARRAY[${value.map((item) => pg.escapeLiteral(item)).join(', ')}]::text[]` : `'{}'::text[]`;
  }
  throw new TypeError('only strings, numbers, booleans, dates, null and string arrays are sent inline (JSON must be stringified)');
}

/** `text` with its `$n` parameters replaced by SQL literals. */
export function inline(text: string, values: readonly unknown[] = []): string {
  return text.replace(/\$(\d+)/g, (_, index: string) => {
    const position = Number(index) - 1;
    if (position >= values.length) throw new RangeError(`no value for $${index}`);
    return literal(values[position]);
  });
}

export class Tx implements Queryable {
  private pending: string[] = ['begin'];
  private readonly committed = new Set<() => void>();
  private client: pg.PoolClient | null;
  private readonly pool: pg.Pool | null;

  /**
   * On `client`, or on a connection taken from `pool` only when the first statement is sent
   * (so a Tx can be prepared before a long wait without holding a connection through it).
   */
  constructor(source: pg.PoolClient | pg.Pool) {
    this.client = source instanceof pg.Pool ? null : source;
    this.pool = source instanceof pg.Pool ? source : null;
  }

  /** The connection, taken from the pool on first use; the caller releases it (`release`). */
  async connection(): Promise<pg.PoolClient> {
    this.client ??= await this.pool!.connect();
    return this.client;
  }

  /** Returns a connection taken from the pool to it. */
  release(): void {
    if (this.pool && this.client) this.client.release();
    if (this.pool) this.client = null;
  }

  /** Queues a statement whose result is not needed. */
  defer(text: string, values: readonly unknown[] = []): void {
    this.pending.push(inline(text, values));
  }

  /** Runs `text` after everything deferred, in one round trip, and returns its result. */
  async query<R extends pg.QueryResultRow = pg.QueryResultRow>(text: string, values: readonly unknown[] = []): Promise<pg.QueryResult<R>> {
    const statements = [...this.pending, inline(text, values)];
    this.pending = [];
    const result = (await (await this.connection()).query(statements.join(';\n'))) as unknown as pg.QueryResult<R> | pg.QueryResult<R>[];
    return Array.isArray(result) ? result[result.length - 1]! : result;
  }

  /** Runs `hook` once the transaction has committed (e.g. to wake workers for new runs). */
  afterCommit(hook: () => void): void {
    this.committed.add(hook);
  }

  async commit(): Promise<void> {
    await this.query('commit');
    for (const hook of this.committed) hook();
  }

  async rollback(): Promise<void> {
    this.pending = [];
    if (this.client) await this.client.query('rollback');
  }
}

/** Runs `work` in a transaction on a pooled connection; rolls back if it throws. */
export async function transaction<T>(pool: pg.Pool, work: (tx: Tx) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  const tx = new Tx(client);
  try {
    const result = await work(tx);
    await tx.commit();
    return result;
  } catch (error) {
    await tx.rollback().catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
