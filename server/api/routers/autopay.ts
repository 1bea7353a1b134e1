import { authedProcedure, createTRPCRouter, limitPerUser, renterProcedure } from '@/server/api/trpc';
import { LIMITS } from '@/server/domain/rate-limit';
import { autopayByLease, enableAutopayInput, skipAutopayInput } from '@/server/api/schemas/autopay';
import { disableAutopay, enableAutopay, getAutopay, skipAutopayInstallment, type AutopayChange, type AutopayView } from '@/server/domain/autopay';
import { requestAutopayRun } from '@/inngest/autopay';

/** Starts the run the change scheduled (after its transaction committed) and answers the renter's view. */
async function scheduled(change: Promise<AutopayChange>): Promise<AutopayView> {
  const { autopay, run } = await change;
  await requestAutopayRun(run);
  return autopay;
}

/** enable, disable and skip: limited per renter (each (re)schedules a background run). */
const limitAutopayChanges = limitPerUser(LIMITS.autopayMutationsPerUser);

export const autopayRouter = createTRPCRouter({
  /** Turns autopay on (or changes it) for the renter's ACTIVE lease; schedules the next pull. */
  enable: renterProcedure.input(enableAutopayInput).use(limitAutopayChanges).mutation(({ ctx, input }) => scheduled(ctx.db.$transaction((tx) => enableAutopay(tx, ctx.actor, input)))),
  /**
   * The renter: enabled, account (name and last 4), rail, days before due, `nextPullAt` and
   * `nextNoticeAt` (real calendar). The landlord: `{ view: 'landlord', enabled, accountLast4 }` only.
   */
  get: authedProcedure.input(autopayByLease).query(({ ctx, input }) => getAutopay(ctx.db, ctx.actor, input)),
  /** Turns autopay off; waiting pulls do not happen. */
  disable: renterProcedure.input(autopayByLease).use(limitAutopayChanges).mutation(({ ctx, input }) => ctx.db.$transaction((tx) => disableAutopay(tx, ctx.actor, input))),
  /** Skips one installment: autopay does not pull it (the renter pays it by hand, and is reminded). */
  skip: renterProcedure.input(skipAutopayInput).use(limitAutopayChanges).mutation(({ ctx, input }) => scheduled(ctx.db.$transaction((tx) => skipAutopayInstallment(tx, ctx.actor, input)))),
});
