// Webhooks for the programs that use DirectPay: a user registers endpoints (URL + event
// types) and receives each matching event as a signed POST (Standard Webhooks). A delivery
// row is written in the transaction of the change it reports — `enqueueWebhooks`, called for
// every appended history event by events.ts, so a new event type is wired by its name alone —
// and delivered after commit, at least once, by the `deliver-webhook` Inngest function
// (server/webhooks/delivery.ts). Reads and writes are scoped to the endpoint's owner.
import { randomBytes, randomUUID } from 'node:crypto';
import type { Tx } from '@/server/db';
import { insertRows, type ColumnTypes } from '@/server/insert-rows';
import type { Prisma } from '@/server/generated/prisma/client';
import { webhookPrivateTargetsAllowed } from '@/server/env';
import { assertPublicTarget, RefusedTargetError } from '@/server/webhooks/targets';
import type { Actor } from './actor';
import { badRequest, conflict, notFound } from './errors';
import type { NewEvent } from './events';
import { getLease } from './leases';
import { pageArgs, toPage, type Page, type PageInput } from './pagination';
import { getPayment } from './payments';
import { WEBHOOK_EVENTS, type WebhookEvent } from './webhook-events';

const SUBSCRIBABLE = new Set<string>(WEBHOOK_EVENTS);

/** Sent only by webhook.sendTest, to one endpoint. */
export const TEST_EVENT = 'webhook.test';

/** Endpoint bodies as the API answers them: never the secret (only create and rotateSecret return it). */
const endpointSelect = { id: true, url: true, events: true, disabledAt: true, disabledReason: true, failingSince: true, createdAt: true, updatedAt: true } as const;
export type WebhookEndpointView = Prisma.WebhookEndpointGetPayload<{ select: typeof endpointSelect }>;

const deliverySelect = {
  id: true,
  endpointId: true,
  messageId: true,
  eventType: true,
  payload: true,
  status: true,
  attemptCount: true,
  lastStatusCode: true,
  nextAttemptAt: true,
  deliveredAt: true,
  createdAt: true,
  attempts: { orderBy: { number: 'asc' }, select: { number: true, statusCode: true, durationMs: true, error: true, createdAt: true } },
} satisfies Prisma.WebhookDeliverySelect;
export type WebhookDeliveryView = Prisma.WebhookDeliveryGetPayload<{ select: typeof deliverySelect }>;

/** A Standard Webhooks secret: "whsec_" + base64 of 24 random bytes. */
const newSecret = () => `whsec_${randomBytes(24).toString('base64')}`;
/** The webhook-id header: the same on every attempt and redelivery of one message, for receivers to dedupe. */
const newMessageId = () => `msg_${randomUUID().replaceAll('-', '')}`;

/** Refuses URLs that are (or resolve to) private addresses unless the deployment allows them. */
async function checkTarget(url: string): Promise<void> {
  if (webhookPrivateTargetsAllowed()) return;
  try {
    await assertPublicTarget(new URL(url));
  } catch (error) {
    if (error instanceof RefusedTargetError) throw badRequest(`Webhook URL refused: ${error.message}`, { url: [`refused: ${error.message}`] });
    throw error;
  }
}

export async function createWebhookEndpoint(tx: Tx, actor: Actor, input: { url: string; events: WebhookEvent[] }): Promise<WebhookEndpointView & { secret: string }> {
  await checkTarget(input.url);
  const secret = newSecret();
  const endpoint = await tx.webhookEndpoint.create({ data: { userId: actor.id, url: input.url, events: [...new Set(input.events)], secret }, select: endpointSelect });
  return { ...endpoint, secret };
}

export function listWebhookEndpoints(tx: Tx, actor: Actor): Promise<WebhookEndpointView[]> {
  return tx.webhookEndpoint.findMany({ where: { userId: actor.id }, orderBy: { createdAt: 'desc' }, select: endpointSelect });
}

async function ownedEndpoint(tx: Tx, actor: Actor, id: string) {
  const endpoint = await tx.webhookEndpoint.findFirst({ where: { id, userId: actor.id }, select: { id: true } });
  if (!endpoint) throw notFound('Webhook endpoint');
  return endpoint;
}

