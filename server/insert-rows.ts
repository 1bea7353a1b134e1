// Multi-row inserts as one prepared statement, for the write paths.
//
// Prisma 7's createMany and createManyAndReturn compile their query plan in its WebAssembly
// query compiler on every call: its plan cache (client.js, `request`) skips both actions, since
// their shape depends on the number of rows. In a CPU profile of 500 lease.create calls that
// compiling was 11.7 % of the app's busy time; a transaction appending one event took 2.76 ms
// with createManyAndReturn and 2.06 ms with this (BENCHMARKS.md, "Inserts without the query
// compiler"). Every write appends events, and settlement also writes notices and mail, so every
// insert of rows on a hot path goes through here instead: one `INSERT … SELECT FROM unnest(…)`
// whose text depends only on the table and columns, so node-postgres prepares it once per
// connection (server/db.ts statementNames).
import { Prisma } from '@/server/generated/prisma/client';
import type { Tx } from '@/server/db';

/**
 * The PostgreSQL type of each column's values (the element type of the array it is passed as):
 * 'uuid', 'text', 'int', 'boolean', 'jsonb', 'date', 'timestamptz'. Date values are passed as
 * ISO instants; 'jsonb' values as their JSON text (JSON.stringify), so they are stored as given.
 */
export type ColumnTypes<Row> = { [K in keyof Row & string]: string };

export interface InsertRowsOptions {
  /** Columns the statement fills itself, by SQL expression: `{ id: 'gen_random_uuid()', updatedAt: 'now()' }`. */
  computed?: Record<string, string>;
  /** A RETURNING list (SQL, quoted column names), or none. */
  returning?: string;
}

const quote = (name: string) => `"${name}"`;

/**
 * Inserts `rows` into `table` in one statement and answers the RETURNING rows (none without
 * `returning`), in no promised order: match them by a key. Table and column names come from
 * code, never from input. A constraint's refusal throws as any statement's would.
 */
export async function insertRows<Row extends object, Returned = never>(
  tx: Tx,
  table: string,
  types: ColumnTypes<Row>,
  rows: Row[],
  options: InsertRowsOptions = {},
): Promise<Returned[]> {
  if (!rows.length) return [];
  const names = Object.keys(types) as (keyof Row & string)[];
  const computed = Object.entries(options.computed ?? {});
  const arrays = names.map((name) => {
    const type = types[name];
    const values = rows.map((row) => {
      const value: unknown = row[name];
      if (value === undefined || value === null) return null;
      if (type === 'jsonb') return JSON.stringify(value);
      if (value instanceof Date) return value.toISOString();
      return value;
    });
    return Prisma.sql`${values}::${Prisma.raw(type)}[]`;
  });
  const target = [...computed.map(([name]) => name), ...names].map(quote).join(', ');
  const source = [...computed.map(([, sql]) => sql), ...names.map(quote)].join(', ');
  const statement = Prisma.sql`INSERT INTO ${Prisma.raw(quote(table))} (${Prisma.raw(target)})
    SELECT ${Prisma.raw(source)} FROM unnest(${Prisma.join(arrays)}) AS t(${Prisma.raw(names.map(quote).join(', '))})${Prisma.raw(options.returning ? ` RETURNING ${options.returning}` : '')}`;
  if (!options.returning) {
    await tx.$executeRaw(statement);
    return [];
  }
  return tx.$queryRaw<Returned[]>(statement);
}
