// What the dashboards' CSV exports read (server/export/): a caller's payments in batches, a
// lease's ledger entries and the renter's statement. Scoped in the query like every read:
// payments by paymentScope, a lease's ledger through tenantLedger (its landlord and renter).
import type { Db } from '@/server/db';
import type { LedgerKind } from '@/server/generated/prisma/enums';
import type { Actor } from './actor';
import { tenantLedger, type TenantLedgerLine } from './ledger';
import { paymentScope } from './payments';
import { dayFromDate } from './schedule';

const paymentExportSelect = {
  id: true,
  createdAt: true,
  status: true,
  rail: true,
  amountCents: true,
  feeCents: true,
  attempt: true,
  failureCode: true,
  failureReason: true,
  settledAt: true,
  finalAt: true,
  returnedAt: true,
  leaseId: true,
  installment: { select: { number: true, dueDate: true } },
  lease: { select: { property: { select: { name: true } } } },
  renter: { select: { name: true } },
} as const;

export interface PaymentExportRow {
  id: string;
  createdAt: Date;
  status: string;
  rail: string;
  amountCents: number;
  feeCents: number;
  attempt: number;
  failureCode: string | null;
  failureReason: string | null;
  settledAt: Date | null;
  finalAt: Date | null;
  returnedAt: Date | null;
  leaseId: string;
  property: string;
  installmentNumber: number;
  dueDate: string;
  renter: string;
}

/**
 * The caller's payments (a landlord's incoming, a renter's own) created in [from, to], oldest
 * first, in keyset batches of `batchSize` (never all at once).
 */
export async function* paymentsForExport(db: Db, actor: Actor, input: { from?: Date; to?: Date }, batchSize = 1_000): AsyncGenerator<PaymentExportRow[]> {
  let cursor: string | undefined;
  for (;;) {
    const rows = await db.payment.findMany({
      where: { ...paymentScope(actor), createdAt: { ...(input.from ? { gte: input.from } : {}), ...(input.to ? { lte: input.to } : {}) } },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      take: batchSize,
      ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
      select: paymentExportSelect,
    });
    if (rows.length > 0) {
      yield rows.map(({ installment, lease, renter, ...row }) => ({
        ...row,
        property: lease.property.name,
        installmentNumber: installment.number,
        dueDate: dayFromDate(installment.dueDate),
        renter: renter.name,
      }));
    }
    if (rows.length < batchSize) return;
    cursor = rows[rows.length - 1]!.id;
  }
}

export interface LedgerEntryRow {
  transactionId: string;
  createdAt: Date;
  kind: LedgerKind;
  reason: string;
  installmentNumber: number | null;
  paymentId: string | null;
  account: string;
  /** Signed cents: debit positive, credit negative. */
  amountCents: number;
}

/** Every entry of the lease's ledger, in order (its landlord or renter; NOT_FOUND otherwise). */
export async function ledgerEntriesForExport(db: Db, actor: Actor, input: { leaseId: string }): Promise<LedgerEntryRow[]> {
  const ledger = await tenantLedger(db, actor, input);
  return ledger.lines.flatMap((line) =>
    line.entries.map((entry) => ({
      transactionId: line.id,
      createdAt: line.createdAt,
      kind: line.kind,
      reason: line.reason,
      installmentNumber: line.installmentNumber,
      paymentId: line.paymentId,
      account: entry.account,
      amountCents: entry.amountCents,
    })),
  );
}

/** How a statement names each kind of line that changes what the renter owes. */
const STATEMENT_LABELS: Record<LedgerKind, string> = {
  CHARGE: 'Rent charged',
  LATE_FEE: 'Late fee',
  LATE_FEE_WAIVER: 'Late fee waived',
  PAYMENT_SUBMITTED: 'Payment',
  PAYMENT_FAILED: 'Payment failed',
  PAYMENT_CANCELLED: 'Payment cancelled',
  PAYMENT_RETURNED: 'Payment returned',
  PAYMENT_SETTLED: 'Payment settled',
  FEE: 'Rail fee',
  FEE_REFUND: 'Rail fee refunded',
  PAYOFF_DISCOUNT: 'Early payoff discount',
  PAYOFF_DISCOUNT_REVERSED: 'Early payoff discount reversed',
};

export type StatementLine = Pick<TenantLedgerLine, 'createdAt' | 'kind' | 'reason' | 'installmentNumber' | 'installmentLabel' | 'paymentId' | 'amountCents' | 'balanceCents'> & { description: string };

/**
 * The renter's statement of a lease: the ledger lines that change what the renter owes
 * (charges, payments, late fees, waivers, failures and returns), each with the running balance.
 * Lines that leave the balance unchanged (a settlement, the rail fee, which is DirectPay's) are left out.
 */
export async function statementLines(db: Db, actor: Actor, input: { leaseId: string }): Promise<StatementLine[]> {
  const ledger = await tenantLedger(db, actor, input);
  return ledger.lines
    .filter((line) => line.amountCents !== 0)
    .map((line) => ({
      createdAt: line.createdAt,
      kind: line.kind,
      description: STATEMENT_LABELS[line.kind],
      reason: line.reason,
      installmentNumber: line.installmentNumber,
      installmentLabel: line.installmentLabel,
      paymentId: line.paymentId,
      amountCents: line.amountCents,
      balanceCents: line.balanceCents,
    }));
}