/** Changes the URL or events, or turns the endpoint on (`enabled: true`, which also forgets past failures) or off. */
export async function updateWebhookEndpoint(
  tx: Tx,
  actor: Actor,
  input: { id: string; url?: string; events?: WebhookEvent[]; enabled?: boolean },
): Promise<WebhookEndpointView> {
  await ownedEndpoint(tx, actor, input.id);
  if (input.url) await checkTarget(input.url);
  return tx.webhookEndpoint.update({
    where: { id: input.id },
    data: {
      ...(input.url ? { url: input.url } : {}),
      ...(input.events ? { events: [...new Set(input.events)] } : {}),
      ...(input.enabled === true ? { disabledAt: null, disabledReason: null, failingSince: null } : {}),
      ...(input.enabled === false ? { disabledAt: new Date(), disabledReason: 'turned off by its owner' } : {}),
    },
    select: endpointSelect,
  });
}

/** A new secret, effective for every delivery attempted from now on; the old one stops working at once. */
export async function rotateWebhookSecret(tx: Tx, actor: Actor, input: { id: string }): Promise<WebhookEndpointView & { secret: string }> {
  await ownedEndpoint(tx, actor, input.id);
  const secret = newSecret();
  const endpoint = await tx.webhookEndpoint.update({ where: { id: input.id }, data: { secret }, select: endpointSelect });
  return { ...endpoint, secret };
}

/** Deletes the endpoint with its deliveries and their attempts; runs still waiting find nothing and stop. */
export async function deleteWebhookEndpoint(tx: Tx, actor: Actor, input: { id: string }): Promise<{ id: string }> {
  await ownedEndpoint(tx, actor, input.id);
  await tx.webhookEndpoint.delete({ where: { id: input.id } });
  return { id: input.id };
}

export async function listWebhookDeliveries(tx: Tx, actor: Actor, input: PageInput & { endpointId: string }): Promise<Page<WebhookDeliveryView>> {
  await ownedEndpoint(tx, actor, input.endpointId);
  const rows = await tx.webhookDelivery.findMany({ where: { endpointId: input.endpointId }, select: deliverySelect, ...pageArgs(input) });
  return toPage(rows, input.limit);
}

/**
 * Sends a finished delivery again (same webhook-id and body, a fresh attempt schedule). A
 * delivery still being attempted answers CONFLICT. The caller requests a dispatch after commit.
 */
export async function redeliverWebhook(tx: Tx, actor: Actor, input: { deliveryId: string }): Promise<WebhookDeliveryView> {
  const delivery = await tx.webhookDelivery.findFirst({ where: { id: input.deliveryId, endpoint: { userId: actor.id } }, select: { id: true, status: true, endpoint: { select: { disabledAt: true } } } });
  if (!delivery) throw notFound('Webhook delivery');
  if (delivery.endpoint.disabledAt) throw conflict('This endpoint is disabled; turn it on before redelivering');
  const { count } = await tx.webhookDelivery.updateMany({
    where: { id: delivery.id, status: { not: 'PENDING' } },
    data: { status: 'PENDING', dispatchedAt: null, nextAttemptAt: null, deliveredAt: null },
  });
  if (!count) throw conflict('This delivery is still being attempted');
  return tx.webhookDelivery.findUniqueOrThrow({ where: { id: delivery.id }, select: deliverySelect });
}

/** Queues a `webhook.test` event for one endpoint (even one not subscribed to anything in particular). */
export async function sendTestWebhook(tx: Tx, actor: Actor, input: { endpointId: string }): Promise<WebhookDeliveryView> {
  const endpoint = await tx.webhookEndpoint.findFirst({ where: { id: input.endpointId, userId: actor.id }, select: { id: true, disabledAt: true } });
  if (!endpoint) throw notFound('Webhook endpoint');
  if (endpoint.disabledAt) throw conflict('This endpoint is disabled; turn it on to send a test event');
  const messageId = newMessageId();
  const created = await tx.webhookDelivery.create({
    data: {
      endpointId: endpoint.id,
      messageId,
      eventType: TEST_EVENT,
      payload: { type: TEST_EVENT, timestamp: new Date().toISOString(), data: { endpointId: endpoint.id, message: 'A test event from DirectPay' } },
    },
    select: { id: true },
  });
  return tx.webhookDelivery.findUniqueOrThrow({ where: { id: created.id }, select: deliverySelect });
}

