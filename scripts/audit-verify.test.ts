// npm run audit:verify as a process, on this file's database as the owner: exit 0 when every
// chain verifies and every record (payments included) replays to its row; exit 1, naming the
// difference, after a row is changed without its event or an event is altered; where there is no
// database it says so in one line (exit 1) and creates none.
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { db } from '@/server/db';
import { createPayment } from '@/server/domain/payments';
import { settlePayment, submitPayment } from '@/server/domain/settlement';
import { asOwner } from '@/server/testing/database';
import { runScript } from '@/server/testing/run-script';
import { payingRenter } from '@/server/testing/payments';
import { testTempDir } from '@/server/testing/temp-dir';

const auditVerify = () => runScript('audit-verify');

let paymentId: string;
beforeAll(async () => {
  const setup = await payingRenter();
  const { result } = await createPayment(db, { id: setup.renter.id, role: 'RENTER' }, { installmentId: setup.lease.installments[0]!.id, fromAccountId: setup.from.id, rail: 'RTP' }, null);
  await db.$transaction((tx) => submitPayment(tx, result.id));
  await db.$transaction((tx) => settlePayment(tx, result.id, { ok: true }));
  paymentId = result.id;
});

describe('npm run audit:verify', () => {
  it('says there is no database, and creates nothing, where the data directory holds none', { timeout: 150_000 }, async () => {
    const dataDir = path.join(testTempDir('directpay-nodb-'), 'data');
    const { code, output } = await runScript('audit-verify', [], { env: { DATABASE_URL: undefined, MIGRATION_DATABASE_URL: undefined, DIRECTPAY_DATA_DIR: dataDir } });
    expect(output).toContain(`audit:verify: no DirectPay database at ${dataDir} (run npm run dev or npm start first)`);
    expect(output).not.toMatch(/\n\s+at /);
    expect(code).toBe(1);
    expect(fs.existsSync(dataDir)).toBe(false);
  });

  it('exits 0 with a summary when history and tables agree', { timeout: 150_000 }, async () => {
    const { code, output } = await auditVerify();
    expect(output).toMatch(/(\d+) of \1 records replay to their stored rows; (\d+) of \2 chains intact \(\d+ events\); [1-9]\d* ledger transactions checked for double entry; 0 differences/);
    expect(code).toBe(0);
  });

  it('exits 1 naming a payment changed without its event, and an altered event', { timeout: 150_000 }, async () => {
    // Below the app's rights and the database's own rules (Payment_terms_are_fixed off): what only a superuser could do.
    const behindTheRules = { without: [['Payment', 'Payment_terms_are_fixed']] as [string, string][] };
    await asOwner([[`UPDATE "Payment" SET "failureReason" = 'edited behind the history''s back' WHERE id = $1`, [paymentId]]], behindTheRules);
    let run = await auditVerify();
    expect(run.code).toBe(1);
    expect(run.output).toContain(`DIFFERENCE Payment ${paymentId}: replayed`);
    expect(run.output).toMatch(/1 difference \(/);

    await asOwner([[`UPDATE "Payment" SET "failureReason" = NULL WHERE id = $1`, [paymentId]]], behindTheRules);
    await asOwner([[`UPDATE "Event" SET reason = 'rewritten' WHERE "aggregateType" = 'Payment' AND "aggregateId" = $1 AND sequence = 1`, [paymentId]]], { without: [['Event', 'USER']] });
    run = await auditVerify();
    expect(run.code).toBe(1);
    expect(run.output).toContain(`DIFFERENCE Payment ${paymentId}: chain broken at 1 (content does not match its hash (the row was altered))`);
  });

  it('exits 1 naming a ledger transaction that does not balance, written around the database\'s check (found by a stranger: the audit said 0 differences)', { timeout: 150_000 }, async () => {
    const [posted] = await db.$queryRaw<{ id: bigint }[]>`SELECT id FROM "LedgerTransaction" WHERE "paymentId" = ${paymentId}::uuid ORDER BY id LIMIT 1`;
    const transactionId = String(posted!.id);
    await asOwner([[`INSERT INTO "LedgerEntry" ("transactionId", account, "amountCents") VALUES ($1, 'RENTER_RECEIVABLE', 999999)`, [transactionId]]], { without: [['LedgerEntry', 'ALL']] });
    const run = await auditVerify();
    expect(run.code).toBe(1);
    expect(run.output).toMatch(new RegExp(`DIFFERENCE ledger transaction ${transactionId} does not balance: \\d+ entries summing to 999999 cents`));
  });

  it('exits 1 naming an installment paid by two completed payments, one a payoff covering it (found by a stranger: 0 differences)', { timeout: 150_000 }, async () => {
    const paid = await db.payment.findUniqueOrThrow({ where: { id: paymentId } });
    // A completed payoff written whole, with a part for the paid installment: past every rule on both tables.
    const [inserted, part] = await asOwner(
      [
        [
          `INSERT INTO "Payment" (id, kind, "installmentId", "leaseId", "renterId", "landlordId", "fromAccountId", "toAccountId", rail, "amountCents", status, "submitAt", "expectedSettlementAt", "updatedAt")
           SELECT gen_random_uuid(), 'PAYOFF', i.id, p."leaseId", p."renterId", p."landlordId", p."fromAccountId", p."toAccountId", 'RTP', p."amountCents", 'COMPLETED', now(), now(), now()
             FROM "Payment" p JOIN "Installment" i ON i."leaseId" = p."leaseId" AND i.number = 2 WHERE p.id = $1 RETURNING id::text`,
          [paymentId],
        ],
        [`INSERT INTO "PayoffInstallment" ("paymentId", "installmentId", "rentCents", "lateFeeCents", "discountCents") SELECT id, $1, 1, 0, 0 FROM "Payment" WHERE kind = 'PAYOFF' AND "leaseId" = (SELECT "leaseId" FROM "Payment" WHERE id = $2)`, [paid.installmentId, paymentId]],
      ],
      { without: [['Payment', 'USER'], ['PayoffInstallment', 'USER']] },
    );
    expect(part!.rowCount).toBe(1);
    const payoff = inserted!.rows[0] as { id: string };
    const run = await auditVerify();
    expect(run.code).toBe(1);
    expect(run.output).toContain(`DIFFERENCE installment ${paid.installmentId} is paid by 2 completed payments (${[paymentId, payoff!.id].sort().join(', ')})`);
  });
});

