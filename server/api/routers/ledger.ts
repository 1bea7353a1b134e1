import { authedProcedure, createTRPCRouter, landlordProcedure } from '@/server/api/trpc';
import { reconcileInput, tenantLedgerInput, waiveLateFeeInput } from '@/server/api/schemas/ledger';
import { ledgerBalances, reconcileOwnLease, tenantLedger, waiveLateFee } from '@/server/domain/ledger';

export const ledgerRouter = createTRPCRouter({
  /** The lease's ledger with a running balance of what the renter owes, and its balances (with `asOf`, as they stood then); for its landlord and renter. */
  tenant: authedProcedure.input(tenantLedgerInput).query(({ ctx, input }) => tenantLedger(ctx.db, ctx.actor, input)),
  /** Totals over the caller's leases: due, overdue, in flight, returnable, collected (final), late fees — in cents. */
  balances: authedProcedure.query(({ ctx }) => ledgerBalances(ctx.db, ctx.actor)),
  /** The landlord waives the late fee on an installment, with a reason (a reversing entry). */
  waiveLateFee: landlordProcedure.input(waiveLateFeeInput).mutation(({ ctx, input }) => waiveLateFee(ctx.db, ctx.actor, input)),
  /** Checks the lease's ledger against its payments and installments now, and lists any difference. */
  reconcile: landlordProcedure.input(reconcileInput).query(({ ctx, input }) => reconcileOwnLease(ctx.db, ctx.actor, input)),
});
