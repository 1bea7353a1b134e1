// npx tsx scripts/verify-export.ts <events.csv | events.jsonl> — verifies an export of the
// audit trail offline, with no database: for every event, in file order, its sequence follows
// the previous event of the same aggregate, its prevHash is that event's hash, and its hash is
// SHA-256 (hex) over the canonical JSON of its content (server/domain/events.ts eventHash;
// README "Verifying an export offline"). A file filtered by type or time holds parts of chains:
// an aggregate's first event in the file is then trusted for its link to earlier events.
// Exits 1 when any chain is broken, 2 when the file cannot be read.
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { ChainFollower, type ChainLink } from '../server/domain/events';
import { formulaUnescape } from '../server/export/formula';
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

async function* records(file: string): AsyncGenerator<Record<string, unknown>> {
  if (file.endsWith('.jsonl')) {
    for await (const line of createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity })) {
      if (line.trim()) yield JSON.parse(line) as Record<string, unknown>;
    }
  } else {
    // Text cells a spreadsheet would run as a formula were written with an apostrophe before them.
    for await (const record of csvRecords(createReadStream(file, 'utf8'))) {
      yield Object.fromEntries(Object.entries(record).map(([key, cell]) => [key, formulaUnescape(cell)]));
    }
  }
}

/** Verifies the file's chains; the summary lines go to `log`. */
export async function verifyExportFile(file: string, log: (line: string) => void = console.log): Promise<{ events: number; chains: number; broken: ChainFollower['broken'] }> {
  const follower = new ChainFollower({ partial: true });
  for await (const record of records(file)) follower.add(linkOf(record));
  for (const broken of follower.broken) log(`BROKEN ${broken.aggregateType} ${broken.aggregateId} at sequence ${broken.sequence}: ${broken.reason}`);
  log(`${follower.events} events in ${follower.chains} chains: ${follower.broken.length === 0 ? 'every chain intact' : `${follower.broken.length} broken`}`);
  return { events: follower.events, chains: follower.chains, broken: follower.broken };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const file = process.argv[2];
  if (!file) {
    console.error('usage: npx tsx scripts/verify-export.ts <events.csv | events.jsonl>');
    process.exit(2);
  }
  try {
    const { broken } = await verifyExportFile(file);
    process.exit(broken.length === 0 ? 0 : 1);
  } catch (error) {
    console.error(`cannot read ${file}: ${(error as Error).message}`);
    process.exit(2);
  }
}
