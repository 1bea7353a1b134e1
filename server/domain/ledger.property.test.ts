// A randomized check of the ledger (fast-check, fixed seed): random sequences of charges
// falling due, payments, submissions, settlements, failures, ACH returns, cancellations, late
// fees and waivers on one lease, through the same domain functions the app runs. After every step,
// every ledger transaction sums to zero and the ledger's balances equal what the payments and
// installments say — computed here from those tables and a model of the fees, not from the
// ledger.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { db } from '@/server/db';
import { payingRenter } from '@/server/testing/payments';
import type { Actor } from './actor';
import { DomainError } from './errors';
import { businessDay, chargeLateFee, ledgerBalances, postChargesDue, reconcileLease, waiveLateFee } from './ledger';
import { cancelPayment, createPayment } from './payments';
import { returnPayment } from './returns';
import { settlePayment, submitPayment } from './settlement';

const INSTALLMENTS = 4;
const LATE_FEE = 4_321;
const FAR_FUTURE = '2999-01-01';

type Step =
  | { kind: 'pay'; installment: number; rail: 'RTP' | 'STANDARD_ACH' | 'SAME_DAY_ACH' | 'WIRE' }
  | { kind: 'submit' | 'settle' | 'fail' | 'cancel' | 'return'; pick: number }
  | { kind: 'lateFee' | 'waive'; installment: number }
  | { kind: 'chargeAll' };

const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('pay' as const), installment: fc.nat(INSTALLMENTS - 1), rail: fc.constantFrom('RTP' as const, 'STANDARD_ACH' as const, 'SAME_DAY_ACH' as const, 'WIRE' as const) }) },
  ...(['submit', 'settle', 'fail', 'cancel', 'return'] as const).map((kind) => ({ weight: 2, arbitrary: fc.record({ kind: fc.constant(kind), pick: fc.nat(7) }) })),
  { weight: 2, arbitrary: fc.record({ kind: fc.constantFrom('lateFee' as const, 'waive' as const), installment: fc.nat(INSTALLMENTS - 1) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('chargeAll' as const) }) },
);

/** Runs a step; a refusal the rules call for (CONFLICT, nothing to do) is part of the game. */
async function attempt(run: () => Promise<unknown>): Promise<boolean> {
  try {
    await run();
    return true;
  } catch (error) {
    if (error instanceof DomainError && error.code === 'CONFLICT') return false;
    throw error;
  }
}

