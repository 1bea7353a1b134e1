import { authedProcedure, createTRPCRouter, idempotencyKeyOfCall, limitPerUser, publicProcedure, renterProcedure } from '@/server/api/trpc';
import { LIMITS } from '@/server/domain/rate-limit';
import { byId, historyInput } from '@/server/api/schemas/common';
import { cancelPaymentInput, createPaymentInput, listPaymentsInput, payoffInput, quoteInput, retryPaymentInput } from '@/server/api/schemas/payment';
import { cancelPayment, createPayment, demoClock, getPayment, listPayments, listRails, paymentHistory, quoteRail, retryPayment } from '@/server/domain/payments';
import type { IdempotentResult } from '@/server/domain/idempotency';
import type { PaymentDetailView, PaymentView } from '@/server/domain/payments';
import { payOffLease } from '@/server/domain/payoff';
import { requestCancellationStop, requestSettlement } from '@/inngest/payments';
import { setRequestConcerns } from '@/server/request-context';
import type { Page } from '@/server/domain/pagination';
import { describes, paymentDetailOutput, paymentOutput, paymentPageOutput } from '@/server/api/schemas/outputs';
import { z } from 'zod';
import { idempotencyKey } from '@/server/api/schemas/payment';

/** The headers of an idempotent mutation on /api/v1, as the OpenAPI document describes them. */
const idempotentRest = {
  requestHeaders: z.object({ 'Idempotency-Key': idempotencyKey.optional().meta({ description: 'Makes a retried request answer the first one’s response (24 hours); or send `idempotencyKey` in the body' }) }),
  responseHeaders: z.object({ 'Idempotent-Replayed': z.literal('true').optional().meta({ description: 'Present on a replay: no second payment was made' }) }),
} as const;

/**
 * Marks replays with `Idempotent-Replayed: true`; asks for settlement only for a new payment.
 * The request is not awaited: the payment is committed, a failed send is logged and re-sent
 * by the recovery function (inngest/payments.ts), so the answer need not wait for the
 * engine's intake (a round trip and a transaction of its own; BENCHMARKS.md).
 */
function answer(resHeaders: Headers, { result, replayed }: IdempotentResult<PaymentView>): PaymentView {
  // The request's log line names the payment, which leads to its settlement run (the runs' "Concerns").
  setRequestConcerns({ paymentId: result.id });
  if (replayed) resHeaders.set('Idempotent-Replayed', 'true');
  else void requestSettlement(result.id);
  return result;
}

/**
 * create, payoff, retry and cancel: limited per user (PAYMENT_MUTATIONS_PER_USER_PER_MINUTE),
 * counted once the input (and the Idempotency-Key header) passed.
 */
const limitPayments = limitPerUser(LIMITS.paymentMutationsPerUser);

export const paymentRouter = createTRPCRouter({
  /** The rails: names, limits, fees, finality, cut-offs. */
  rails: publicProcedure.query(() => listRails()),
  /**
   * Paying over `rail` at `at` (default now) on the banking calendar: submitAt,
   * expectedSettlementAt, returnableUntil (null: final), feeCents, limitCents.
   */
  quote: publicProcedure.input(quoteInput).query(({ input }) => quoteRail(input.rail, input.at ?? new Date())),
  /** How fast this deployment plays the calendar: null at real time, else seconds per calendar day. */
  demoClock: publicProcedure.query(() => demoClock()),
  /** Pays one installment. Idempotent with an `Idempotency-Key` header or `idempotencyKey` field. */
  create: renterProcedure
    .meta({ openapi: { method: 'POST', path: '/payments', tags: ['Payments'], summary: 'Pay one installment', ...idempotentRest } })
    .input(createPaymentInput)
    .use(idempotencyKeyOfCall)
    .use(limitPayments)
    .output(describes<PaymentView>(paymentOutput))
    .mutation(async ({ ctx, input: { idempotencyKey: _field, ...input } }) => answer(ctx.resHeaders, await createPayment(ctx.db, ctx.actor, input, ctx.idempotencyKey))),
  /**
   * Pays an ACTIVE lease off early: one payment for every remaining installment less the lease's
   * payoff discount (the amount lease.payoffQuote answers). Idempotent like create.
   */
  payoff: renterProcedure
    .input(payoffInput)
    .use(idempotencyKeyOfCall)
    .use(limitPayments)
    .mutation(async ({ ctx, input: { idempotencyKey: _field, ...input } }) => answer(ctx.resHeaders, await payOffLease(ctx.db, ctx.actor, input, ctx.idempotencyKey))),
  /** A new attempt for a FAILED payment's installment (counted in `attempt`). */
  retry: renterProcedure
    .meta({ openapi: { method: 'POST', path: '/payments/{id}/retry', tags: ['Payments'], summary: 'A new attempt for a FAILED payment', ...idempotentRest } })
    .input(retryPaymentInput)
    .use(idempotencyKeyOfCall)
    .use(limitPayments)
    .output(describes<PaymentView>(paymentOutput))
    .mutation(async ({ ctx, input: { idempotencyKey: _field, ...input } }) => answer(ctx.resHeaders, await retryPayment(ctx.db, ctx.actor, input, ctx.idempotencyKey))),
  /** Stops a payment still PENDING (not yet submitted to its rail); CONFLICT once PROCESSING. */
  cancel: renterProcedure
    .meta({ openapi: { method: 'POST', path: '/payments/{id}/cancel', tags: ['Payments'], summary: 'Stop a payment still PENDING' } })
    .input(cancelPaymentInput)
    .use(limitPayments)
    .output(describes<PaymentView>(paymentOutput))
    .mutation(async ({ ctx, input }) => {
    const payment = await ctx.db.$transaction((tx) => cancelPayment(tx, ctx.actor, input));
    setRequestConcerns({ paymentId: payment.id });
    await requestCancellationStop(payment.id);
    return payment;
  }),
  byId: authedProcedure
    .meta({ openapi: { method: 'GET', path: '/payments/{id}', tags: ['Payments'], summary: 'One payment' } })
    .input(byId)
    .output(describes<PaymentDetailView>(paymentDetailOutput))
    .query(({ ctx, input }) => getPayment(ctx.db, ctx.actor, input)),
  /** The renter's payments, or the payments to the landlord; filters: lease, installment, status, rail. */
  list: authedProcedure
    .meta({ openapi: { method: 'GET', path: '/payments', tags: ['Payments'], summary: 'Your payments, newest first' } })
    .input(listPaymentsInput)
    .output(describes<Page<PaymentView>>(paymentPageOutput))
    .query(({ ctx, input }) => listPayments(ctx.db, ctx.actor, input)),
  /**
   * The payment's events; with `asOf`, also the payment as it was then, rebuilt from them.
   * Reads only, without a transaction (as lease.history): under READ COMMITTED one would make
   * its reads no more consistent, and BEGIN and COMMIT were two of its five round trips.
   */
  history: authedProcedure.input(historyInput).query(({ ctx, input }) => paymentHistory(ctx.db, ctx.actor, input)),
});
