// npm run audit:verify as a process, on this file's database as the owner: exit 0 when every
// chain verifies and every record (payments included) replays to its row; exit 1, naming the
// difference, after a row is changed without its event or an event is altered.
import pg from 'pg';
import { beforeAll, describe, expect, it } from 'vitest';
import { db } from '@/server/db';
import { createPayment } from '@/server/domain/payments';
import { settlePayment, submitPayment } from '@/server/domain/settlement';
import { testDatabaseUrl } from '@/server/testing/database';
import { runScript } from '@/server/testing/run-script';
import { payingRenter } from '@/server/testing/payments';

const auditVerify = () => runScript('audit-verify');

async function asOwner(statements: string[], values: unknown[][] = []) {
  const owner = new pg.Client({ connectionString: testDatabaseUrl });
  await owner.connect();
  try {
    await owner.query('BEGIN');
    for (const [index, sql] of statements.entries()) await owner.query(sql, values[index] ?? []);
    await owner.query('COMMIT');
  } finally {
    await owner.end();
  }
}

let paymentId: string;
beforeAll(async () => {
  const setup = await payingRenter();
  const { result } = await createPayment(db, { id: setup.renter.id, role: 'RENTER' }, { installmentId: setup.lease.installments[0]!.id, fromAccountId: setup.from.id, rail: 'RTP' }, null);
  await db.$transaction((tx) => submitPayment(tx, result.id));
  await db.$transaction((tx) => settlePayment(tx, result.id, { ok: true }));
  paymentId = result.id;
});

describe('npm run audit:verify', () => {
  it('exits 0 with a summary when history and tables agree', { timeout: 150_000 }, async () => {
    const { code, output } = await auditVerify();
    expect(output).toMatch(/(\d+) of \1 records replay to their stored rows; (\d+) of \2 chains intact \(\d+ events\); 0 differences/);
    expect(code).toBe(0);
  });

  it('exits 1 naming a payment changed without its event, and an altered event', { timeout: 150_000 }, async () => {
    await asOwner([`UPDATE "Payment" SET "failureReason" = 'edited behind the history''s back' WHERE id = $1`], [[paymentId]]);
    let run = await auditVerify();
    expect(run.code).toBe(1);
    expect(run.output).toContain(`DIFFERENCE Payment ${paymentId}: replayed`);
    expect(run.output).toMatch(/1 difference \(/);

    await asOwner([`UPDATE "Payment" SET "failureReason" = NULL WHERE id = $1`], [[paymentId]]);
    await asOwner(
      ['ALTER TABLE "Event" DISABLE TRIGGER USER', `UPDATE "Event" SET reason = 'rewritten' WHERE "aggregateType" = 'Payment' AND "aggregateId" = $1 AND sequence = 1`, 'ALTER TABLE "Event" ENABLE TRIGGER USER'],
      [[], [paymentId], []],
    );
    run = await auditVerify();
    expect(run.code).toBe(1);
    expect(run.output).toContain(`DIFFERENCE Payment ${paymentId}: chain broken at 1 (content does not match its hash (the row was altered))`);
  });
});
