// Checks that the event history and the tables tell the same story: every record of every
// aggregate table (users, bank accounts, properties, leases, installments and payments) has a
// history, its chain verifies, and replaying it from the events alone gives exactly the record
// as stored now. Test files call it last, over everything they made. The same check is
// `npm run audit:verify` (server/domain/audit.ts auditDatabase).
import { db } from '@/server/db';
import { auditDatabase } from '@/server/domain/audit';

/** Every disagreement between history and tables, as readable lines; empty when they agree. */
export async function historyMismatches(): Promise<{ checked: number; mismatches: string[] }> {
  const { records, mismatches } = await auditDatabase(db);
  return { checked: records, mismatches };
}
