import { createTRPCRouter, landlordProcedure, renterProcedure } from '@/server/api/trpc';
import { landlordDashboard, renterDashboard } from '@/server/domain/dashboard';

export const dashboardRouter = createTRPCRouter({
  /** The landlord's dashboard: due vs collected per ET month (last 12), ledger totals, recent activity, leases to export. */
  landlord: landlordProcedure.query(({ ctx }) => landlordDashboard(ctx.db, ctx.actor)),
  /** The renter's dashboard: balances, and per lease its balance and the next installment to pay. */
  renter: renterProcedure.query(({ ctx }) => renterDashboard(ctx.db, ctx.actor)),
});
