import { authedProcedure, createTRPCRouter, landlordProcedure, landlordSessionProcedure, limitPerUser, renterProcedure } from '@/server/api/trpc';
import { LIMITS } from '@/server/domain/rate-limit';
import { byId } from '@/server/api/schemas/common';
import { cancelLeaseInput, changePayoutInput, createLeaseInput, declineLeaseInput, leaseCreateWarningsInput, leaseHistoryInput, leaseTermsInput, listLeasesInput, payoffQuoteInput } from '@/server/api/schemas/lease';
import { quotePayoff } from '@/server/domain/payoff';
import { acceptLease, cancelLease, changeLeasePayout, countLeasesByStatus, createLease, declineLease, getLease, leaseCreateWarnings, leaseHistory, listLeases } from '@/server/domain/leases';
import { buildSchedule } from '@/server/domain/schedule';
import { requestOutboxDispatch } from '@/inngest/outbox';
import type { LeaseDetail, LeaseSummary } from '@/server/domain/leases';
import type { Page } from '@/server/domain/pagination';
import { describes, leaseDetailOutput, leasePageOutput } from '@/server/api/schemas/outputs';

/**
 * Runs a write, then starts the mail and webhooks it queued. The request is not awaited: the
 * rows are committed, a failed send is logged and the dispatcher's minute sweep sends them
 * (inngest/outbox.ts), so the answer need not wait for the engine's intake (a round trip and
 * a transaction of its own; BENCHMARKS.md).
 */
async function thenDispatch<T>(write: Promise<T>): Promise<T> {
  const result = await write;
  requestOutboxDispatch();
  return result;
}

export const leaseRouter = createTRPCRouter({
  /**
   * Offers a lease (PENDING) with its generated schedule and mails the invitation. Answers the
   * same whether or not the address has an account: `renter` stays null until they accept.
   */
  create: landlordProcedure.input(createLeaseInput).use(limitPerUser(LIMITS.leaseInvitationsPerUser)).mutation(({ ctx, input }) => thenDispatch(ctx.db.$transaction((tx) => createLease(tx, ctx.actor, input)))),
  /** The landlord's leases, or the leases naming the renter. */
  list: authedProcedure
    .meta({ openapi: { method: 'GET', path: '/leases', tags: ['Leases'], summary: 'The landlord’s leases, or the leases naming the renter' } })
    .input(listLeasesInput)
    .output(describes<Page<LeaseSummary>>(leasePageOutput))
    .query(({ ctx, input }) => listLeases(ctx.db, ctx.actor, input)),
  /** How many of the caller's leases are in each status: the dashboards' summary. */
  countByStatus: authedProcedure.query(({ ctx }) => countLeasesByStatus(ctx.db, ctx.actor)),
  /** The lease with its schedule as `installments`. */
  byId: authedProcedure
    .meta({ openapi: { method: 'GET', path: '/leases/{id}', tags: ['Leases'], summary: 'A lease with its schedule (installments)' } })
    .input(byId)
    .output(describes<LeaseDetail>(leaseDetailOutput))
    .query(({ ctx, input }) => getLease(ctx.db, ctx.actor, input)),
  /** The invited renter, with that email verified, accepts: the lease names them and is ACTIVE. */
  accept: renterProcedure.input(byId).mutation(({ ctx, input }) => thenDispatch(ctx.db.$transaction((tx) => acceptLease(tx, ctx.actor, input)))),
  /** The invited renter turns the lease down with a reason: DECLINED, and the landlord is told. */
  decline: renterProcedure.input(declineLeaseInput).use(limitPerUser(LIMITS.recordChangesPerUser)).mutation(({ ctx, input }) => thenDispatch(ctx.db.$transaction((tx) => declineLease(tx, ctx.actor, input)))),
  cancel: landlordProcedure.input(cancelLeaseInput).mutation(({ ctx, input }) => ctx.db.$transaction((tx) => cancelLease(tx, ctx.actor, input))),
  /** The lease's events; with `asOf`, also the lease as it was then, rebuilt from them. */
  history: authedProcedure.input(leaseHistoryInput).query(({ ctx, input }) => leaseHistory(ctx.db, ctx.actor, input)),
  /** The renter's early payoff of an ACTIVE lease: remaining installments, discount, late fees, amount to pay. */
  payoffQuote: renterProcedure.input(payoffQuoteInput).query(({ ctx, input }) => quotePayoff(ctx.db, ctx.actor, input)),
  /** Future payments of a pending or active lease go to another of the landlord's active accounts (the portal's session only, not a token). */
  changePayout: landlordSessionProcedure.input(changePayoutInput).use(limitPerUser(LIMITS.recordChangesPerUser)).mutation(({ ctx, input }) => ctx.db.$transaction((tx) => changeLeasePayout(tx, ctx.actor, input))),
  /** What lease.create would ask the landlord to confirm for these terms on this property (installments overdue at once, another lease on it). */
  createWarnings: landlordProcedure.input(leaseCreateWarningsInput).query(({ ctx, input }) => leaseCreateWarnings(ctx.db, ctx.actor, input)),
  /** The schedule these terms would generate, without writing anything. */
  preview: landlordProcedure.input(leaseTermsInput).query(({ input }) => buildSchedule(input)),
});
