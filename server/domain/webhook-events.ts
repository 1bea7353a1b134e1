// The webhook event types an endpoint can subscribe to (shared with the Settings form, so no
// server-only imports). The history event of the same name triggers each (webhooks.ts):
// payment.returned, payment.final and installment.overdue fire as soon as the features that
// append those events exist.
export const WEBHOOK_EVENTS = [
  'payment.created',
  'payment.completed',
  'payment.failed',
  'payment.returned',
  'payment.final',
  'lease.accepted',
  'lease.declined',
  'lease.completed',
  'installment.overdue',
] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];
