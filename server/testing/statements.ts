// Counting round trips (issue 13): the SQL statements node-postgres sends while a call runs.
import pg from 'pg';

/**
 * Runs `call` and returns what it answered with every statement sent to PostgreSQL meanwhile,
 * in order, whitespace folded (one statement is one round trip). pg.Client#query is wrapped for
 * the call only; calls must not overlap.
 */
export async function recordStatements<T>(call: () => Promise<T>): Promise<{ result: T; statements: string[]; names: string[] }> {
  const statements: string[] = [];
  /** Each statement's prepared-statement name ('' when sent unnamed: parsed and planned anew). */
  const names: string[] = [];
  const original = pg.Client.prototype.query;
  pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
    const first = args[0] as string | { text?: string; name?: string } | undefined;
    statements.push((typeof first === 'string' ? first : (first?.text ?? '?')).replace(/\s+/g, ' ').trim());
    names.push(typeof first === 'string' ? '' : (first?.name ?? ''));
    return (original as (...a: unknown[]) => unknown).apply(this, args);
  } as typeof original;
  try {
    return { result: await call(), statements, names };
  } finally {
    pg.Client.prototype.query = original;
  }
}
