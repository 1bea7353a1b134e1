// Input of payment.*: also imported by the pay-rent form, so no server-only imports.
import { z } from 'zod';
import { cursorPage, id, instant, optionalText } from './common';

export const RAIL_VALUES = ['RTP', 'WIRE', 'SAME_DAY_ACH', 'STANDARD_ACH'] as const;
export const PAYMENT_STATUSES = ['PENDING', 'PROCESSING', 'COMPLETED', 'FAILED', 'CANCELLED', 'RETURNED'] as const;

export const rail = z.enum(RAIL_VALUES, { error: `must be one of ${RAIL_VALUES.join(', ')}` });

// eslint-disable-next-line no-restricted-syntax -- not prose: an idempotency key, checked by the regex
export const idempotencyKey = z
  .string({ error: 'must be a string' })
  .min(1, 'must not be empty')
  .max(255, 'must be at most 255 characters')
  .regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces');

export const createPaymentInput = z.strictObject({
  installmentId: id,
  fromAccountId: id,
  rail,
  /** Or send it as the `Idempotency-Key` header. */
  idempotencyKey: idempotencyKey.optional(),
});

export const payoffInput = z.strictObject({
  /** The ACTIVE lease to pay off: every remaining installment, less its payoff discount (lease.payoffQuote). */
  leaseId: id,
  fromAccountId: id,
  rail,
  /** Or send it as the `Idempotency-Key` header. */
  idempotencyKey: idempotencyKey.optional(),
});

export const retryPaymentInput = z.strictObject({
  /** The FAILED payment to try again. */
  id,
  /** Defaults to the failed payment's account and rail. */
  fromAccountId: id.optional(),
  rail: rail.optional(),
  idempotencyKey: idempotencyKey.optional(),
});

export const cancelPaymentInput = z.strictObject({
  id,
  /** Why; blank means the default reason. */
  reason: optionalText({ max: 500, multiline: true }).transform((value) => value ?? undefined),
});

export const listPaymentsInput = z
  .strictObject({
    ...cursorPage,
    leaseId: id.optional(),
    installmentId: id.optional(),
    status: z.enum(PAYMENT_STATUSES, { error: `must be one of ${PAYMENT_STATUSES.join(', ')}` }).optional(),
    rail: rail.optional(),
  })
  .prefault({});

/** The last instant a quote may be asked for: its settlement and return window (days to weeks later) stay in the date range. */
const LAST_QUOTE_AT = new Date(Date.UTC(2999, 9, 1));

export const quoteInput = z.strictObject({
  rail,
  /** When the payment would be made (ISO 8601 with offset); defaults to now. Before 2999-10-01. */
  at: instant
    .refine((value) => value < LAST_QUOTE_AT, 'must be before 2999-10-01, so that the dates that follow it stay in the date range')
    .optional(),
});
