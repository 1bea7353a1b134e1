// npx tsx scripts/verify-export.ts <events.csv | events.jsonl> — verifies an export of the
// audit trail offline, with no database: for every event, in file order, its sequence follows
// the previous event of the same aggregate, its prevHash is that event's hash, and its hash is
// SHA-256 (hex) over the canonical JSON of its content (server/domain/events.ts eventHash;
// README "Verifying an export offline"). A file filtered by type or time holds parts of chains:
// an aggregate's first event in the file is then trusted for its link to earlier events.
// In CSV it also checks that every text cell is written as the export writes it (a formula
// escaped by an apostrophe), so a cell edited to run in a spreadsheet does not pass.
// Exits 1 when any chain is broken or any cell is unsafe, 2 when the file cannot be read.
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { ChainFollower, type ChainLink } from '../server/domain/events';
import { formulaSafe, formulaUnescape } from '../server/export/formula';
import { csvRecords } from './lib/csv-records';

/** An export line as the chain check reads it: empty CSV fields are null, `data` is JSON text in CSV. */
function linkOf(record: Record<string, unknown>): ChainLink {
  const text = (key: string) => (record[key] === '' || record[key] === undefined ? null : (record[key] as string | null));
  return {
    aggregateType: String(record.aggregateType),
    aggregateId: String(record.aggregateId),
    sequence: Number(record.sequence),
    type: String(record.type),
    actorId: text('actorId'),
    actorRole: String(record.actorRole),
    reason: text('reason'),
    data: typeof record.data === 'string' ? JSON.parse(record.data) : (record.data as ChainLink['data']),
    createdAt: new Date(String(record.createdAt)),
    prevHash: text('prevHash'),
    hash: String(record.hash),
  };
}

/** A CSV cell a spreadsheet would run as a formula: not written as DirectPay writes it (an apostrophe removed since). */
export interface UnsafeCell {
  /** 1 for the first record after the header. */
  record: number;
  column: string;
}

async function* records(file: string, unsafe: UnsafeCell[]): AsyncGenerator<Record<string, unknown>> {
  if (file.endsWith('.jsonl')) {
    for await (const line of createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity })) {
      if (line.trim()) yield JSON.parse(line) as Record<string, unknown>;
    }
  } else {
    // Text cells a spreadsheet would run as a formula were written with an apostrophe before them;
    // a cell not written so (its apostrophe removed) would run in the reader's spreadsheet.
    let index = 0;
    for await (const record of csvRecords(createReadStream(file, 'utf8'))) {
      index += 1;
      const text: Record<string, string> = {};
      for (const [column, cell] of Object.entries(record)) {
        text[column] = formulaUnescape(cell);
        if (formulaSafe(text[column]) !== cell) unsafe.push({ record: index, column });
      }
      yield text;
    }
  }
}

/** Verifies the file's chains and, in CSV, that no cell would run as a formula; the summary lines go to `log`. */
export async function verifyExportFile(
  file: string,
  log: (line: string) => void = console.log,
): Promise<{ events: number; chains: number; broken: ChainFollower['broken']; unsafe: UnsafeCell[] }> {
  const follower = new ChainFollower({ partial: true });
  const unsafe: UnsafeCell[] = [];
  for await (const record of records(file, unsafe)) follower.add(linkOf(record));
  for (const broken of follower.broken) log(`BROKEN ${broken.aggregateType} ${broken.aggregateId} at sequence ${broken.sequence}: ${broken.reason}`);
  for (const cell of unsafe) log(`UNSAFE record ${cell.record}, ${cell.column}: a spreadsheet would run this cell as a formula (not as exported)`);
  log(`${follower.events} events in ${follower.chains} chains: ${follower.broken.length === 0 ? 'every chain intact' : `${follower.broken.length} broken`}${unsafe.length ? `; ${unsafe.length} unsafe cell${unsafe.length === 1 ? '' : 's'}` : ''}`);
  return { events: follower.events, chains: follower.chains, broken: follower.broken, unsafe };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const file = process.argv[2];
  if (!file) {
    console.error('usage: npx tsx scripts/verify-export.ts <events.csv | events.jsonl>');
    process.exit(2);
  }
  try {
    const { broken, unsafe } = await verifyExportFile(file);
    process.exit(broken.length === 0 && unsafe.length === 0 ? 0 : 1);
  } catch (error) {
    console.error(`cannot read ${file}: ${(error as Error).message}`);
    process.exit(2);
  }
}
