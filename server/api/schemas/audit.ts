// Input of audit.* and of the /api/export/events.{csv,jsonl} query string (the same filter).
import { z } from 'zod';
import { AGGREGATE_TYPES } from '@/server/domain/events';
import { id, instant, PERIOD_ORDER_ISSUE, periodInOrder } from './common';

/** An "Event" row id: a positive 64-bit integer, written in decimal. */
// eslint-disable-next-line no-restricted-syntax -- not prose: an event id: digits, checked by the regex
export const eventId = z
  .string({ error: 'must be an event id' })
  .regex(/^[1-9]\d{0,18}$/, 'must be an event id')
  .refine((value) => BigInt(value) <= 9_223_372_036_854_775_807n, 'must be an event id');

export const eventFilter = {
  /** As the history stores it: User, BankAccount, Property, Lease, Installment, Payment. */
  aggregateType: z.enum(AGGREGATE_TYPES, { error: `must be one of ${AGGREGATE_TYPES.join(', ')}` }).optional(),
  aggregateId: id.optional(),
  /** An event type such as `payment.completed`. */
  // eslint-disable-next-line no-restricted-syntax -- not prose: an event type code, checked by the regex
  type: z.string().trim().min(1, 'must not be empty').max(60, 'must be at most 60 characters').regex(/^[A-Za-z]+\.[A-Za-z]+$/, 'must be an event type such as payment.completed').optional(),
  actorId: id.optional(),
  /** Events recorded at or after this instant. */
  from: instant.optional(),
  /** Events recorded at or before this instant. */
  to: instant.optional(),
};

export const auditEventsInput = z
  .strictObject({
    ...eventFilter,
    /** The previous page's `nextCursor`. */
    cursor: eventId.nullish().transform((value) => value ?? undefined),
    limit: z.number().int().min(1).max(100).default(50),
    /** Newest first (default) or oldest first. */
    order: z.enum(['desc', 'asc']).default('desc'),
    /** Sent by TanStack Query's infinite queries; pages only go forward. */
    direction: z.enum(['forward', 'backward']).optional(),
  })
  .refine(periodInOrder, PERIOD_ORDER_ISSUE)
  .prefault({});

export const exportEventsQuery = z.strictObject(eventFilter).refine(periodInOrder, PERIOD_ORDER_ISSUE);

export const auditVerifyInput = z
  .strictObject({ aggregateType: eventFilter.aggregateType, aggregateId: eventFilter.aggregateId })
  .refine((value) => !value.aggregateId || value.aggregateType, { message: 'give aggregateType with aggregateId', path: ['aggregateType'] })
  .optional();
