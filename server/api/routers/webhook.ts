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
const webhookMutation = authedProcedure.use(limitPerUser(LIMITS.webhookMutationsPerUser));
/**
 * Where events go and the secret that signs them: the portal's session only, not a token. An
 * endpoint keeps receiving the owner's payments and leases after the token that made it is
 * revoked, and a new secret is a credential.
 */
const webhookTargetMutation = sessionProcedure.use(limitPerUser(LIMITS.webhookMutationsPerUser));

export const webhookRouter = createTRPCRouter({
  /** Registers an endpoint; its signing secret (`whsec_…`) is in this response only. */
  create: webhookTargetMutation.input(createWebhookInput).mutation(({ ctx, input }) => ctx.db.$transaction((tx) => createWebhookEndpoint(tx, ctx.actor, input))),
  list: authedProcedure.query(({ ctx }) => listWebhookEndpoints(ctx.db, ctx.actor)),
  /** New URL or events; `enabled: true` turns a disabled endpoint back on. */
  update: webhookTargetMutation.input(updateWebhookInput).mutation(({ ctx, input }) => ctx.db.$transaction((tx) => updateWebhookEndpoint(tx, ctx.actor, input))),
  /** A new secret, returned once; the old one stops signing at once. */
  rotateSecret: webhookTargetMutation.input(byId).mutation(({ ctx, input }) => ctx.db.$transaction((tx) => rotateWebhookSecret(tx, ctx.actor, input))),
  delete: webhookMutation.input(byId).mutation(({ ctx, input }) => ctx.db.$transaction((tx) => deleteWebhookEndpoint(tx, ctx.actor, input))),
  /** The endpoint's deliveries, newest first, each with its attempts (status code, duration, error). */
  deliveries: authedProcedure.input(webhookDeliveriesInput).query(({ ctx, input }) => listWebhookDeliveries(ctx.db, ctx.actor, input)),
  /** Sends a finished delivery again with the same webhook-id. */
  redeliver: webhookMutation.input(redeliverWebhookInput).mutation(async ({ ctx, input }) => {
    const delivery = await ctx.db.$transaction((tx) => redeliverWebhook(tx, ctx.actor, input));
    requestOutboxDispatch();
    return delivery;
  }),
  /** Queues a `webhook.test` event for this endpoint. */
  sendTest: webhookMutation.input(sendTestWebhookInput).mutation(async ({ ctx, input }) => {
    const delivery = await ctx.db.$transaction((tx) => sendTestWebhook(tx, ctx.actor, input));
    requestOutboxDispatch();
    return delivery;
  }),
});
