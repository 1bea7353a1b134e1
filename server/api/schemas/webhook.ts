// Input of webhook.*: also used by the Settings form.
import { z } from 'zod';
import { cursorPage, id } from './common';
import { WEBHOOK_EVENTS } from '@/server/domain/webhook-events';

// eslint-disable-next-line no-restricted-syntax -- not prose: a URL, parsed and checked
export const webhookUrl = z
  .string({ error: 'enter the URL that receives the events' })
  .trim()
  .max(2000, 'must be at most 2000 characters')
  // Stored as written: a NUL reached PostgreSQL (a 500) and other controls were kept.
  .refine((value) => !/[\u0000-\u001f\u007f]/.test(value), { message: 'must not contain control characters', abort: true })
  .pipe(z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }))
  // Runs after a failed z.url too (zod goes on past a failed check), so it must not throw: `new URL`
  // on "not a url" did, and the caller got "Invalid URL" or a 500 instead of the message above.
  .refine((value) => !URL.canParse(value) || ((url) => !url.username && !url.password)(new URL(value)), 'must not contain a user name or password')
  // Port 0 names no port a receiver can listen on: every delivery would fail.
  .refine((value) => !URL.canParse(value) || new URL(value).port !== '0', 'must not name port 0');

export const webhookEvents = z
  .array(z.enum(WEBHOOK_EVENTS, { error: `must be among ${WEBHOOK_EVENTS.join(', ')}` }))
  .min(1, 'choose at least one event')
  .max(WEBHOOK_EVENTS.length);

export const createWebhookInput = z.strictObject({ url: webhookUrl, events: webhookEvents });
export const updateWebhookInput = z.strictObject({ id, url: webhookUrl.optional(), events: webhookEvents.optional(), enabled: z.boolean().optional() });
export const webhookDeliveriesInput = z.strictObject({ endpointId: id, ...cursorPage });
export const redeliverWebhookInput = z.strictObject({ deliveryId: id });
export const sendTestWebhookInput = z.strictObject({ endpointId: id });
