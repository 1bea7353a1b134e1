// The rules the database itself enforces, proven against a real PostgreSQL: whatever code
// path writes, these hold. Most run as the owner (the rules hold even for it); the last block
// runs as the app's own role and proves what it may not do.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asOwner, testAppDatabaseUrl, testDatabaseUrl } from '@/server/testing/database';
import { APPEND_ONLY_TABLES } from '@/scripts/lib/migrate-all';
import fc from 'fast-check';
import { lateFeeCents } from '@/server/domain/schedule';
import { PAYMENT_TRANSITIONS } from '@/server/domain/payment-state';
import { LEASE_TRANSITIONS } from '@/server/domain/lease-state';

const client = new pg.Client({ connectionString: testDatabaseUrl });
const app = new pg.Client({ connectionString: testAppDatabaseUrl });
beforeAll(() => Promise.all([client.connect(), app.connect()]));
afterAll(() => Promise.all([client.end(), app.end()]));

async function insertUser(role: 'LANDLORD' | 'RENTER', email = `${randomUUID()}@example.com`) {
  const { rows } = await client.query<{ id: string }>(
    `insert into "User" (id, email, name, role, "passwordHash", "updatedAt") values (gen_random_uuid(), $1, 'Test', $2, 'x', now()) returning id`,
    [email, role],
  );
  return rows[0]!.id;
}

async function insertAccount(userId: string, opts: { primary?: boolean; active?: boolean; token?: string } = {}) {
  const { rows } = await client.query<{ id: string }>(
    `insert into "BankAccount" (id, "userId", nickname, "bankName", type, "routingNumber", last4, "accountToken", "isPrimary", active, "updatedAt")
     values (gen_random_uuid(), $1, 'n', 'b', 'CHECKING', '021000021', '1234', $2, $3, $4, now()) returning id`,
    [userId, opts.token ?? randomUUID().replaceAll('-', '').padEnd(64, '0'), opts.primary ?? false, opts.active ?? true],
  );
  return rows[0]!.id;
}

async function insertEvent(aggregateId: string, sequence: number, prevHash: string | null) {
  await client.query(
    `insert into "Event" ("aggregateType", "aggregateId", sequence, type, "actorRole", data, "prevHash", hash)
     values ('Lease', $1, $2, 'test', 'SYSTEM', '{}', $3, $4)`,
    [aggregateId, sequence, prevHash, 'f'.repeat(64)],
  );
}

const refused = (sql: string, params: unknown[] = []) => expect(client.query(sql, params)).rejects.toThrow();

/** Runs `sql` as the owner with the fixed-terms rules lifted, rolled back after: for the checks behind them. */
const withoutFixedTerms = (sql: string, params: unknown[]) =>
  asOwner([[sql, params]], { without: [['Lease', 'Lease_terms_are_fixed'], ['Installment', 'Installment_schedule_is_fixed']], rollback: true });

describe('the event history is append-only', () => {
  it('refuses UPDATE, DELETE and TRUNCATE on "Event"', async () => {
    const aggregateId = randomUUID();
    await insertEvent(aggregateId, 1, null);
    await expect(client.query(`update "Event" set reason = 'rewritten' where "aggregateId" = $1`, [aggregateId])).rejects.toThrow(
      /append-only: UPDATE/,
    );
    await expect(client.query(`delete from "Event" where "aggregateId" = $1`, [aggregateId])).rejects.toThrow(/append-only: DELETE/);
    await expect(client.query(`truncate "Event"`)).rejects.toThrow(/append-only: TRUNCATE/);
    const { rows } = await client.query(`select reason from "Event" where "aggregateId" = $1`, [aggregateId]);
    expect(rows).toEqual([{ reason: null }]);
  });

  it('keeps one row per (aggregate, sequence) and starts every chain without a previous hash', async () => {
    const aggregateId = randomUUID();
    await insertEvent(aggregateId, 1, null);
    await refused(
      `insert into "Event" ("aggregateType", "aggregateId", sequence, type, "actorRole", data, hash) values ('Lease', $1, 1, 'dup', 'SYSTEM', '{}', $2)`,
      [aggregateId, 'e'.repeat(64)],
    );
    await expect(insertEvent(randomUUID(), 2, null)).rejects.toThrow(/Event_chain_start/);
    await expect(insertEvent(randomUUID(), 1, 'a'.repeat(64))).rejects.toThrow(/Event_chain_start/);
  });
});

describe('the event history is dated when it is written, in chain order (found by a stranger: back-dated rows rewrote "as of" views)', () => {
  // As the app's role: what the app may write is what a compromised app could write.
  const event = (aggregateId: string, sequence: number, prevHash: string | null, hash: string, createdAt: string) =>
    app.query(
      `insert into "Event" ("aggregateType", "aggregateId", sequence, type, "actorRole", data, "prevHash", hash, "createdAt")
       values ('Lease', $1, $2, 'test', 'SYSTEM', '{}', $3, $4, ${createdAt})`,
      [aggregateId, sequence, prevHash, hash],
    );

  it('refuses an event dated outside a minute of the database clock, before its predecessor, or not following its chain', async () => {
    const aggregateId = randomUUID();
    await event(aggregateId, 1, null, 'a'.repeat(64), `now() + interval '30 seconds'`);
    // Back-dated, far or near, and dated in the future.
    await expect(event(aggregateId, 2, 'a'.repeat(64), 'b'.repeat(64), `now() - interval '30 days'`)).rejects.toThrow(/is dated .* not when it is written/);
    await expect(event(randomUUID(), 1, null, 'a'.repeat(64), `now() - interval '61 seconds'`)).rejects.toThrow(/not when it is written/);
    await expect(event(randomUUID(), 1, null, 'a'.repeat(64), `now() + interval '2 minutes'`)).rejects.toThrow(/not when it is written/);
    // Within the minute, but before the event it follows.
    await expect(event(aggregateId, 2, 'a'.repeat(64), 'b'.repeat(64), 'now()')).rejects.toThrow(/before the event it follows/);
    // A previous hash that is not its predecessor's, and a gap in the chain.
    await expect(event(aggregateId, 2, 'c'.repeat(64), 'b'.repeat(64), `now() + interval '40 seconds'`)).rejects.toThrow(/does not follow its chain/);
    await expect(event(aggregateId, 3, 'a'.repeat(64), 'b'.repeat(64), `now() + interval '40 seconds'`)).rejects.toThrow(/does not follow its chain/);
    await event(aggregateId, 2, 'a'.repeat(64), 'b'.repeat(64), `now() + interval '30 seconds'`);
    expect((await client.query(`select sequence from "Event" where "aggregateId" = $1 order by sequence`, [aggregateId])).rows).toEqual([{ sequence: 1 }, { sequence: 2 }]);
  });

  it('accepts a chain written in one statement, whatever the order of its rows, dated by default', async () => {
    const aggregateId = randomUUID();
    await app.query(
      `insert into "Event" ("aggregateType", "aggregateId", sequence, type, "actorRole", data, "prevHash", hash)
       values ('Lease', $1, 3, 'test', 'SYSTEM', '{}', $3, $4), ('Lease', $1, 1, 'test', 'SYSTEM', '{}', null, $2), ('Lease', $1, 2, 'test', 'SYSTEM', '{}', $2, $3)`,
      [aggregateId, 'a'.repeat(64), 'b'.repeat(64), 'c'.repeat(64)],
    );
    expect((await client.query(`select count(*)::int as n from "Event" where "aggregateId" = $1`, [aggregateId])).rows).toEqual([{ n: 3 }]);
  });
});

describe("the engine's record of operator actions is append-only", () => {
  it('refuses UPDATE, DELETE and TRUNCATE on operator_actions, even to its owner', async () => {
    const operatorId = randomUUID();
    await client.query(`insert into inngest_engine.operator_actions (at, operator_id, operator_email, action, run_id) values (now(), $1, 'ops@example.com', 'cancel', 'r')`, [operatorId]);
    await expect(client.query(`update inngest_engine.operator_actions set operator_email = 'x@example.com' where operator_id = $1`, [operatorId])).rejects.toThrow(/append-only: UPDATE/);
    await expect(client.query(`delete from inngest_engine.operator_actions where operator_id = $1`, [operatorId])).rejects.toThrow(/append-only: DELETE/);
    await expect(client.query(`truncate inngest_engine.operator_actions`)).rejects.toThrow(/append-only: TRUNCATE/);
    const { rows } = await client.query(`select operator_email from inngest_engine.operator_actions where operator_id = $1`, [operatorId]);
    expect(rows).toEqual([{ operator_email: 'ops@example.com' }]);
  });
});

describe('users and bank accounts', () => {
  it('treats emails case-insensitively by refusing anything but lower case', async () => {
    await insertUser('RENTER', 'same@example.com');
    await expect(insertUser('RENTER', 'Same@Example.com')).rejects.toThrow(/User_email_lowercase/);
    await expect(insertUser('RENTER', 'same@example.com')).rejects.toThrow(/User_email_key/);
  });

  it('allows one primary account per user, and never an inactive primary', async () => {
    const userId = await insertUser('RENTER');
    await insertAccount(userId, { primary: true });
    await expect(insertAccount(userId, { primary: true })).rejects.toThrow(/BankAccount_one_primary_per_user/);
    await insertAccount(userId, { primary: false });
    await expect(insertAccount(await insertUser('RENTER'), { primary: true, active: false })).rejects.toThrow(/BankAccount_primary_is_active/);
  });

  it('refuses a routing number that is not nine digits', async () => {
    const userId = await insertUser('RENTER');
    await refused(
      `insert into "BankAccount" (id, "userId", nickname, "bankName", type, "routingNumber", last4, "accountToken", "updatedAt") values (gen_random_uuid(), $1, 'n', 'b', 'CHECKING', '12345678X', '1234', $2, now())`,
      [userId, '0'.repeat(64)],
    );
  });
});

