import { authedProcedure, createTRPCRouter, limitPerUser, sessionProcedure } from '@/server/api/trpc';
import { LIMITS } from '@/server/domain/rate-limit';
import { byId } from '@/server/api/schemas/common';
import { createWebhookInput, redeliverWebhookInput, sendTestWebhookInput, updateWebhookInput, webhookDeliveriesInput } from '@/server/api/schemas/webhook';
import {
  createWebhookEndpoint,
  deleteWebhookEndpoint,
  listWebhookDeliveries,
  listWebhookEndpoints,
  redeliverWebhook,
  rotateWebhookSecret,
  sendTestWebhook,
  updateWebhookEndpoint,
} from '@/server/domain/webhooks';
import { requestOutboxDispatch } from '@/inngest/outbox';

/** Every webhook mutation counts against one per-user limit (LIMITS.webhookMutationsPerUser). */
const limitWebhookChanges = limitPerUser(LIMITS.webhookMutationsPerUser);

export const webhookRouter = createTRPCRouter({
  // Where events go and the secret that signs them (create, update, rotateSecret, delete): the
  // portal's session only, not a token. An endpoint keeps receiving the owner's payments and
  // leases after the token that made it is revoked, a new secret is a credential, and a leaked
  // token must not switch the owner's feed off.
  /** Registers an endpoint; its signing secret (`whsec_…`) is in this response only. */
  create: sessionProcedure.input(createWebhookInput).use(limitWebhookChanges).mutation(({ ctx, input }) => ctx.db.$transaction((tx) => createWebhookEndpoint(tx, ctx.actor, input))),
  list: authedProcedure.query(({ ctx }) => listWebhookEndpoints(ctx.db, ctx.actor)),
  /** New URL or events; `enabled: true` turns a disabled endpoint back on. */
  update: sessionProcedure.input(updateWebhookInput).use(limitWebhookChanges).mutation(({ ctx, input }) => ctx.db.$transaction((tx) => updateWebhookEndpoint(tx, ctx.actor, input))),
  /** A new secret, returned once; the old one stops signing at once. */
  rotateSecret: sessionProcedure.input(byId).use(limitWebhookChanges).mutation(({ ctx, input }) => ctx.db.$transaction((tx) => rotateWebhookSecret(tx, ctx.actor, input))),
  delete: sessionProcedure.input(byId).use(limitWebhookChanges).mutation(({ ctx, input }) => ctx.db.$transaction((tx) => deleteWebhookEndpoint(tx, ctx.actor, input))),
  /** The endpoint's deliveries, newest first, each with its attempts (status code, duration, error). */
  deliveries: authedProcedure.input(webhookDeliveriesInput).query(({ ctx, input }) => listWebhookDeliveries(ctx.db, ctx.actor, input)),
  /** Sends a finished delivery again with the same webhook-id. */
  redeliver: authedProcedure.input(redeliverWebhookInput).use(limitWebhookChanges).mutation(async ({ ctx, input }) => {
    const delivery = await ctx.db.$transaction((tx) => redeliverWebhook(tx, ctx.actor, input));
    requestOutboxDispatch();
    return delivery;
  }),
  /** Queues a `webhook.test` event for this endpoint. */
  sendTest: authedProcedure.input(sendTestWebhookInput).use(limitWebhookChanges).mutation(async ({ ctx, input }) => {
    const delivery = await ctx.db.$transaction((tx) => sendTestWebhook(tx, ctx.actor, input));
    requestOutboxDispatch();
    return delivery;
  }),
});