/** The users an event concerns: both parties of the payment or lease (an installment's from its lease, read beforehand). */
function partiesOf(event: NewEvent, leases: Map<string, { landlordId: string; renterId: string | null }>): { leaseId: string | null; userIds: string[] } {
  const data = event.data as { landlordId?: string; renterId?: string | null; leaseId?: string };
  if (event.aggregateType === 'Payment' || event.aggregateType === 'Lease') {
    return { leaseId: event.aggregateType === 'Lease' ? event.aggregateId : (data.leaseId ?? null), userIds: [data.landlordId, data.renterId].filter((id): id is string => Boolean(id)) };
  }
  if (event.aggregateType === 'Installment' && data.leaseId) {
    const lease = leases.get(data.leaseId);
    return { leaseId: data.leaseId, userIds: lease ? [lease.landlordId, lease.renterId].filter((id): id is string => Boolean(id)) : [] };
  }
  return { leaseId: null, userIds: [] };
}

interface NewDelivery {
  endpointId: string;
  messageId: string;
  eventType: string;
  payload: unknown;
}
const DELIVERY_COLUMNS: ColumnTypes<NewDelivery> = { endpointId: 'uuid', messageId: 'text', eventType: 'text', payload: 'jsonb' };

/**
 * Writes one delivery per (event, enabled endpoint of a party subscribed to its type), in the
 * caller's transaction. The payload is `{ type, timestamp, data }` where data is the payment
 * (payment.*) or the lease (lease.*, installment.*) exactly as that owner reads it from the API.
 * One read finds the endpoints of every event given (and one more the leases of installment
 * events), whatever their number; payloads are read only for endpoints found.
 */
export async function enqueueWebhooks(tx: Tx, events: NewEvent[]): Promise<number> {
  const wanted = events.filter((event) => SUBSCRIBABLE.has(event.type));
  if (!wanted.length) return 0;
  const installmentLeaseIds = [
    ...new Set(wanted.flatMap((event) => (event.aggregateType === 'Installment' && (event.data as { leaseId?: string }).leaseId ? [(event.data as { leaseId: string }).leaseId] : []))),
  ];
  const leases = new Map(
    installmentLeaseIds.length
      ? (await tx.lease.findMany({ where: { id: { in: installmentLeaseIds } }, select: { id: true, landlordId: true, renterId: true } })).map((lease) => [lease.id, lease] as const)
      : [],
  );
  const parties = wanted.map((event) => partiesOf(event, leases));
  const userIds = [...new Set(parties.flatMap((party) => party.userIds))];
  if (!userIds.length) return 0;
  const endpoints = await tx.webhookEndpoint.findMany({
    where: { userId: { in: userIds }, disabledAt: null, events: { hasSome: [...new Set(wanted.map((event) => event.type))] } },
    select: { id: true, events: true, user: { select: { id: true, role: true } } },
  });
  if (!endpoints.length) return 0;
  const deliveries: NewDelivery[] = [];
  for (const [index, event] of wanted.entries()) {
    const { leaseId, userIds: eventUsers } = parties[index]!;
    for (const endpoint of endpoints) {
      if (!eventUsers.includes(endpoint.user.id) || !endpoint.events.includes(event.type)) continue;
      const owner = endpoint.user;
      const data =
        event.aggregateType === 'Payment' ? await getPayment(tx, owner, { id: event.aggregateId }) : leaseId ? await getLease(tx, owner, { id: leaseId }) : event.data;
      deliveries.push({
        endpointId: endpoint.id,
        messageId: newMessageId(),
        eventType: event.type,
        payload: JSON.parse(JSON.stringify({ type: event.type, timestamp: new Date().toISOString(), data })) as Prisma.InputJsonValue,
      });
    }
  }
  await insertRows(tx, 'WebhookDelivery', DELIVERY_COLUMNS, deliveries, { computed: { id: 'gen_random_uuid()', updatedAt: 'now()' } });
  return deliveries.length;
}