describe('leases, installments and payments', () => {
  /** An ACTIVE lease (a late fee of 5,000 cents) with `installments` monthly installments of 150,000 from 2027-01-01, written in one statement as lease.create writes them; `accepted: false` leaves it an offer (PENDING); `installmentStatus` writes them in another status than DUE. */
  async function lease(installments = 1, { accepted = true, installmentStatus = 'DUE' }: { accepted?: boolean; installmentStatus?: string } = {}) {
    const landlordId = await insertUser('LANDLORD');
    const renterEmail = `${randomUUID()}@example.com`;
    const renterId = await insertUser('RENTER', renterEmail);
    const payout = await insertAccount(landlordId, { primary: true });
    const from = await insertAccount(renterId, { primary: true });
    const { rows: property } = await client.query<{ id: string }>(
      `insert into "Property" (id, "landlordId", name, line1, city, state, "postalCode", "updatedAt") values (gen_random_uuid(), $1, 'P', '1 Main St', 'Austin', 'TX', '78701', now()) returning id`,
      [landlordId],
    );
    // Written as createLease writes it (an offer with its schedule), then accepted by the invited renter.
    const { rows: leaseRows } = await client.query<{ id: string }>(
      `insert into "Lease" (id, "propertyId", "landlordId", "renterEmail", "monthlyRentCents", "startDate", "termMonths", "dueDay", "lateFeeFlatCents", "payoutAccountId", status, "updatedAt")
       values (gen_random_uuid(), $1, $2, $3, 150000, '2027-01-01', 12, 1, 5000, $4, 'PENDING', now()) returning id`,
      [property[0]!.id, landlordId, renterEmail, payout],
    );
    const { rows: installment } = await client.query<{ id: string; number: number }>(
      `insert into "Installment" (id, "leaseId", number, "dueDate", "amountCents", status, "updatedAt")
       select gen_random_uuid(), $1, n, date '2027-01-01' + make_interval(months => n - 1), 150000, $3::"InstallmentStatus", now() from generate_series(1, $2::int) n returning id, number`,
      [leaseRows[0]!.id, installments, installmentStatus],
    );
    const installmentIds = installment.sort((x, y) => x.number - y.number).map((row) => row.id);
    if (accepted) await client.query(`update "Lease" set "renterId" = $2, status = 'ACTIVE' where id = $1`, [leaseRows[0]!.id, renterId]);
    return { landlordId, renterId, payout, from, leaseId: leaseRows[0]!.id, installmentId: installmentIds[0]!, installmentIds };
  }

  /** A "Payment" row of `l` as an INSERT and its parameters (RTP, due now): `installment` indexes l.installmentIds (default the first); `id` a fresh uuid. */
  function paymentRow(
    l: Awaited<ReturnType<typeof lease>>,
    { kind = 'INSTALLMENT', installment = 0, amountCents = 150000, discountCents = 0, status = 'PENDING' }: { kind?: string; installment?: number; amountCents?: number; discountCents?: number; status?: string } = {},
  ): { id: string; insert: [string, unknown[]] } {
    const id = randomUUID();
    const sql = `insert into "Payment" (id, kind, "installmentId", "leaseId", "renterId", "landlordId", "fromAccountId", "toAccountId", rail, "amountCents", "discountCents", status, "submitAt", "expectedSettlementAt", "updatedAt")
       values ($1, $2, $3, $4, $5, $6, $7, $8, 'RTP', $9, $10, $11, now(), now(), now())`;
    return { id, insert: [sql, [id, kind, l.installmentIds[installment], l.leaseId, l.renterId, l.landlordId, l.from, l.payout, amountCents, discountCents, status]] };
  }

  /** A payment of `l`'s first installment, written PENDING (as createPayment writes it) and moved to `status` the way its states allow; COMPLETED with its installment PAID. */
  async function insertPayment(l: Awaited<ReturnType<typeof lease>>, status: string, amountCents = 150000, kind = 'INSTALLMENT'): Promise<string> {
    const { id, insert } = paymentRow(l, { kind, amountCents });
    const moves: Record<string, string[]> = { PENDING: [], PROCESSING: ['PROCESSING'], COMPLETED: ['PROCESSING', 'COMPLETED'], FAILED: ['PROCESSING', 'FAILED'], CANCELLED: ['CANCELLED'] };
    // One transaction: a refused move leaves no payment behind.
    await asOwner([
      insert,
      ...moves[status]!.map((next): [string, unknown[]] => [`update "Payment" set status = $2 where id = $1`, [id, next]]),
      // Completed as settlement writes it: with its installment PAID.
      ...(status === 'COMPLETED' && kind === 'INSTALLMENT' ? [[`update "Installment" set status = 'PAID' where id = $1`, [l.installmentIds[0]]] as [string, unknown[]]] : []),
    ]);
    return id;
  }

  /** The statements that complete payoff `id` as settlement does: COMPLETED, and the installments of its parts PAID. */
  const completedWithItsParts = (id: string): [string, unknown[]][] => [
    [`update "Payment" set status = 'COMPLETED' where id = $1`, [id]],
    [`update "Installment" set status = 'PAID' where id in (select "installmentId" from "PayoffInstallment" where "paymentId" = $1)`, [id]],
  ];

  /** A PAYOFF of `l` for installments `covered` (indexes into l.installmentIds, 150,000 each, no late fee or discount), its parts written with it and then submitted: moved to `status` through PROCESSING. The payment names the last covered installment. */
  async function payoffOf(l: Awaited<ReturnType<typeof lease>>, covered: number[], status: 'PENDING' | 'PROCESSING' | 'COMPLETED'): Promise<string> {
    const { id, insert } = paymentRow(l, { kind: 'PAYOFF', installment: covered.at(-1)!, amountCents: 150000 * covered.length });
    await client.query(...insert);
    for (const index of covered) {
      await client.query(`insert into "PayoffInstallment" ("paymentId", "installmentId", "rentCents", "lateFeeCents", "discountCents") values ($1, $2, 150000, 0, 0)`, [id, l.installmentIds[index]]);
    }
    if (status !== 'PENDING') await client.query(`update "Payment" set status = 'PROCESSING' where id = $1`, [id]);
    if (status === 'COMPLETED') await asOwner(completedWithItsParts(id));
    return id;
  }

  it('refuses a covered installment added to a completed payoff, and a completed payment moved onto an installment it covers (found by a stranger, as the app role)', async () => {
    const l = await lease(3);
    await insertPayment(l, 'COMPLETED');
    // The payoff covers installments 2 and 3; installment 1 is paid by its own completed payment.
    const payoff = await payoffOf(l, [1, 2], 'COMPLETED');
    // A part is added only while its payoff is PENDING (20261202120000), so never to a completed one.
    await expect(
      app.query(`insert into "PayoffInstallment" ("paymentId", "installmentId", "rentCents", "lateFeeCents", "discountCents") values ($1, $2, 150000, 0, 0)`, [payoff, l.installmentId]),
    ).rejects.toThrow(/is COMPLETED: its parts were fixed when it left PENDING/);
    // Nor moved onto it: a payoff's parts never change (20261202070000), before the covered rule is asked.
    await expect(app.query(`update "PayoffInstallment" set "installmentId" = $2 where "paymentId" = $1`, [payoff, l.installmentId])).rejects.toThrow(/are fixed with it/);
    // Nor a completed payment moved onto an installment the completed payoff covers (found by a stranger).
    // (A payment's installment is now one of its fixed terms, 20261202070000; the covered rule behind it is asked with that rule off.)
    await expect(app.query(`update "Payment" set "installmentId" = $1 where "installmentId" = $2 and kind = 'INSTALLMENT'`, [l.installmentIds[1], l.installmentId])).rejects.toThrow(/are fixed once confirmed/);
    const moveOnto = `update "Payment" set "installmentId" = $1 where "installmentId" = $2 and kind = 'INSTALLMENT'`;
    await expect(asOwner([[moveOnto, [l.installmentIds[1], l.installmentId]]], { without: [['Payment', 'Payment_terms_are_fixed']], rollback: true })).rejects.toThrow(/installment already paid/);
  });

  it('submits a payoff only as the sum of its parts (as the app role: a payoff of 1 cent whose part covered a whole installment, a discount apart from its parts) naming one of them, and adds no part once it is submitted', async () => {
    const l = await lease(3);
    const submit = (id: string) => app.query(`update "Payment" set status = 'PROCESSING', "submittedAt" = now() where id = $1`, [id]);
    const pending = async (amountCents: number, discountCents = 0, parts: [number, number][] = [[0, 0]]) => {
      const { id, insert } = paymentRow(l, { kind: 'PAYOFF', amountCents, discountCents });
      await client.query(...insert);
      for (const [index, discount] of parts) {
        await client.query(`insert into "PayoffInstallment" ("paymentId", "installmentId", "rentCents", "lateFeeCents", "discountCents") values ($1, $2, 150000, 0, $3)`, [id, l.installmentIds[index], discount]);
      }
      return id;
    };
    const cancel = (id: string) => app.query(`update "Payment" set status = 'CANCELLED' where id = $1`, [id]);
    for (const [amount, discount, parts] of [[1, 0, [[0, 0]]], [150000, 0, []], [300000, 0, [[0, 0]]], [147000, 0, [[0, 3000]]], [150000, 3000, [[0, 0]]]] as [number, number, [number, number][]][]) {
      const id = await pending(amount, discount, parts);
      await expect(submit(id)).rejects.toThrow(/is not the sum of its \d+ parts/);
      await cancel(id); // a payoff that never moved money may still be cancelled
    }
    // Nor naming an installment it does not cover (it would stand as that installment's payment, leaving it DUE).
    const misnamed = await pending(150000, 0, [[1, 0]]);
    await expect(submit(misnamed)).rejects.toThrow(/names installment [0-9a-f-]+, which is not one of its 1 parts/);
    await cancel(misnamed);
    // What payoff.ts writes: amount = Σ(rent + late fee − discount), discount = Σ discount, naming the first it covers.
    const right = await pending(297000, 3000, [[0, 3000], [1, 0]]);
    await submit(right);
    await expect(
      app.query(`insert into "PayoffInstallment" ("paymentId", "installmentId", "rentCents", "lateFeeCents", "discountCents") values ($1, $2, 150000, 0, 0)`, [right, l.installmentIds[2]]),
    ).rejects.toThrow(/is PROCESSING: its parts were fixed when it left PENDING/);
  });

  /**
   * Runs `first` in an open transaction on the app's connection, then `second` in a transaction
   * of another app-role connection, lets the first commit once the second has either finished or
   * is seen waiting on a lock, and answers how the second ended: 'committed' or its error (at its statement or its commit).
   */
  async function race(first: string, second: string): Promise<string> {
    const other = new pg.Client({ connectionString: testAppDatabaseUrl });
    await other.connect();
    try {
      await app.query('begin');
      await app.query(first);
      await other.query('begin');
      const otherPid = (await other.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]!.pid;
      let otherDone = false;
      const ended = other.query(second).then(
        async () => {
          otherDone = true;
          // A rule checked at commit (deferred) refuses it there.
          return other.query('commit').then(
            () => 'committed',
            (error: Error) => error.message,
          );
        },
        async (error: Error) => {
          otherDone = true;
          await other.query('rollback');
          return error.message;
        },
      );
      while (!otherDone) {
        const { rows } = await client.query(`select 1 from pg_stat_activity where pid = $1 and wait_event_type = 'Lock'`, [otherPid]);
        if (rows.length > 0) break;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      await app.query('commit');
      return await ended;
    } finally {
      await app.query('rollback').catch(() => undefined);
      await other.end();
    }
  }

  /** A lease with installments 1 and 2, a payoff covering `covered` of them (PROCESSING, or PENDING), and a direct payment of installment 1 (`directStatus`). */
  async function payoffBeside(covered: (1 | 2)[], directStatus: string, payoffStatus: 'PENDING' | 'PROCESSING' = 'PROCESSING') {
    const l = await lease(2);
    const payoff = await payoffOf(l, covered.map((number) => number - 1), payoffStatus);
    await insertPayment(l, directStatus);
    const statuses = async () => (await client.query(`select kind, status from "Payment" where "leaseId" = $1 order by kind`, [l.leaseId])).rows;
    const coverFirst = `insert into "PayoffInstallment" ("paymentId", "installmentId", "rentCents", "lateFeeCents", "discountCents") values ('${payoff}', '${l.installmentId}', 150000, 0, 0)`;
    // Completed as settlement does, with what it pays PAID.
    const complete = (kind: string) =>
      `update "Payment" set status = 'COMPLETED' where "leaseId" = '${l.leaseId}' and kind = '${kind}';
       update "Installment" set status = 'PAID' where id in (
         select pi."installmentId" from "PayoffInstallment" pi join "Payment" p on p.id = pi."paymentId" where p."leaseId" = '${l.leaseId}' and p.kind = '${kind}'
         union select p."installmentId" from "Payment" p where p."leaseId" = '${l.leaseId}' and p.kind = '${kind}' and p.kind = 'INSTALLMENT')`;
    const submitPayoff = `update "Payment" set status = 'PROCESSING' where id = '${payoff}'`;
    return { statuses, coverFirst, complete, submitPayoff };
  }

  it('refuses the second of two concurrent completions that pay one installment, a payoff and a direct payment (as the app role)', async () => {
    const { statuses, complete } = await payoffBeside([1, 2], 'PROCESSING');
    expect(await race(complete('PAYOFF'), complete('INSTALLMENT'))).toMatch(/installment already paid by another completed payment/);
    expect(await statuses()).toEqual([
      { kind: 'INSTALLMENT', status: 'PROCESSING' },
      { kind: 'PAYOFF', status: 'COMPLETED' },
    ]);
    // The other way round: the payoff's completion waits for the direct payment's and is refused.
    const again = await payoffBeside([1, 2], 'PROCESSING');
    expect(await race(again.complete('INSTALLMENT'), again.complete('PAYOFF'))).toMatch(/installment already paid/);
    expect(await again.statuses()).toEqual([
      { kind: 'INSTALLMENT', status: 'COMPLETED' },
      { kind: 'PAYOFF', status: 'PROCESSING' },
    ]);
  });

  it('writes money only at READ COMMITTED (found by a stranger, as the app role: a payoff submitted at REPEATABLE READ missed a part committed after its snapshot; a direct payment completed beside a payoff that had just paid its installment)', async () => {
    for (const table of ['Payment', 'PayoffInstallment', 'Installment', 'Lease', 'LedgerTransaction', 'LedgerEntry']) {
      for (const level of ['repeatable read', 'serializable']) {
        await app.query(`begin isolation level ${level}`);
        try {
          await expect(app.query(`insert into "${table}" select * from "${table}" where false`)).rejects.toThrow(
            new RegExp(`"${table}" is written at READ COMMITTED \\(this transaction is ${level}\\)`),
          );
        } finally {
          await app.query('rollback');
        }
      }
    }
    // The stranger's first way: the snapshot taken, a part committed beside it, then the submission.
    const { coverFirst, submitPayoff, statuses } = await payoffBeside([2], 'COMPLETED', 'PENDING');
    await app.query('begin isolation level repeatable read');
    try {
      await app.query('select 1');
      await client.query(coverFirst);
      await expect(app.query(submitPayoff)).rejects.toThrow(/"Payment" is written at READ COMMITTED/);
    } finally {
      await app.query('rollback');
    }
    await expect(app.query(submitPayoff)).rejects.toThrow(/is not the sum of its 2 parts/);
    expect((await statuses()).map((row) => row.status)).toEqual(['COMPLETED', 'PENDING']);
  });

  it('writes a payment PENDING and a lease as an offer, so every later state is reached by the moves its rules check (found by a stranger, as the app role: a 1-cent payoff and an installment payment inserted COMPLETED, a lease inserted ACTIVE with any renter)', async () => {
    const l = await lease();
    // An installment payment of the installment's 150,000 (Payment_is_its_installment), a payoff of 1 cent.
    const payment = (status: string, kind = 'INSTALLMENT') => app.query(...paymentRow(l, { kind, status, amountCents: kind === 'PAYOFF' ? 1 : 150000 }).insert);
    for (const [status, kind] of [['COMPLETED', 'PAYOFF'], ['PROCESSING', 'PAYOFF'], ['COMPLETED', 'INSTALLMENT'], ['FAILED', 'INSTALLMENT'], ['CANCELLED', 'INSTALLMENT']]) {
      await expect(payment(status!, kind)).rejects.toThrow(new RegExp(`is written PENDING, not ${status}`));
    }
    const offer = (status: string, renterId: string | null) =>
      app.query(
        `insert into "Lease" (id, "propertyId", "landlordId", "renterId", "renterEmail", "monthlyRentCents", "startDate", "termMonths", "dueDay", "payoutAccountId", status, "updatedAt")
         select gen_random_uuid(), "propertyId", "landlordId", $2, 'anyone@example.com', 150000, '2027-01-01', 12, 1, "payoutAccountId", $3, now() from "Lease" where id = $1`,
        [l.leaseId, renterId, status],
      );
    await expect(offer('ACTIVE', l.renterId)).rejects.toThrow(/is written PENDING with no renter \(an offer\), not ACTIVE/);
    await expect(offer('COMPLETED', null)).rejects.toThrow(/is written PENDING with no renter/);
    await expect(offer('PENDING', l.renterId)).rejects.toThrow(/is written PENDING with no renter/);
    await offer('PENDING', null);
    await payment('PENDING');
  });

  it('refuses a part added to a payoff once it is submitted, and a submission that would leave a part out, in either order (as the app role)', async () => {
    // The payoff covers installment 2; installment 1 is paid by its own completed payment.
    const submitted = await payoffBeside([2], 'COMPLETED');
    await expect(app.query(submitted.coverFirst)).rejects.toThrow(/is PROCESSING: its parts were fixed when it left PENDING/);
    // A part and the payoff's submission are one after the other (the part's rule locks the payoff's row).
    const submitting = await payoffBeside([2], 'COMPLETED', 'PENDING');
    expect(await race(submitting.submitPayoff, submitting.coverFirst)).toMatch(/is PROCESSING: its parts were fixed/);
    const covering = await payoffBeside([2], 'COMPLETED', 'PENDING');
    expect(await race(covering.coverFirst, covering.submitPayoff)).toMatch(/is not the sum of its 2 parts \(300000 cents/);
    expect(await covering.statuses()).toEqual([
      { kind: 'INSTALLMENT', status: 'COMPLETED' },
      { kind: 'PAYOFF', status: 'PENDING' },
    ]);
  });

  it('allows at most one PENDING or PROCESSING payment per installment', async () => {
    const l = await lease();
    await insertPayment(l, 'FAILED');
    const pending = await insertPayment(l, 'PENDING');
    await expect(insertPayment(l, 'PENDING')).rejects.toThrow(/Payment_one_in_flight_per_installment/);
    await client.query(`update "Payment" set status = 'PROCESSING' where id = $1`, [pending]);
    await expect(insertPayment(l, 'PENDING')).rejects.toThrow(/Payment_one_in_flight_per_installment/);
    // A cancelled payment is no longer in flight.
    const other = await lease();
    await insertPayment(other, 'CANCELLED');
    await insertPayment(other, 'PENDING');
  });

  it('allows at most one COMPLETED payment per installment', async () => {
    const l = await lease();
    await insertPayment(l, 'COMPLETED');
    await expect(insertPayment(l, 'COMPLETED')).rejects.toThrow(/Payment_one_completed_per_installment/);
    await insertPayment(l, 'FAILED');
    // Another installment may have its own, and a returned payment no longer counts.
    const other = await lease();
    await insertPayment(other, 'COMPLETED');
    await asOwner([
      [`update "Payment" set status = 'RETURNED', "returnedAt" = now(), "failureCode" = 'R01' where "installmentId" = $1 and status = 'COMPLETED'`, [l.installmentId]],
      [`update "Installment" set status = 'FAILED' where id = $1`, [l.installmentId]],
    ]);
    await insertPayment(l, 'COMPLETED');
    // Completing a second payment through an UPDATE is refused the same way.
    await insertPayment(l, 'PROCESSING');
    await expect(
      client.query(`update "Payment" set status = 'COMPLETED' where "installmentId" = $1 and status = 'PROCESSING'`, [l.installmentId]),
    ).rejects.toThrow(/Payment_one_completed_per_installment/);
    const { rows } = await client.query(`select count(*)::int as n from "Payment" where "installmentId" = $1 and status = 'COMPLETED'`, [l.installmentId]);
    expect(rows).toEqual([{ n: 1 }]);
  });

  it('refuses zero or negative amounts and fractional cents', async () => {
    const l = await lease();
    // (A payoff: an installment payment's amount is also its installment's, Payment_is_its_installment.)
    await expect(insertPayment(l, 'PENDING', 0, 'PAYOFF')).rejects.toThrow(/Payment_amountCents_positive/);
    await expect(insertPayment(l, 'PENDING', -100, 'PAYOFF')).rejects.toThrow(/Payment_amountCents_positive/);
    await expect(insertPayment(l, 'PENDING', 10.5, 'PAYOFF')).rejects.toThrow(/integer/);
    // Terms are fixed once written (next tests); the ranges are checked behind that rule too.
    await expect(withoutFixedTerms(`update "Lease" set "monthlyRentCents" = 100000001 where id = $1`, [l.leaseId])).rejects.toThrow(/Lease_monthlyRentCents/);
    await expect(withoutFixedTerms(`update "Lease" set "dueDay" = 32 where id = $1`, [l.leaseId])).rejects.toThrow(/Lease_dueDay_range/);
    await expect(withoutFixedTerms(`update "Installment" set "amountCents" = 0 where id = $1`, [l.installmentId])).rejects.toThrow(/Installment_amountCents/);
  });

  it('refuses a lease for a landlord or payout account that does not exist', async () => {
    const l = await lease();
    await refused(`update "Lease" set "payoutAccountId" = gen_random_uuid() where id = $1`, [l.leaseId]);
    await expect(withoutFixedTerms(`update "Lease" set "landlordId" = gen_random_uuid() where id = $1`, [l.leaseId])).rejects.toThrow(/foreign key/);
  });

  it("fixes a lease's terms and its installments' schedule once written (found by a stranger: a later grace period rewrote a past statement's overdue total)", async () => {
    const l = await lease();
    const appRefused = (sql: string, params: unknown[]) => expect(app.query(sql, params)).rejects.toThrow(/are fixed once offered|is fixed with its lease/);
    for (const [column, value] of [['graceDays', '60'], ['monthlyRentCents', '1'], ['dueDay', '15'], ['startDate', `'2020-01-01'`], ['termMonths', '1'], ['lateFeeFlatCents', '1'], ['renterEmail', `'x@example.com'`], ['payoffDiscountBasisPoints', '100'], ['createdAt', `'2020-01-01'`]]) {
      await appRefused(`update "Lease" set "${column}" = ${value} where id = $1`, [l.leaseId]);
    }
    // Its renter is set once, on acceptance (this lease has one): not handed to another.
    await appRefused(`update "Lease" set "renterId" = $2 where id = $1`, [l.leaseId, await insertUser('RENTER')]);
    for (const [column, value] of [['dueDate', `'2020-01-01'`], ['amountCents', '1'], ['number', '7'], ['createdAt', `'2020-01-01'`]]) {
      await appRefused(`update "Installment" set "${column}" = ${value} where id = $1`, [l.installmentId]);
    }
    // What changes: status, payout account, reminders; an installment's status and autopay skip.
    const payout = await insertAccount(l.landlordId);
    await app.query(`update "Lease" set status = 'DEFAULTED', "statusReason" = 'ended', "payoutAccountId" = $2, "reminderDaysBeforeDue" = 3, "updatedAt" = now() where id = $1`, [l.leaseId, payout]);
    await app.query(`update "Installment" set status = 'FAILED', "autopaySkippedAt" = now(), "updatedAt" = now() where id = $1`, [l.installmentId]);
    // The renter is set once, as accepting an invitation does: only to a RENTER with the invited email (found by a stranger).
    const { rows: [offered] } = await client.query<{ id: string }>(
      `insert into "Lease" (id, "propertyId", "landlordId", "renterEmail", "monthlyRentCents", "startDate", "termMonths", "dueDay", "payoutAccountId", status, "updatedAt")
       select gen_random_uuid(), "propertyId", "landlordId", $2, 150000, '2027-01-01', 12, 1, "payoutAccountId", 'PENDING', now() from "Lease" where id = $1 returning id`,
      [l.leaseId, 'invited@example.com'],
    );
    const invited = await insertUser('RENTER', 'invited@example.com');
    await expect(app.query(`update "Lease" set "renterId" = $2, status = 'ACTIVE' where id = $1`, [offered!.id, l.landlordId])).rejects.toThrow(/its renter is the renter with that email/);
    await expect(app.query(`update "Lease" set "renterId" = $2, status = 'ACTIVE' where id = $1`, [offered!.id, await insertUser('RENTER')])).rejects.toThrow(/its renter is the renter with that email/);
    await app.query(`update "Lease" set "renterId" = $2, status = 'ACTIVE' where id = $1`, [offered!.id, invited]);
    // Who a user is does not change, so the rule's inputs cannot be set for a moment and back (found by a stranger).
    const attacker = await insertUser('RENTER');
    await expect(app.query(`update "User" set email = 'someone-invited@example.com' where id = $1`, [attacker])).rejects.toThrow(/email and role are fixed/);
    await expect(app.query(`update "User" set role = 'RENTER' where id = $1`, [l.landlordId])).rejects.toThrow(/email and role are fixed/);
    await app.query(`update "User" set name = 'Renamed', "emailVerifiedAt" = now(), "updatedAt" = now() where id = $1`, [attacker]);
  });

  it("fixes a payment's terms once confirmed, records each settlement fact once, and never changes a payoff's parts (found by a stranger: amount, installment, rail and accounts were UPDATE-able by the app's role)", async () => {
    const l = await lease();
    const id = await insertPayment(l, 'PENDING');
    const appRefused = (sql: string, params: unknown[], message = /are fixed once confirmed/) => expect(app.query(sql, params)).rejects.toThrow(message);
    const otherAccount = await insertAccount(l.landlordId);
    for (const [column, value] of [
      ['amountCents', '1'], ['feeCents', '1'], ['discountCents', '1'], ['rail', `'WIRE'`], ['kind', `'PAYOFF'`], ['attempt', '2'],
      ['toAccountId', `'${otherAccount}'`], ['fromAccountId', `'${otherAccount}'`], ['renterId', `'${l.landlordId}'`], ['landlordId', `'${l.renterId}'`],
      ['leaseId', 'gen_random_uuid()'], ['installmentId', 'gen_random_uuid()'], ['submitAt', `now() + interval '1 day'`],
      ['expectedSettlementAt', `now() + interval '1 day'`], ['idempotencyKey', `'another-key'`], ['createdAt', `'2020-01-01'`], ['id', 'gen_random_uuid()'],
    ]) {
      await appRefused(`update "Payment" set "${column}" = ${value} where id = $1`, [id]);
    }
    // What the app does: the status moves and each fact is recorded once, NULL to a value.
    await app.query(`update "Payment" set status = 'PROCESSING', "submittedAt" = now(), "updatedAt" = now() where id = $1`, [id]);
    await app.query(
      `update "Payment" set status = 'COMPLETED', "settledAt" = now(), "returnableUntil" = now() + interval '2 days' where id = '${id}'; update "Installment" set status = 'PAID' where id = '${l.installmentId}'`,
    );
    await app.query(
      `update "Payment" set status = 'RETURNED', "returnedAt" = now(), "failureCode" = 'R01', "failureReason" = 'Insufficient funds' where id = '${id}'; update "Installment" set status = 'FAILED' where id = '${l.installmentId}'`,
    );
    for (const [column, value] of [
      ['submittedAt', `now() - interval '1 day'`], ['settledAt', 'NULL'], ['returnableUntil', `now() + interval '60 days'`],
      ['returnedAt', 'NULL'], ['failureCode', `'R10'`], ['failureReason', 'NULL'],
    ]) {
      await appRefused(`update "Payment" set "${column}" = ${value} where id = $1`, [id], /has recorded this already/);
    }
    // Nor moved back to reopen them (found by a stranger: COMPLETED → PROCESSING, the return window set to 2000, COMPLETED again).
    await appRefused(`update "Payment" set status = 'PROCESSING' where id = $1`, [id], /cannot move from RETURNED to PROCESSING/);
    await appRefused(`update "Payment" set status = 'COMPLETED' where id = $1`, [id], /cannot move from RETURNED to COMPLETED/);
    const { rows: [kept] } = await client.query(`select "amountCents", "toAccountId", "failureCode", "returnableUntil" > now() + interval '1 day' as window from "Payment" where id = $1`, [id]);
    expect(kept).toEqual({ amountCents: 150000, toAccountId: l.payout, failureCode: 'R01', window: true });

    // A payoff's parts: written with it, never changed.
    const payoff = await insertPayment(l, 'PENDING', 150000, 'PAYOFF');
    await client.query(`insert into "PayoffInstallment" ("paymentId", "installmentId", "rentCents", "lateFeeCents", "discountCents") values ($1, $2, 150000, 0, 0)`, [payoff, l.installmentId]);
    for (const set of [`"rentCents" = 1`, `"discountCents" = 149999`, `"lateFeeCents" = 5000`]) {
      await appRefused(`update "PayoffInstallment" set ${set} where "paymentId" = $1`, [payoff], /are fixed with it/);
    }
  });

  describe('the ledger', () => {
    // Each ledger transaction as the owner writes it: BEGIN, the row, its entries, COMMIT.
    async function postRaw(l: Awaited<ReturnType<typeof lease>>, kind: string, entries: [string, number][], opts: { paymentId?: string | null } = {}) {
      await client.query('begin');
      try {
        const { rows } = await client.query<{ id: string }>(
          `insert into "LedgerTransaction" ("leaseId", kind, reason, "paymentId", "installmentId", "actorRole") values ($1, $2, 'test', $3, $4, 'SYSTEM') returning id`,
          [l.leaseId, kind, opts.paymentId ?? null, l.installmentId],
        );
        for (const [account, amountCents] of entries) {
          await client.query(`insert into "LedgerEntry" ("transactionId", account, "amountCents") values ($1, $2, $3)`, [rows[0]!.id, account, amountCents]);
        }
        await client.query('commit');
        return rows[0]!.id;
      } catch (error) {
        await client.query('rollback');
        throw error;
      }
    }

    it('commits a transaction whose entries sum to zero, and refuses one that does not balance at commit', async () => {
      const l = await lease();
      const id = await postRaw(l, 'CHARGE', [['RENTER_RECEIVABLE', 150000], ['LANDLORD_PAYABLE', -150000]]);
      expect((await client.query(`select sum("amountCents")::int as total from "LedgerEntry" where "transactionId" = $1`, [id])).rows).toEqual([{ total: 0 }]);
      // Unbalanced, a single entry, or no entries at all: refused when the transaction commits.
      const late = await lease();
      await expect(postRaw(late, 'LATE_FEE', [['RENTER_RECEIVABLE', 5000], ['LATE_FEE_INCOME', -4999]])).rejects.toThrow(/does not balance/);
      await expect(postRaw(late, 'LATE_FEE', [['RENTER_RECEIVABLE', 5000]])).rejects.toThrow(/does not balance/);
      await expect(postRaw(late, 'LATE_FEE', [])).rejects.toThrow(/does not balance/);
      // Entries added later to a committed transaction: refused (balanced or not; next test).
      await expect(client.query(`insert into "LedgerEntry" ("transactionId", account, "amountCents") values ($1, 'RENTER_RECEIVABLE', 1)`, [id])).rejects.toThrow(/was written earlier/);
      expect((await client.query(`select count(*)::int as n from "LedgerTransaction" where "leaseId" = $1`, [late.leaseId])).rows).toEqual([{ n: 0 }]);
    });

    it('refuses entries added to a ledger transaction committed earlier, even balanced ones (found by a stranger, as the app role)', async () => {
      const l = await lease();
      const id = await postRaw(l, 'CHARGE', [['RENTER_RECEIVABLE', 150000], ['LANDLORD_PAYABLE', -150000]]);
      // A balancing pair that would turn the charge into 1 cent.
      const rewrite = `insert into "LedgerEntry" ("transactionId", account, "amountCents") values ($1, 'RENTER_RECEIVABLE', -149999), ($1, 'LANDLORD_PAYABLE', 149999)`;
      await expect(app.query(rewrite, [id])).rejects.toThrow(/ledger transaction \d+ was written earlier/);
      await app.query('begin');
      await expect(app.query(rewrite, [id])).rejects.toThrow(/was written earlier/);
      await app.query('rollback');
      await expect(client.query(rewrite, [id])).rejects.toThrow(/was written earlier/);
      expect((await client.query(`select account, "amountCents" from "LedgerEntry" where "transactionId" = $1 order by id`, [id])).rows).toEqual([
        { account: 'RENTER_RECEIVABLE', amountCents: 150000 },
        { account: 'LANDLORD_PAYABLE', amountCents: -150000 },
      ]);
    });

    it('is append-only: refuses UPDATE, DELETE and TRUNCATE of transactions and entries', async () => {
      const l = await lease();
      const id = await postRaw(l, 'CHARGE', [['RENTER_RECEIVABLE', 150000], ['LANDLORD_PAYABLE', -150000]]);
      await expect(client.query(`update "LedgerEntry" set "amountCents" = 1 where "transactionId" = $1`, [id])).rejects.toThrow(/append-only: UPDATE/);
      await expect(client.query(`delete from "LedgerEntry" where "transactionId" = $1`, [id])).rejects.toThrow(/append-only: DELETE/);
      await expect(client.query(`update "LedgerTransaction" set reason = 'rewritten' where id = $1`, [id])).rejects.toThrow(/append-only: UPDATE/);
      await expect(client.query(`delete from "LedgerTransaction" where id = $1`, [id])).rejects.toThrow(/append-only: DELETE/);
      await expect(client.query(`truncate "LedgerEntry"`)).rejects.toThrow(/append-only: TRUNCATE/);
      await expect(client.query(`truncate "LedgerTransaction" cascade`)).rejects.toThrow(/append-only: TRUNCATE/);
      expect((await client.query(`select account, "amountCents" from "LedgerEntry" where "transactionId" = $1 order by id`, [id])).rows).toEqual([
        { account: 'RENTER_RECEIVABLE', amountCents: 150000 },
        { account: 'LANDLORD_PAYABLE', amountCents: -150000 },
      ]);
    });

    it('charges an installment, its late fee and the waiver at most once; refuses zero entries and payment kinds without a payment', async () => {
      const l = await lease();
      await postRaw(l, 'CHARGE', [['RENTER_RECEIVABLE', 150000], ['LANDLORD_PAYABLE', -150000]]);
      await expect(postRaw(l, 'CHARGE', [['RENTER_RECEIVABLE', 150000], ['LANDLORD_PAYABLE', -150000]])).rejects.toThrow(/LedgerTransaction_one_per_installment/);
      await postRaw(l, 'LATE_FEE', [['RENTER_RECEIVABLE', 5000], ['LATE_FEE_INCOME', -5000]]);
      await expect(postRaw(l, 'LATE_FEE', [['RENTER_RECEIVABLE', 5000], ['LATE_FEE_INCOME', -5000]])).rejects.toThrow(/LedgerTransaction_one_per_installment/);
      await expect(postRaw(l, 'PAYMENT_SUBMITTED', [['CASH_IN_TRANSIT', 150000], ['RENTER_RECEIVABLE', -150000]])).rejects.toThrow(/LedgerTransaction_payment_kinds/);
      await expect(postRaw(l, 'LATE_FEE_WAIVER', [['RENTER_RECEIVABLE', 0], ['LATE_FEE_INCOME', 0]])).rejects.toThrow(/LedgerEntry_amountCents_nonzero/);
    });

    /** As the app's role: a ledger transaction of `kind` (its date `createdAt`) and two balanced entries, in one database transaction after `before`. */
    /** Each kind's posting: the account its amount goes up on, and the one it goes down on (ledger.ts). */
    const POSTING: Record<string, [string, string]> = {
      CHARGE: ['RENTER_RECEIVABLE', 'LANDLORD_PAYABLE'],
      LATE_FEE: ['RENTER_RECEIVABLE', 'LATE_FEE_INCOME'],
      LATE_FEE_WAIVER: ['LATE_FEE_INCOME', 'RENTER_RECEIVABLE'],
      PAYMENT_SUBMITTED: ['CASH_IN_TRANSIT', 'RENTER_RECEIVABLE'],
      PAYMENT_CANCELLED: ['RENTER_RECEIVABLE', 'CASH_IN_TRANSIT'],
      PAYMENT_FAILED: ['RENTER_RECEIVABLE', 'CASH_IN_TRANSIT'],
      PAYMENT_SETTLED: ['LANDLORD_PAID', 'CASH_IN_TRANSIT'],
      FEE: ['DIRECTPAY_CASH', 'FEE_INCOME'],
      PAYMENT_RETURNED: ['RENTER_RECEIVABLE', 'LANDLORD_PAID'],
      FEE_REFUND: ['FEE_INCOME', 'DIRECTPAY_CASH'],
      PAYOFF_DISCOUNT: ['LANDLORD_PAYABLE', 'RENTER_RECEIVABLE'],
      PAYOFF_DISCOUNT_REVERSED: ['RENTER_RECEIVABLE', 'LANDLORD_PAYABLE'],
    };
    /**
     * As the app's role: a ledger transaction of `kind` (dated `createdAt`) and its two entries —
     * `amount` cents (default 5,000) up on the kind's debit account and down on its credit account,
     * or `entries` as given — in one database transaction, after `before`.
     */
    async function postAsApp(
      l: Awaited<ReturnType<typeof lease>>,
      kind: string,
      opts: { createdAt?: string; entryCreatedAt?: string; paymentId?: string; before?: string; leaseId?: string; amount?: number; entries?: [string, number][] } = {},
    ) {
      await app.query('begin');
      try {
        if (opts.before) await app.query(opts.before);
        const { rows } = await app.query<{ id: string }>(
          `insert into "LedgerTransaction" ("leaseId", kind, reason, "paymentId", "installmentId", "actorRole", "createdAt") values ($1, $2, 'test', $3, $4, 'SYSTEM', ${opts.createdAt ?? 'default'}) returning id`,
          [opts.leaseId ?? l.leaseId, kind, opts.paymentId ?? null, l.installmentId],
        );
        const [debit, credit] = POSTING[kind]!;
        const amount = opts.amount ?? 5000;
        const entries = opts.entries ?? [[debit, amount], [credit, -amount]];
        for (const [index, [account, cents]] of entries.entries()) {
          await app.query(`insert into "LedgerEntry" ("transactionId", account, "amountCents", "createdAt") values ($1, $2, $3, ${index === 0 ? (opts.entryCreatedAt ?? 'default') : 'default'})`, [rows[0]!.id, account, cents]);
        }
        await app.query('commit');
      } catch (error) {
        await app.query('rollback').catch(() => undefined);
        throw error;
      }
    }
    const count = async (leaseIds: string[]) => (await client.query(`select count(*)::int as n from "LedgerTransaction" where "leaseId" = any($1)`, [leaseIds])).rows[0].n;

    it('dates a ledger transaction and its entries when they are written (found by a stranger: a back-dated posting rewrote the as-of ledger)', async () => {
      const [l, other] = [await lease(), await lease()];
      await expect(postAsApp(l, 'LATE_FEE', { createdAt: `now() - interval '30 days'` })).rejects.toThrow(/dated when it is written/);
      await expect(postAsApp(l, 'LATE_FEE', { createdAt: `now() - interval '1 millisecond'` })).rejects.toThrow(/dated when it is written/);
      await expect(postAsApp(l, 'LATE_FEE', { createdAt: `clock_timestamp() + interval '1 second'` })).rejects.toThrow(/dated when it is written/);
      await expect(postAsApp(l, 'LATE_FEE', { entryCreatedAt: `'1970-01-01'` })).rejects.toThrow(/ledger entry is dated with its ledger transaction/);
      await expect(postAsApp(l, 'LATE_FEE', { entryCreatedAt: `'infinity'` })).rejects.toThrow(/ledger entry is dated with its ledger transaction/);
      expect(await count([l.leaseId])).toBe(0);
      // The transaction's own time, written out or left to the default, is its date.
      await postAsApp(l, 'LATE_FEE', { createdAt: 'now()', entryCreatedAt: 'now()' });
      await postAsApp(other, 'LATE_FEE');
      expect(await count([l.leaseId, other.leaseId])).toBe(2);
    });

    it('refuses history written by a database transaction begun longer ago than the write window (found by a stranger: a transaction held open since a month end dated its postings then)', async () => {
      // The window is a minute; here, as the owner may set it, a second, so the test waits 1.5 s, not a minute.
      await client.query(`create or replace function history_write_window() returns interval language sql stable as $$ select interval '1 second' $$`);
      try {
        const [l, other] = [await lease(), await lease()];
        await expect(postAsApp(l, 'LATE_FEE', { before: 'select pg_sleep(1.5)' })).rejects.toThrow(/begun at most a minute before/);
        await postAsApp(other, 'LATE_FEE', { before: 'select pg_sleep(0.1)' });
        expect(await count([l.leaseId, other.leaseId])).toBe(1);
        // An event dated when its transaction began, written 1.5 s later: refused; dated when written: accepted.
        const event = (createdAt: string) => `insert into "Event" ("aggregateType", "aggregateId", sequence, type, "actorRole", data, hash, "createdAt") values ('Lease', gen_random_uuid(), 1, 'test', 'SYSTEM', '{}', '${'f'.repeat(64)}', ${createdAt})`;
        await app.query('begin');
        try {
          await app.query('select pg_sleep(1.5)');
          await expect(app.query(event('now()'))).rejects.toThrow(/not when it is written/);
        } finally {
          await app.query('rollback');
        }
        await app.query('begin');
        await app.query('select pg_sleep(1.5)');
        await app.query(event('clock_timestamp()'));
        await app.query('commit');
        // The app's role cannot widen the window.
        await expect(app.query(`create or replace function history_write_window() returns interval language sql stable as $$ select interval '100 years' $$`)).rejects.toThrow(/must be owner|permission denied/);
      } finally {
        await client.query(`create or replace function history_write_window() returns interval language sql stable set search_path = public, pg_catalog, pg_temp as $$ select interval '1 minute' $$`);
      }
    });

    it('refuses a reversal without what it reverses (found by a stranger: a waiver of a late fee never charged credited the renter)', async () => {
      const l = await lease();
      await expect(postAsApp(l, 'LATE_FEE_WAIVER')).rejects.toThrow(/a LATE_FEE_WAIVER follows its LATE_FEE/);
      expect(await count([l.leaseId])).toBe(0);
      await postAsApp(l, 'LATE_FEE');
      // The original must be of the same lease: a waiver filed under another lease for this fee is refused.
      const other = await lease();
      await expect(postAsApp(l, 'LATE_FEE_WAIVER', { leaseId: other.leaseId })).rejects.toThrow(/a LATE_FEE_WAIVER follows its LATE_FEE/);
      await postAsApp(l, 'LATE_FEE_WAIVER');
      expect(await count([l.leaseId, other.leaseId])).toBe(2);
      const paymentId = await insertPayment(l, 'PROCESSING');
      for (const [kind, original] of [['PAYMENT_SETTLED', 'PAYMENT_SUBMITTED'], ['PAYMENT_RETURNED', 'PAYMENT_SETTLED'], ['FEE_REFUND', 'FEE'], ['PAYOFF_DISCOUNT_REVERSED', 'PAYOFF_DISCOUNT']]) {
        await expect(postAsApp(l, kind!, { paymentId })).rejects.toThrow(new RegExp(`a ${kind} follows its ${original}`));
      }
      expect(await count([l.leaseId])).toBe(2);
      // A submitted payment is cancelled, failed or settled: one of the three.
      await postAsApp(l, 'PAYMENT_SUBMITTED', { paymentId, amount: 150000 });
      await postAsApp(l, 'PAYMENT_CANCELLED', { paymentId, amount: 150000 });
      await expect(postAsApp(l, 'PAYMENT_SETTLED', { paymentId, amount: 150000 })).rejects.toThrow(/already cancelled, failed or settled/);
      await expect(postAsApp(l, 'PAYMENT_FAILED', { paymentId, amount: 150000 })).rejects.toThrow(/already cancelled, failed or settled/);
      expect(await count([l.leaseId])).toBe(4);
    });

    it('refuses a posting that is not its kind\'s, in accounts, signs or amount (found by a stranger: a negative late fee and an oversized waiver wiped out rent, reconciliation clean)', async () => {
      const [l, other] = [await lease(), await lease()];
      const isNot = /is not its posting/;
      const movesOther = /moves \d+ cents where its source says/;
      // A late fee the wrong way round, on the wrong account, or with a third entry.
      await expect(postAsApp(l, 'LATE_FEE', { entries: [['RENTER_RECEIVABLE', -149900], ['LATE_FEE_INCOME', 149900]] })).rejects.toThrow(isNot);
      await expect(postAsApp(l, 'LATE_FEE', { entries: [['RENTER_RECEIVABLE', 5000], ['LANDLORD_PAYABLE', -5000]] })).rejects.toThrow(isNot);
      await expect(postAsApp(l, 'LATE_FEE', { entries: [['RENTER_RECEIVABLE', 5000], ['LATE_FEE_INCOME', -5000], ['CASH_IN_TRANSIT', 1], ['LANDLORD_PAID', -1]] })).rejects.toThrow(isNot);
      // A charge that is not the installment's amount (150,000).
      await expect(postAsApp(l, 'CHARGE', { amount: 1 })).rejects.toThrow(/moves 1 cents where its source says 150000/);
      // A late fee that is not the lease's (5,000 flat here), or filed under another lease (found by a stranger: 99,999,999 cents on a lease with no late fee).
      await expect(postAsApp(l, 'LATE_FEE', { amount: 99_999_999 })).rejects.toThrow(/moves 99999999 cents where its source says 5000/);
      await expect(postAsApp(l, 'LATE_FEE', { amount: 4999 })).rejects.toThrow(/moves 4999 cents where its source says 5000/);
      await expect(postAsApp(l, 'LATE_FEE', { leaseId: other.leaseId })).rejects.toThrow(/moves 5000 cents where its source says nothing/);
      // Nor on an installment that is paid, or a lease that is not ACTIVE (found by a stranger: the payoff quote then asked the renter for it).
      const [paid, defaulted] = [await lease(), await lease()];
      await insertPayment(paid, 'COMPLETED');
      await client.query(`update "Installment" set status = 'PAID' where id = $1`, [paid.installmentId]);
      await client.query(`update "Lease" set status = 'DEFAULTED' where id = $1`, [defaulted.leaseId]);
      await expect(postAsApp(paid, 'LATE_FEE')).rejects.toThrow(/charges an installment that is PAID on a lease that is ACTIVE/);
      await expect(postAsApp(defaulted, 'LATE_FEE')).rejects.toThrow(/charges an installment that is DUE on a lease that is DEFAULTED/);
      // A waiver larger than its fee.
      await postAsApp(l, 'LATE_FEE');
      await expect(postAsApp(l, 'LATE_FEE_WAIVER', { amount: 149901 })).rejects.toThrow(/moves 149901 cents where its source says 5000/);
      // A submission of another amount than the payment's, a failure of another amount than the submission's, or on other accounts.
      const paymentId = await insertPayment(other, 'PROCESSING');
      await expect(postAsApp(other, 'PAYMENT_SUBMITTED', { paymentId, amount: 1 })).rejects.toThrow(movesOther);
      await postAsApp(other, 'PAYMENT_SUBMITTED', { paymentId, amount: 150000 });
      await expect(postAsApp(other, 'PAYMENT_FAILED', { paymentId, amount: 1_500_000 })).rejects.toThrow(/moves 1500000 cents where its source says 150000/);
      await expect(postAsApp(other, 'PAYMENT_FAILED', { paymentId, entries: [['LATE_FEE_INCOME', 150000], ['CASH_IN_TRANSIT', -150000]] })).rejects.toThrow(isNot);
      // A fee that is not the payment's (its feeCents is 0 here: no fee posting at all).
      await postAsApp(other, 'PAYMENT_SETTLED', { paymentId, amount: 150000 });
      await expect(postAsApp(other, 'FEE', { paymentId, amount: 100 })).rejects.toThrow(/moves 100 cents where its source says 0/);
      // Each as its source says: accepted.
      await postAsApp(l, 'CHARGE', { amount: 150000 });
      await postAsApp(l, 'LATE_FEE_WAIVER');
      await postAsApp(other, 'PAYMENT_RETURNED', { paymentId, amount: 150000 });
      expect(await count([l.leaseId])).toBe(3);
      expect(await count([other.leaseId])).toBe(3);
    });

    it('charges or waives a late fee only while no payment pays its installment (found by a stranger, as the app role: a paid installment set DUE around the check with SET CONSTRAINTS ALL IMMEDIATE; a fee and a waiver beside a submitted payoff)', async () => {
      // Paid by its own payment: its status set DUE for the check, and PAID again after it, does not help.
      const paid = await lease();
      const payment = await insertPayment(paid, 'COMPLETED');
      await client.query(`update "Installment" set status = 'PAID' where id = $1`, [paid.installmentId]);
      await app.query('begin');
      try {
        await app.query(`update "Installment" set status = 'DUE' where id = $1`, [paid.installmentId]);
        const { rows } = await app.query<{ id: string }>(
          `insert into "LedgerTransaction" ("leaseId", kind, reason, "installmentId", "actorRole") values ($1, 'LATE_FEE', 'test', $2, 'SYSTEM') returning id`,
          [paid.leaseId, paid.installmentId],
        );
        await app.query(`insert into "LedgerEntry" ("transactionId", account, "amountCents") values ($1, 'RENTER_RECEIVABLE', 5000), ($1, 'LATE_FEE_INCOME', -5000)`, [rows[0]!.id]);
        // The posting's own check first (the status rule of 20261202160000 refuses the DUE too, at commit).
        await expect(app.query('set constraints "LedgerTransaction_is_its_posting", "LedgerEntry_is_its_posting" immediate')).rejects.toThrow(
          new RegExp(`\\(LATE_FEE\\): its installment is paid by payment ${payment}; a late fee is charged or waived only while no payment pays it`),
        );
      } finally {
        await app.query('rollback');
      }
      // Covered by an early payoff on its way, then completed.
      const covered = await lease(2);
      const payoff = await payoffOf(covered, [0, 1], 'PROCESSING');
      await expect(postAsApp(covered, 'LATE_FEE')).rejects.toThrow(new RegExp(`its installment is being paid by payment ${payoff} \\(PROCESSING\\)`));
      await asOwner(completedWithItsParts(payoff));
      await expect(postAsApp(covered, 'LATE_FEE')).rejects.toThrow(/charges an installment that is PAID/);
      // A waiver waits for the payment on its way; once it failed, the fee is the renter's to owe or the landlord's to waive.
      const l = await lease();
      await postAsApp(l, 'LATE_FEE');
      const attempt = await insertPayment(l, 'PROCESSING', 155000);
      await expect(postAsApp(l, 'LATE_FEE_WAIVER')).rejects.toThrow(new RegExp(`\\(LATE_FEE_WAIVER\\): its installment is being paid by payment ${attempt}`));
      await client.query(`update "Payment" set status = 'FAILED', "failureCode" = 'AC04' where id = $1`, [attempt]);
      await postAsApp(l, 'LATE_FEE_WAIVER');
    });

    it("writes an installment's payment as its rent and late fee, and its payments, parts, fees and waivers one transaction after another (found by a stranger, as the app role: a 1-cent and a 10,000,000-cent payment of 150,000; a waiver committed beside a payoff carrying the fee; a fee beside a payment without it)", async () => {
      const l = await lease(2);
      const pay = (amountCents: number, installment = 0) =>
        `insert into "Payment" (id, kind, "installmentId", "leaseId", "renterId", "landlordId", "fromAccountId", "toAccountId", rail, "amountCents", status, "submitAt", "expectedSettlementAt", "updatedAt")
         values (gen_random_uuid(), 'INSTALLMENT', '${l.installmentIds[installment]}', '${l.leaseId}', '${l.renterId}', '${l.landlordId}', '${l.from}', '${l.payout}', 'RTP', ${amountCents}, 'PENDING', now(), now(), now())`;
      const ledger = (kind: string, installment: number, [debit, credit]: [string, string]) =>
        `with t as (insert into "LedgerTransaction" ("leaseId", kind, reason, "installmentId", "actorRole") values ('${l.leaseId}', '${kind}', 'test', '${l.installmentIds[installment]}', 'SYSTEM') returning id)
         insert into "LedgerEntry" ("transactionId", account, "amountCents") select id, '${debit}'::"LedgerAccount", 5000 from t union all select id, '${credit}'::"LedgerAccount", -5000 from t`;
      const lateFee = (installment = 0) => ledger('LATE_FEE', installment, ['RENTER_RECEIVABLE', 'LATE_FEE_INCOME']);
      const waiver = (installment = 0) => ledger('LATE_FEE_WAIVER', installment, ['LATE_FEE_INCOME', 'RENTER_RECEIVABLE']);
      for (const cents of [1, 149_999, 150_001, 10_000_000]) {
        await expect(app.query(pay(cents))).rejects.toThrow(new RegExp(`of ${cents} cents for installment .*, where the installment says 150000 \\(rent 150000, late fee 0\\)`));
      }
      // A fee committed while a payment of the rent alone waits for the installment: the payment is refused, then made with the fee.
      expect(await race(lateFee(), pay(150_000))).toMatch(/where the installment says 155000 \(rent 150000, late fee 5000\)/);
      await app.query(pay(155_000));
      // A payment committed while a fee waits for the installment: the fee is refused.
      expect(await race(pay(150_000, 1), lateFee(1))).toMatch(/its installment is being paid by payment .* \(PENDING\)/);
      // A waiver committed while a payoff's part carrying the fee waits: the part is refused (its late fee is no longer owed).
      const other = await lease(1);
      await client.query(lateFee(0).replaceAll(l.leaseId, other.leaseId).replaceAll(l.installmentIds[0]!, other.installmentId));
      const payoff = await insertPayment(other, 'PENDING', 155_000, 'PAYOFF');
      const part = `insert into "PayoffInstallment" ("paymentId", "installmentId", "rentCents", "lateFeeCents", "discountCents") values ('${payoff}', '${other.installmentId}', 150000, 5000, 0)`;
      const otherWaiver = waiver(0).replaceAll(l.leaseId, other.leaseId).replaceAll(l.installmentIds[0]!, other.installmentId);
      expect(await race(otherWaiver, part)).toMatch(/rent 150000, late fee 5000, discount 0 where the installment says rent 150000, late fee 0/);
    });

    it("keeps an installment's status as its payments and its lease say (found by strangers, as the app role: PAID with no payment, DUE while its completed payment stood, WAIVED back to DUE)", async () => {
      /** `statements` in one transaction of the app's role, committed (or rolled back when one, or the commit, is refused). */
      const appTransaction = async (...statements: [string, unknown[]][]) => {
        await app.query('begin');
        try {
          for (const [sql, params] of statements) await app.query(sql, params);
          await app.query('commit');
        } catch (error) {
          await app.query('rollback');
          throw error;
        }
      };
      const setStatus = (id: string, status: string): [string, unknown[]] => [`update "Installment" set status = $2 where id = $1`, [id, status]];
      const movePayment = (id: string, status: string): [string, unknown[]] => [`update "Payment" set status = $2 where id = $1`, [id, status]];
      const statusOf = async (id: string) => (await client.query<{ status: string }>(`select status from "Installment" where id = $1`, [id])).rows[0]!.status;

      // PAID with no payment, or with one only on its way.
      const l = await lease(2);
      await expect(appTransaction(setStatus(l.installmentId, 'PAID'))).rejects.toThrow(/is PAID, and no payment pays it/);
      const payment = await insertPayment(l, 'PROCESSING');
      await expect(appTransaction(setStatus(l.installmentId, 'PAID'))).rejects.toThrow(new RegExp(`is PAID, and being paid by payment ${payment} \\(PROCESSING\\)`));
      // Settled as settlement writes it: the payment COMPLETED and its installment PAID, in one transaction, in either order.
      await appTransaction(setStatus(l.installmentId, 'PAID'), movePayment(payment, 'COMPLETED'));
      // DUE or FAILED while that payment stands: payable a second time.
      for (const status of ['DUE', 'FAILED']) {
        await expect(appTransaction(setStatus(l.installmentId, status))).rejects.toThrow(new RegExp(`is ${status}, and paid by payment ${payment}`));
      }
      // Its payment returned with the installment left PAID; with it FAILED, as returns.ts writes it.
      const returned: [string, unknown[]] = [`update "Payment" set status = 'RETURNED', "returnedAt" = now(), "failureCode" = 'R01' where id = $1`, [payment]];
      await expect(appTransaction(returned)).rejects.toThrow(/is PAID, and no payment pays it/);
      await appTransaction(returned, setStatus(l.installmentId, 'FAILED'));
      expect(await statusOf(l.installmentId)).toBe('FAILED');

      // An early payoff: its parts PAID with it, and only with it.
      const p = await lease(2);
      const payoff = await payoffOf(p, [0, 1], 'PROCESSING');
      // Completed with one of its two parts left DUE (found by a stranger: completed with both left DUE).
      await expect(appTransaction(movePayment(payoff, 'COMPLETED'), setStatus(p.installmentIds[0]!, 'PAID'))).rejects.toThrow(new RegExp(`is DUE, and paid by payment ${payoff}`));
      await appTransaction(movePayment(payoff, 'COMPLETED'), ...p.installmentIds.map((id) => setStatus(id, 'PAID')));
      await expect(appTransaction(setStatus(p.installmentIds[1]!, 'FAILED'))).rejects.toThrow(new RegExp(`is FAILED, and paid by payment ${payoff}`));
      // Nor an installment payment completed with its installment left DUE.
      const q = await lease();
      const direct = await insertPayment(q, 'PROCESSING');
      await expect(appTransaction(movePayment(direct, 'COMPLETED'))).rejects.toThrow(new RegExp(`is DUE, and paid by payment ${direct}`));

      // WAIVED: only on a lease that ended before it ran, and for good.
      await expect(appTransaction(setStatus(l.installmentIds[1]!, 'WAIVED'))).rejects.toThrow(/is WAIVED on a lease that is ACTIVE/);
      const offer = await lease(2, { accepted: false });
      await appTransaction([`update "Lease" set status = 'CANCELLED', "statusReason" = 'test' where id = $1`, [offer.leaseId]], ...offer.installmentIds.map((id) => setStatus(id, 'WAIVED')));
      for (const status of ['DUE', 'FAILED', 'PAID']) {
        await expect(appTransaction(setStatus(offer.installmentId, status))).rejects.toThrow(/is WAIVED: it stays WAIVED/);
      }
      // Nor written PAID or WAIVED with its schedule.
      await expect(lease(1, { installmentStatus: 'PAID' })).rejects.toThrow(/is PAID, and no payment pays it/);
      await expect(lease(1, { installmentStatus: 'WAIVED' })).rejects.toThrow(/is WAIVED on a lease that is PENDING/);
    });

    it('completes a lease only when it is paid in full and final, and reopens it only with an installment returned (open items, as the app role: COMPLETED with rent owed, ACTIVE again with nothing returned)', async () => {
      const inTransaction = async (...statements: [string, unknown[]][]) => {
        await app.query('begin');
        try {
          for (const [sql, params] of statements) await app.query(sql, params);
          await app.query('commit');
        } catch (error) {
          await app.query('rollback');
          throw error;
        }
      };
      const complete = (l: Awaited<ReturnType<typeof lease>>): [string, unknown[]] => [`update "Lease" set status = 'COMPLETED', "statusReason" = 'test' where id = $1`, [l.leaseId]];
      // Rent owed: installment 2 is DUE.
      const l = await lease(2);
      await expect(inTransaction(complete(l))).rejects.toThrow(/is COMPLETED with 2 installment\(s\) unpaid and 0 payment\(s\) still returnable/);
      // Installment 1 paid and installment 2 paid, but its payment not yet final.
      const payment = await insertPayment(l, 'COMPLETED');
      await client.query(`update "Installment" set status = 'PAID' where id = $1`, [l.installmentId]);
      const payoff = await payoffOf(l, [1], 'COMPLETED');
      await client.query(`update "Installment" set status = 'PAID' where id = $1`, [l.installmentIds[1]]);
      await expect(inTransaction(complete(l))).rejects.toThrow(/is COMPLETED with 0 installment\(s\) unpaid and 2 payment\(s\) still returnable/);
      // Final: completed (as completeLeaseIfPaidAndFinal writes it, with the finality it waited for).
      await inTransaction([`update "Payment" set "finalAt" = now() where id = $1`, [payment]], [`update "Payment" set "finalAt" = now() where id = $1`, [payoff]], complete(l));
      // Reopened with nothing returned.
      await expect(inTransaction([`update "Lease" set status = 'ACTIVE' where id = $1`, [l.leaseId]])).rejects.toThrow(/left COMPLETED with every installment still paid/);
      // A return that leaves the lease COMPLETED; and as returns.ts writes it, reopening it.
      const returned: [string, unknown[]] = [`update "Payment" set status = 'RETURNED', "returnedAt" = now(), "failureCode" = 'R10' where id = $1`, [payment]];
      const failed: [string, unknown[]] = [`update "Installment" set status = 'FAILED' where id = $1`, [l.installmentId]];
      await expect(inTransaction(returned, failed)).rejects.toThrow(/is COMPLETED with 1 installment\(s\) unpaid/);
      await inTransaction(returned, failed, [`update "Lease" set status = 'ACTIVE', "statusReason" = 'reopened' where id = $1`, [l.leaseId]]);
      expect((await client.query(`select status from "Lease" where id = $1`, [l.leaseId])).rows).toEqual([{ status: 'ACTIVE' }]);

      // Found by a stranger: on a completed lease, its final payment returned and another, not final, completed for the same installment in one transaction.
      const m = await lease();
      const first = await insertPayment(m, 'COMPLETED');
      await inTransaction([`update "Payment" set "finalAt" = now() where id = $1`, [first]], complete(m));
      const second = paymentRow(m);
      await inTransaction(second.insert, [`update "Payment" set status = 'PROCESSING' where id = $1`, [second.id]]);
      await expect(
        inTransaction([`update "Payment" set status = 'RETURNED', "returnedAt" = now(), "failureCode" = 'R10' where id = $1`, [first]], [`update "Payment" set status = 'COMPLETED' where id = $1`, [second.id]]),
      ).rejects.toThrow(/is COMPLETED with 0 installment\(s\) unpaid and 1 payment\(s\) still returnable/);
      // Found by a stranger: a lease with no schedule completed, its schedule written after.
      const bare = await lease(0);
      await inTransaction(complete(bare));
      await expect(
        inTransaction([`insert into "Installment" (id, "leaseId", number, "dueDate", "amountCents", "updatedAt") select gen_random_uuid(), $1, n, '2027-06-01', 150000, now() from generate_series(1, 3) n`, [bare.leaseId]]),
      ).rejects.toThrow(/is COMPLETED: a schedule is written with its lease, while it is offered \(PENDING\)/);
      // Found by a stranger: a payoff naming another lease's installment as its own (that installment's own payment could then never complete).
      const foreign = paymentRow(m, { kind: 'PAYOFF' });
      foreign.insert[1][2] = l.installmentId;
      await expect(inTransaction(foreign.insert)).rejects.toThrow(/which is not of its lease/);
    });

    it('checks an installment status written beside a return one after the other (as the app role: each alone keeps the rule, together they would not)', async () => {
      // A completed payment whose installment was left DUE, written behind the rule that refuses it: PAID alone is right, and so is the return alone.
      const completedLeftDue = async (l: Awaited<ReturnType<typeof lease>>) => {
        const id = await insertPayment(l, 'PROCESSING');
        await asOwner([[`update "Payment" set status = 'COMPLETED' where id = $1`, [id]]], { without: [['Payment', 'Payment_completed_as_its_installments'], ['Payment', 'Payment_completed_as_its_lease']] });
        return id;
      };
      const l = await lease();
      const payment = await completedLeftDue(l);
      const paid = `update "Installment" set status = 'PAID' where id = '${l.installmentId}'`;
      const returned = `update "Payment" set status = 'RETURNED', "returnedAt" = now(), "failureCode" = 'R01' where id = '${payment}'`;
      expect(await race(paid, returned)).toMatch(/is PAID, and no payment pays it/);
      // The other way round: the return's commit waits for the installment and then refuses.
      const m = await lease();
      const other = await completedLeftDue(m);
      await expect(race(`update "Payment" set status = 'RETURNED', "returnedAt" = now(), "failureCode" = 'R01' where id = '${other}'`, `update "Installment" set status = 'PAID' where id = '${m.installmentId}'`)).rejects.toThrow(
        /is PAID, and no payment pays it/,
      );
      expect((await client.query(`select p.status::text || ' ' || i.status::text as s from "Payment" p join "Installment" i on i.id = p."installmentId" where p.id = any($1::uuid[]) order by p.status`, [[payment, other]])).rows).toEqual([
        { s: 'COMPLETED PAID' },
        { s: 'COMPLETED PAID' },
      ]);
    });

    it('moves a lease only as LEASE_TRANSITIONS allows (lease_may_move, every pair; found by a stranger: ACTIVE back to PENDING)', async () => {
      const statuses = Object.keys(LEASE_TRANSITIONS) as (keyof typeof LEASE_TRANSITIONS)[];
      const pairs = statuses.flatMap((from) => statuses.filter((to) => to !== from).map((to) => [from, to] as const));
      const { rows } = await app.query<{ may: boolean }>(
        `select "lease_may_move"(f, t) as may from unnest($1::text[], $2::text[]) with ordinality as u(f, t, n) order by n`,
        [pairs.map(([from]) => from), pairs.map(([, to]) => to)],
      );
      expect(rows.map((row) => row.may)).toEqual(pairs.map(([from, to]) => (LEASE_TRANSITIONS[from] as readonly string[]).includes(to)));
      const l = await lease();
      await expect(app.query(`update "Lease" set status = 'PENDING' where id = $1`, [l.leaseId])).rejects.toThrow(/cannot move from ACTIVE to PENDING/);
      await app.query(`update "Lease" set status = 'DEFAULTED' where id = $1`, [l.leaseId]);
      await expect(app.query(`update "Lease" set status = 'ACTIVE' where id = $1`, [l.leaseId])).rejects.toThrow(/cannot move from DEFAULTED to ACTIVE/);
    });

    it('moves a payment only as PAYMENT_TRANSITIONS allows (payment_may_move, every pair)', async () => {
      const statuses = Object.keys(PAYMENT_TRANSITIONS) as (keyof typeof PAYMENT_TRANSITIONS)[];
      const pairs = statuses.flatMap((from) => statuses.filter((to) => to !== from).map((to) => [from, to] as const));
      const { rows } = await app.query<{ may: boolean }>(
        `select "payment_may_move"(f, t) as may from unnest($1::text[], $2::text[]) with ordinality as u(f, t, n) order by n`,
        [pairs.map(([from]) => from), pairs.map(([, to]) => to)],
      );
      expect(rows.map((row) => row.may)).toEqual(pairs.map(([from, to]) => (PAYMENT_TRANSITIONS[from] as readonly string[]).includes(to)));
      const l = await lease();
      const completed = await insertPayment(l, 'COMPLETED');
      await expect(app.query(`update "Payment" set status = 'PROCESSING' where id = $1`, [completed])).rejects.toThrow(/cannot move from COMPLETED to PROCESSING/);
    });

    it("adds a payoff's parts one transaction after another, at READ COMMITTED (found by a stranger: two racing parts went over the discount bound; a part carried a late fee waived since a REPEATABLE READ snapshot)", async () => {
      const l = await lease(3);
      const payoff = await insertPayment(l, 'PENDING', 441_000, 'PAYOFF');
      const part = (installment: number, discount: number) =>
        `insert into "PayoffInstallment" ("paymentId", "installmentId", "rentCents", "lateFeeCents", "discountCents") values ('${payoff}', '${l.installmentIds[installment]}', 150000, 0, ${discount})`;
      await app.query(part(0, 0));
      // Rent 450,000 at 2 % allows 9,000 off: each part's 6,000 fits alone, not both.
      expect(await race(part(1, 6000), part(2, 6000))).toMatch(/takes 12000 cents off 450000 cents of rent/);
      await app.query('begin isolation level repeatable read');
      await expect(app.query(part(2, 0))).rejects.toThrow(/written at READ COMMITTED \(this transaction is repeatable read\)/);
      await app.query('rollback');
      await app.query(part(2, 0));
    });

    it("computes a late fee as schedule.ts lateFeeCents does, for any terms (late_fee_cents, the LATE_FEE posting's source)", async () => {
      const inputs = fc.sample(
        fc.record({
          amountCents: fc.integer({ min: 1, max: 100_000_000 }),
          lateFeeFlatCents: fc.integer({ min: 0, max: 1_000_000 }),
          lateFeeBasisPoints: fc.integer({ min: 0, max: 10_000 }),
          lateFeeCapCents: fc.option(fc.integer({ min: 0, max: 10_000_000 }), { nil: null }),
        }),
        { numRuns: 500, seed: 20261202 },
      );
      const { rows } = await app.query<{ fee: string }>(
        `select "late_fee_cents"(a, f, b, c)::text as fee from unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::bigint[]) with ordinality as u(a, f, b, c, n) order by n`,
        [inputs.map((i) => i.amountCents), inputs.map((i) => i.lateFeeFlatCents), inputs.map((i) => i.lateFeeBasisPoints), inputs.map((i) => i.lateFeeCapCents)],
      );
      expect(rows.map((row) => Number(row.fee))).toEqual(inputs.map((i) => lateFeeCents(i, i.amountCents)));
    });

    it('ends a submission once even when two transactions race to cancel and settle it (found by a stranger: both committed, the renter owed the rent again and the landlord was paid it)', async () => {
      const l = await lease();
      const paymentId = await insertPayment(l, 'PROCESSING');
      await postAsApp(l, 'PAYMENT_SUBMITTED', { paymentId, amount: 150000 });
      const posting = (kind: string) => {
        const [debit, credit] = POSTING[kind]!;
        return `with t as (insert into "LedgerTransaction" ("leaseId", kind, reason, "paymentId", "installmentId", "actorRole") values ('${l.leaseId}', '${kind}', 'race', '${paymentId}', '${l.installmentId}', 'SYSTEM') returning id)
          insert into "LedgerEntry" ("transactionId", account, "amountCents") select t.id, v.account::"LedgerAccount", v.amount from t, (values ('${debit}', 150000), ('${credit}', -150000)) v(account, amount)`;
      };
      expect(await race(posting('PAYMENT_CANCELLED'), posting('PAYMENT_SETTLED'))).toMatch(/LedgerTransaction_one_end_per_submission/);
      const { rows } = await client.query(`select kind from "LedgerTransaction" where "paymentId" = $1 order by id`, [paymentId]);
      expect(rows.map((row) => row.kind)).toEqual(['PAYMENT_SUBMITTED', 'PAYMENT_CANCELLED']);
    });

    it("refuses an installment added to a lease's schedule after it was written (found by a stranger: a 99,999,999-cent installment was charged and shown overdue)", async () => {
      const l = await lease(2);
      const add = (sql: string) => app.query(sql, [l.leaseId]);
      await expect(add(`insert into "Installment" (id, "leaseId", number, "dueDate", "amountCents", "updatedAt") values (gen_random_uuid(), $1, 3, '2026-09-01', 99999999, now())`)).rejects.toThrow(/has its schedule already/);
      await expect(
        add(`insert into "Installment" (id, "leaseId", number, "dueDate", "amountCents", "updatedAt") select gen_random_uuid(), $1, n, '2027-06-01', 1, now() from generate_series(3, 4) n`),
      ).rejects.toThrow(/has its schedule already/);
      const { rows } = await client.query(`select count(*)::int as n from "Installment" where "leaseId" = $1`, [l.leaseId]);
      expect(rows).toEqual([{ n: 2 }]);
      // Two schedules written at once into a lease that had none (an open item of the last notes): the second waits and is refused.
      const bare = await lease(0, { accepted: false });
      // (Numbers apart: the same numbers are refused by the unique index already.)
      const schedule = (amount: number, from: number) =>
        `insert into "Installment" (id, "leaseId", number, "dueDate", "amountCents", "updatedAt") select gen_random_uuid(), '${bare.leaseId}', n, '2027-06-01', ${amount}, now() from generate_series(${from}, ${from + 1}) n`;
      expect(await race(schedule(150000, 1), schedule(1, 3))).toMatch(/has its schedule already/);
      expect((await client.query(`select count(*)::int as n, min("amountCents")::int as least from "Installment" where "leaseId" = $1`, [bare.leaseId])).rows).toEqual([{ n: 2, least: 150000 }]);
    });

    it("takes a payoff's parts from its installments as they stand (found by a stranger: a 149,999 discount on 150,000 of rent at 2 %, and 1 cent of rent for a 150,000 installment, settled with the reconciliation clean)", async () => {
      const l = await lease(3);
      const other = await lease();
      const payoff = async (amountCents: number, discountCents: number) => {
        const { id, insert } = paymentRow(l, { kind: 'PAYOFF', amountCents, discountCents });
        await client.query(...insert);
        return id;
      };
      const part = (paymentId: string, installmentId: string, rent: number, fee: number, discount: number) =>
        app.query(`insert into "PayoffInstallment" ("paymentId", "installmentId", "rentCents", "lateFeeCents", "discountCents") values ($1, $2, $3, $4, $5)`, [paymentId, installmentId, rent, fee, discount]);
      const wrong = /is not a payoff of the lease|where the installment says|more than the lease's|PayoffInstallment_discountCents_range/;
      const p = await payoff(150_000, 0);
      await expect(part(p, l.installmentIds[0]!, 1, 0, 0)).rejects.toThrow(/rent 1, late fee 0, discount 0 where the installment says rent 150000, late fee 0/);
      await expect(part(p, l.installmentIds[0]!, 150_000, 5000, 0)).rejects.toThrow(wrong);
      await expect(part(p, l.installmentIds[0]!, 150_000, 0, -1)).rejects.toThrow(wrong);
      await expect(part(p, l.installmentIds[0]!, 150_000, 0, 150_001)).rejects.toThrow(wrong);
      // The lease's rate is 2 % (200 bp): 150,000 of rent takes at most 3,000 off.
      await expect(part(p, l.installmentIds[0]!, 150_000, 0, 149_999)).rejects.toThrow(/takes 149999 cents off 150000 cents of rent: more than the lease's 200 basis points/);
      await expect(part(p, l.installmentIds[0]!, 150_000, 0, 3001)).rejects.toThrow(/more than the lease's 200 basis points/);
      // Another lease's installment, or a payment that is not a payoff.
      await expect(part(p, other.installmentId, 150_000, 0, 0)).rejects.toThrow(/is not a payoff of the lease/);
      await app.query(`update "Payment" set status = 'CANCELLED' where id = $1`, [p]);
      await expect(part(await insertPayment(l, 'CANCELLED'), l.installmentIds[1]!, 150_000, 0, 0)).rejects.toThrow(/is not a payoff of the lease/);
      await expect(part(p, l.installmentIds[0]!, 150_000, 0, 0)).rejects.toThrow(/is CANCELLED: its parts were fixed when it left PENDING/);
      // As computePayoff writes them: the late fee as charged (5,000), the discount on the last installments, within the rate.
      await postAsApp(l, 'LATE_FEE');
      const whole = await payoff(3 * 150_000 + 5000 - 9000, 9000);
      await app.query('begin');
      await app.query(
        `insert into "PayoffInstallment" ("paymentId", "installmentId", "rentCents", "lateFeeCents", "discountCents") values ($1, $2, 150000, 5000, 0), ($1, $3, 150000, 0, 0), ($1, $4, 150000, 0, 9000)`,
        [whole, ...l.installmentIds],
      );
      await app.query('commit');
    });

    it('cannot hide rows from the database rules behind temporary tables of the same name (found by a stranger: an unbalanced ledger transaction committed)', async () => {
      const l = await lease();
      const shadowed = async (setup: string, write: (id: string) => Promise<unknown>) => {
        await app.query('begin');
        try {
          await app.query(setup);
          const { rows } = await app.query<{ id: string }>(
            `insert into "LedgerTransaction" ("leaseId", kind, reason, "installmentId", "actorRole") values ($1, 'LATE_FEE', 'unbalanced behind a shadow', $2, 'SYSTEM') returning id`,
            [l.leaseId, l.installmentId],
          );
          await write(rows[0]!.id);
          await app.query('commit');
        } catch (error) {
          await app.query('rollback').catch(() => undefined);
          throw error;
        }
      };
      // The check sums the entries it finds by name: a temporary "LedgerEntry" with balancing rows
      // would be found first on the session's search_path.
      await expect(
        shadowed(`create temp table "LedgerEntry" ("transactionId" bigint, "amountCents" bigint) on commit drop`, async (id) => {
          await app.query(`insert into public."LedgerEntry" ("transactionId", account, "amountCents") values ($1, 'RENTER_RECEIVABLE', 999999)`, [id]);
          await app.query(`insert into pg_temp."LedgerEntry" values ($1, 1), ($1, -1)`, [id]);
        }),
      ).rejects.toThrow(/does not balance/);
      // Nor with the search_path set to put pg_temp first explicitly.
      await expect(
        shadowed(`create temp table "LedgerEntry" ("transactionId" bigint, "amountCents" bigint) on commit drop; set local search_path = pg_temp, public`, async (id) => {
          await app.query(`insert into public."LedgerEntry" ("transactionId", account, "amountCents") values ($1, 'RENTER_RECEIVABLE', 999999)`, [id]);
          await app.query(`insert into pg_temp."LedgerEntry" values ($1, 1), ($1, -1)`, [id]);
        }),
      ).rejects.toThrow(/does not balance/);
      expect((await client.query(`select count(*)::int as n from "LedgerTransaction" where "leaseId" = $1`, [l.leaseId])).rows).toEqual([{ n: 0 }]);
      // Every rule function of ours resolves names on a search_path of its own.
      const { rows } = await client.query<{ proname: string; config: string[] | null }>(
        `select p.proname, p.proconfig as config from pg_proc p join pg_namespace n on n.oid = p.pronamespace where n.nspname = current_schema() and p.prolang = (select oid from pg_language where lanname = 'plpgsql')`,
      );
      expect(rows.length).toBeGreaterThanOrEqual(6);
      for (const row of rows) expect({ fn: row.proname, config: row.config }).toEqual({ fn: row.proname, config: [expect.stringMatching(/^search_path=public, pg_catalog, pg_temp$/)] });
    });
  });
});

describe("the app's database role reads and writes rows, and nothing more", () => {
  const appRefused = (sql: string, error: RegExp, params: unknown[] = []) => expect(app.query(sql, params)).rejects.toThrow(error);

  it('is neither a superuser nor the owner of any table', async () => {
    const { rows } = await app.query(`select current_user as me, rolsuper, rolcreatedb, rolcreaterole, rolbypassrls from pg_roles where rolname = current_user`);
    expect(rows[0]).toMatchObject({ rolsuper: false, rolcreatedb: false, rolcreaterole: false, rolbypassrls: false });
    const { rows: owned } = await app.query(
      `select count(*)::int as n from pg_class c join pg_namespace n on n.oid = c.relnamespace
       where n.nspname in ('public', 'inngest_engine') and pg_get_userbyid(c.relowner) = current_user`,
    );
    expect(owned).toEqual([{ n: 0 }]);
  });

  it('cannot switch off or get around the event history\'s append-only rule', async () => {
    const aggregateId = randomUUID();
    await app.query(
      `insert into "Event" ("aggregateType", "aggregateId", sequence, type, "actorRole", data, hash) values ('Lease', $1, 1, 'test', 'SYSTEM', '{}', $2)`,
      [aggregateId, 'f'.repeat(64)],
    );
    await appRefused(`alter table "Event" disable trigger "Event_append_only_rows"`, /must be owner/);
    await appRefused(`alter table "Event" disable trigger all`, /must be owner/);
    await appRefused(`set session_replication_role = replica`, /permission denied/);
    await appRefused(`truncate "Event"`, /permission denied/);
    await appRefused(`update "Event" set reason = 'rewritten' where "aggregateId" = $1`, /permission denied/, [aggregateId]);
    await appRefused(`delete from "Event" where "aggregateId" = $1`, /permission denied/, [aggregateId]);
    await appRefused(`drop trigger "Event_append_only_rows" on "Event"`, /must be owner/);
    await appRefused(`create or replace function "event_history_is_append_only"() returns trigger language plpgsql as $$ begin return old; end $$`, /must be owner|permission denied/);
    const { rows } = await client.query(`select reason from "Event" where "aggregateId" = $1`, [aggregateId]);
    expect(rows).toEqual([{ reason: null }]);
  });

  it('cannot change the schema, truncate any table or rewrite the migration history', async () => {
    await appRefused(`create table "Intruder" (id int)`, /permission denied/);
    await appRefused(`create table inngest_engine.intruder (id int)`, /permission denied/);
    await appRefused(`alter table "User" add column intruder int`, /must be owner/);
    await appRefused(`drop table "RateLimit"`, /must be owner/);
    await appRefused(`create index "Intruder_idx" on "User"(name)`, /must be owner/);
    await appRefused(`truncate "User" cascade`, /permission denied/);
    await appRefused(`truncate inngest_engine.runs cascade`, /permission denied/);
    await appRefused(`delete from "_prisma_migrations"`, /permission denied/);
    // The contract and the money are kept: no DELETE of a lease, an installment, a payment or a payoff's part.
    for (const table of ['Lease', 'Installment', 'Payment', 'PayoffInstallment', 'User']) await appRefused(`delete from "${table}" where false`, /permission denied/);
    await appRefused(`insert into inngest_engine."_prisma_migrations" (id, checksum, migration_name) values ('x', 'x', 'x')`, /permission denied/);
    // Reading the migration history is allowed: /api/health reports the latest one.
    const { rows } = await app.query(`select count(*)::int as n from "_prisma_migrations"`);
    expect(rows[0].n).toBeGreaterThan(0);
  });

  it("reads, inserts, updates and deletes ordinary rows, in the app's tables and the engine's", async () => {
    const email = `${randomUUID()}@example.com`;
    const { rows } = await app.query<{ id: string }>(
      `insert into "User" (id, email, name, role, "passwordHash", "updatedAt") values (gen_random_uuid(), $1, 'Before', 'RENTER', 'x', now()) returning id`,
      [email],
    );
    const id = rows[0]!.id;
    await app.query(`update "User" set name = 'After' where id = $1`, [id]);
    expect((await app.query(`select name from "User" where id = $1 for update`, [id])).rows).toEqual([{ name: 'After' }]);
    const { rows: [session] } = await app.query<{ id: string }>(`insert into "Session" (id, "userId", "expiresAt") values (gen_random_uuid(), $1, now() + interval '1 day') returning id`, [id]);
    await app.query(`delete from "Session" where id = $1`, [session!.id]);
    expect((await app.query(`select 1 from "Session" where id = $1`, [session!.id])).rowCount).toBe(0);
    // Identity columns draw from sequences the role may use.
    await app.query(
      `insert into "Event" ("aggregateType", "aggregateId", sequence, type, "actorRole", data, hash) values ('Lease', $1, 1, 'test', 'SYSTEM', '{}', $2)`,
      [randomUUID(), 'f'.repeat(64)],
    );
    const { rows: engineTables } = await app.query<{ table_name: string }>(
      `select table_name from information_schema.tables where table_schema = 'inngest_engine' and table_name <> '_prisma_migrations'`,
    );
    expect(engineTables.length).toBeGreaterThan(0);
    for (const { table_name } of engineTables) {
      // The engine's append-only record of operator actions: read and insert only.
      const appendOnly = APPEND_ONLY_TABLES.includes(`inngest_engine.${app.escapeIdentifier(table_name)}`);
      for (const privilege of ['SELECT', 'INSERT', 'UPDATE', 'DELETE']) {
        const { rows: has } = await app.query(`select has_table_privilege($1, $2) as ok`, [`inngest_engine.${app.escapeIdentifier(table_name)}`, privilege]);
        expect(has, `${privilege} on inngest_engine.${table_name}`).toEqual([{ ok: !appendOnly || privilege === 'SELECT' || privilege === 'INSERT' }]);
      }
      const { rows: truncate } = await app.query(`select has_table_privilege($1, 'TRUNCATE') as ok`, [`inngest_engine.${app.escapeIdentifier(table_name)}`]);
      expect(truncate).toEqual([{ ok: false }]);
    }
  });
});
