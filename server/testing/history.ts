// Checks that the event history and the tables tell the same story: every record of every
// aggregate table has a history, its chain verifies, and replaying it from the events alone
// gives exactly the record as stored now. Test files call it last, over everything they made.
import { isDeepStrictEqual } from 'node:util';
import { db } from '@/server/db';
import { bankAccountSnapshot } from '@/server/domain/bank-accounts';
import { replay, toJsonValue, verifyChain, type AggregateType } from '@/server/domain/events';
import { leaseSnapshot } from '@/server/domain/lease-state';
import { installmentSnapshot } from '@/server/domain/leases';
import { propertySnapshot } from '@/server/domain/properties';
import { userSnapshot } from '@/server/domain/users';

async function currentSnapshots(): Promise<[AggregateType, Map<string, unknown>][]> {
  const byId = <T extends { id: string }>(rows: T[], snapshot: (row: T) => unknown) => new Map(rows.map((row) => [row.id, snapshot(row)]));
  return [
    ['User', byId(await db.user.findMany({ select: { id: true, email: true, name: true, role: true, createdAt: true } }), userSnapshot)],
    ['BankAccount', byId(await db.bankAccount.findMany(), bankAccountSnapshot)],
    ['Property', byId(await db.property.findMany(), propertySnapshot)],
    ['Lease', byId(await db.lease.findMany(), leaseSnapshot)],
    ['Installment', byId(await db.installment.findMany(), installmentSnapshot)],
  ];
}

/** Every disagreement between history and tables, as readable lines; empty when they agree. */
export async function historyMismatches(): Promise<{ checked: number; mismatches: string[] }> {
  const mismatches: string[] = [];
  let checked = 0;
  for (const [type, snapshots] of await currentSnapshots()) {
    for (const [id, snapshot] of snapshots) {
      checked += 1;
      const replayed = await replay(db, type, id);
      if (!replayed) {
        mismatches.push(`${type} ${id} has no events`);
        continue;
      }
      const expected = toJsonValue(snapshot);
      if (!isDeepStrictEqual(replayed.state, expected)) {
        mismatches.push(`${type} ${id}: replayed ${JSON.stringify(replayed.state)} but the row is ${JSON.stringify(expected)}`);
      }
      const chain = await verifyChain(db, type, id);
      if (!chain.ok) mismatches.push(`${type} ${id}: chain broken at ${chain.brokenAt} (${chain.reason})`);
    }
    const aggregates = await db.event.findMany({ where: { aggregateType: type }, distinct: ['aggregateId'], select: { aggregateId: true } });
    for (const { aggregateId } of aggregates) {
      if (!snapshots.has(aggregateId)) mismatches.push(`${type} ${aggregateId} has events but no row`);
    }
  }
  return { checked, mismatches };
}
