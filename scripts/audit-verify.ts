// npm run audit:verify — checks the whole database as an operator would: every event chain
// recomputes (sequence, previous hash, own hash), every record of every aggregate table
// (users, bank accounts, properties, leases, installments, payments) replays from its events
// to exactly the row as stored, no events belong to a record that does not exist, and every
// ledger transaction balances (server/domain/audit.ts auditDatabase, the same check every test
// file ends with).
// Connects as the owner (MIGRATION_DATABASE_URL, else DATABASE_URL, else the embedded
// development database) and only reads: it creates no database, role or file, and says in one
// line (exit 1) when there is no database or table to read. Prints a summary and each difference; exits 1 on
// any difference, 0 when history and tables agree.
import { describeScriptFailure, withDatabase } from './lib/database-url';

/** Runs the audit on `databaseUrl`; resolves to the process exit code. */
export async function auditVerify(databaseUrl: string, log: (line: string) => void = console.log): Promise<number> {
  process.env.DATABASE_URL = databaseUrl;
  const { db, disconnectDb } = await import('@/server/db');
  const { auditDatabase } = await import('@/server/domain/audit');
  try {
    const started = Date.now();
    // One snapshot of the whole database (repeatable read, read only): a payment settling while
    // the audit runs cannot show up as a difference between a row and its events.
    const audit = await db.$transaction(
      async (tx) => {
        await tx.$executeRaw`SET TRANSACTION READ ONLY`;
        return auditDatabase(tx);
      },
      { isolationLevel: 'RepeatableRead', maxWait: 60_000, timeout: 6 * 60 * 60_000 },
    );
    for (const mismatch of audit.mismatches) log(`DIFFERENCE ${mismatch}`);
    log(
      `${audit.consistent} of ${audit.records} records replay to their stored rows; ` +
        `${audit.chains.chains - audit.chains.broken.length} of ${audit.chains.chains} chains intact (${audit.chains.events} events); ` +
        `${audit.ledgerTransactions} ledger transactions checked for double entry; ` +
        `${audit.mismatches.length} difference${audit.mismatches.length === 1 ? '' : 's'} (${((Date.now() - started) / 1000).toFixed(1)} s)`,
    );
    return audit.mismatches.length === 0 ? 0 : 1;
  } finally {
    await disconnectDb();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    process.exit(await withDatabase(({ migrationUrl }) => auditVerify(migrationUrl), console.log, { existingOnly: true }));
  } catch (error) {
    console.error(`audit:verify: ${describeScriptFailure(error)}`);
    process.exit(1);
  }
}