describe('the ledger under random sequences of business events', () => {
  it('keeps every transaction at zero and its balances equal to what payments and installments say', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 10, maxLength: 22, size: 'max' }), async (steps) => {
        // Due on the 1st; two installments already due (charged on acceptance), two in the future.
        const [year, month] = businessDay().split('-').map(Number) as [number, number];
        const startDate = new Date(Date.UTC(year, month - 2, 1)).toISOString().slice(0, 10);
        const setup = await payingRenter({ terms: { startDate, termMonths: INSTALLMENTS, dueDay: 1, monthlyRentCents: 123_456, lateFeeFlatCents: LATE_FEE } });
        const renter: Actor = { id: setup.renter.id, role: 'RENTER' };
        const landlord: Actor = { id: setup.landlord.id, role: 'LANDLORD' };
        const installments = setup.lease.installments;
        const leaseId = setup.lease.id;
        // The model: which installments fell due, and each late fee (charged, waived).
        const charged = new Set(installments.filter((i) => i.dueDate <= businessDay()).map((i) => i.id));
        const lateFees = new Map<string, { cents: number; waived: boolean }>();
        const outstandingFee = (id: string) => (lateFees.get(id) && !lateFees.get(id)!.waived ? LATE_FEE : 0);

        const paymentsIn = async (statuses: string[]) =>
          db.payment.findMany({ where: { leaseId, status: { in: statuses as never } }, orderBy: { createdAt: 'asc' }, select: { id: true, installmentId: true, amountCents: true, feeCents: true } });

        for (const s of steps) {
          if (s.kind === 'pay') {
            const installment = installments[s.installment]!;
            const expected = installment.amountCents + outstandingFee(installment.id);
            await attempt(async () => {
              const { result } = await createPayment(db, renter, { installmentId: installment.id, fromAccountId: setup.from.id, rail: s.rail }, null);
              expect(result.amountCents).toBe(expected);
            });
          } else if (s.kind === 'submit' || s.kind === 'cancel') {
            const pending = await paymentsIn(['PENDING']);
            const target = pending[s.pick % Math.max(pending.length, 1)];
            if (target && s.kind === 'submit') await db.$transaction((tx) => submitPayment(tx, target.id));
            if (target && s.kind === 'cancel') await db.$transaction((tx) => cancelPayment(tx, renter, { id: target.id }));
          } else if (s.kind === 'settle' || s.kind === 'fail') {
            const processing = await paymentsIn(['PROCESSING']);
            const target = processing[s.pick % Math.max(processing.length, 1)];
            if (target) await db.$transaction((tx) => settlePayment(tx, target.id, s.kind === 'settle' ? { ok: true } : { ok: false, code: 'R01', reason: 'Insufficient funds' }));
          } else if (s.kind === 'return') {
            const returnable = await db.payment.findMany({ where: { leaseId, status: 'COMPLETED', finalAt: null }, orderBy: { createdAt: 'asc' }, select: { id: true, installmentId: true } });
            const target = returnable[s.pick % Math.max(returnable.length, 1)];
            if (target) {
              const lease = await db.lease.findUniqueOrThrow({ where: { id: leaseId }, select: { status: true } });
              const installment = installments.find((i) => i.id === target.installmentId)!;
              await db.$transaction((tx) => returnPayment(tx, target.id, { code: s.pick % 2 ? 'R10' : 'R01' }));
              // Returned today, after the (zero-day) grace of an installment already due: its late fee, once.
              if (lease.status === 'ACTIVE' && installment.dueDate < businessDay() && !lateFees.has(installment.id)) lateFees.set(installment.id, { cents: LATE_FEE, waived: false });
            }
          } else if (s.kind === 'lateFee') {
            const installment = installments[s.installment]!;
            const cents = await chargeLateFee(db, { id: installment.id, leaseId }, FAR_FUTURE);
            if (cents) {
              expect(lateFees.has(installment.id)).toBe(false);
              lateFees.set(installment.id, { cents, waived: false });
            }
          } else if (s.kind === 'waive') {
            const installment = installments[s.installment]!;
            if (lateFees.has(installment.id)) {
              if (await attempt(() => waiveLateFee(db, landlord, { installmentId: installment.id, reason: 'property test' }))) lateFees.get(installment.id)!.waived = true;
            }
          } else {
            await db.$transaction((tx) => postChargesDue(tx, { through: FAR_FUTURE, leaseId }));
            for (const i of installments) charged.add(i.id);
          }

          // Every ledger transaction sums to zero (the database refuses anything else at commit).
          const unbalanced = await db.$queryRaw<unknown[]>`
            SELECT t.id FROM "LedgerTransaction" t JOIN "LedgerEntry" e ON e."transactionId" = t.id
            WHERE t."leaseId" = ${leaseId}::uuid GROUP BY t.id HAVING sum(e."amountCents") <> 0`;
          expect(unbalanced).toEqual([]);

          // Balances from the ledger…
          const sums = await db.$queryRaw<{ account: string; cents: bigint }[]>`
            SELECT e.account, sum(e."amountCents") AS cents FROM "LedgerEntry" e JOIN "LedgerTransaction" t ON t.id = e."transactionId"
            WHERE t."leaseId" = ${leaseId}::uuid GROUP BY e.account`;
          const ledger = Object.fromEntries(sums.map((r) => [r.account, Number(r.cents)])) as Record<string, number | undefined>;
          // …against what the payments and installments say.
          const inFlight = await paymentsIn(['PENDING', 'PROCESSING']);
          const completed = await paymentsIn(['COMPLETED']);
          const lateFeeRows = await db.ledgerTransaction.count({ where: { leaseId, kind: 'LATE_FEE' } });
          expect(lateFeeRows).toBe(lateFees.size);
          const total = (rows: { amountCents: number }[]) => rows.reduce((sum, p) => sum + p.amountCents, 0);
          const chargedRent = installments.filter((i) => charged.has(i.id)).reduce((sum, i) => sum + i.amountCents, 0);
          const fees = [...lateFees.values()].filter((f) => !f.waived).reduce((sum, f) => sum + f.cents, 0);
          expect(ledger.CASH_IN_TRANSIT ?? 0).toBe(total(inFlight));
          expect(ledger.LANDLORD_PAID ?? 0).toBe(total(completed));
          expect(ledger.DIRECTPAY_CASH ?? 0).toBe(completed.reduce((sum, p) => sum + p.feeCents, 0));
          expect(0 - (ledger.FEE_INCOME ?? 0)).toBe(ledger.DIRECTPAY_CASH ?? 0);
          expect(0 - (ledger.LANDLORD_PAYABLE ?? 0)).toBe(chargedRent);
          expect(0 - (ledger.LATE_FEE_INCOME ?? 0)).toBe(fees);
          expect(ledger.RENTER_RECEIVABLE ?? 0).toBe(chargedRent + fees - total(inFlight) - total(completed));
          // The installments: PAID exactly when a completed payment exists.
          const statuses = await db.installment.findMany({ where: { leaseId }, select: { id: true, status: true } });
          for (const i of statuses) expect(i.status === 'PAID').toBe(completed.some((p) => p.installmentId === i.id));
          // The API's balances agree, and reconciliation finds nothing.
          const balances = await ledgerBalances(db, landlord, { leaseId });
          expect(balances.inFlightCents).toBe(total(inFlight));
          expect(balances.collectedCents + balances.returnableCents).toBe(total(completed));
          expect(balances.lateFeesCents).toBe(fees);
          expect((await reconcileLease(db, leaseId)).differences).toEqual([]);
        }
      }),
      { seed: 20261129, numRuns: 4, endOnFailure: true },
    );
  }, 240_000);
});
