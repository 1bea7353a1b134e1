import { authedProcedure, createTRPCRouter, limitPerUser } from '@/server/api/trpc';
import { LIMITS } from '@/server/domain/rate-limit';
import { auditEventsInput, auditVerifyInput } from '@/server/api/schemas/audit';
import { listAuditEvents, verifyVisibleChains } from '@/server/domain/audit';

export const auditRouter = createTRPCRouter({
  /**
   * The events the caller may see (landlord: their properties, leases, installments, payments,
   * own user and accounts; renter: theirs; operator: all), filtered, newest first, by keyset pages.
   */
  events: authedProcedure.input(auditEventsInput).query(({ ctx, input }) => {
    const { direction: _direction, ...rest } = input;
    return listAuditEvents(ctx.db, { ...ctx.actor, operator: ctx.user.operator }, rest);
  }),
  /** Recomputes every hash chain the caller may see (or one aggregate's) and reports the broken ones. */
  verify: authedProcedure.input(auditVerifyInput).use(limitPerUser(LIMITS.auditReadsPerUser)).query(({ ctx, input }) => verifyVisibleChains(ctx.db, { ...ctx.actor, operator: ctx.user.operator }, input ?? {})),
});
