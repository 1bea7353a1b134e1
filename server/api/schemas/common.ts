// Input building blocks shared by every router's zod schemas (and the forms that reuse them).
import { z } from 'zod';

export const id = z.uuid({ error: 'must be a valid id' });
export const byId = z.strictObject({ id });

/** Integer cents, positive, at most $1,000,000. */
export const MAX_CENTS = 100_000_000;
export const amountCents = z
  .number({ error: 'must be a number of cents' })
  .int('must be whole cents')
  .positive('must be more than zero')
  .max(MAX_CENTS, 'must be at most $1,000,000');

/** A calendar date written YYYY-MM-DD that exists (2027-02-30 does not). */
export const isoDate = z.string().refine((value) => {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}, 'must be a real date written YYYY-MM-DD');

export const cursorPage = {
  /** The previous page's `nextCursor`; absent or null for the first page. */
  cursor: id
    .nullish()
    .transform((value) => value ?? undefined),
  limit: z.number().int().min(1).max(100).default(20),
  /** Sent by TanStack Query's infinite queries; pages only go forward (newest first). */
  direction: z.enum(['forward', 'backward']).optional(),
};

export const email = z
  .string()
  .trim()
  .max(254, 'must be at most 254 characters')
  .pipe(z.email({ error: 'must be a valid email address' }))
  .transform((value) => value.toLowerCase());

/** An instant to rebuild history at: a Date, or an ISO 8601 string with offset. */
export const asOf = z.union([z.date(), z.iso.datetime({ offset: true }).transform((value) => new Date(value))], {
  error: 'must be a date and time, e.g. 2027-01-31T12:00:00Z',
});

/** Instants the API accepts and computes with: years 2000–2199 (the calendar's working range). */
export const INSTANT_RANGE = { min: new Date('2000-01-01T00:00:00Z'), max: new Date('2199-12-31T23:59:59.999Z') } as const;

/** A date and time written ISO 8601 with an offset (e.g. 2026-12-24T15:00:00-05:00), within INSTANT_RANGE. */
export const instant = z
  .union([z.date(), z.iso.datetime({ offset: true }).transform((value) => new Date(value))], { error: 'must be a date and time, e.g. 2026-12-24T15:00:00-05:00' })
  .refine((value) => value >= INSTANT_RANGE.min && value <= INSTANT_RANGE.max, 'must be between the years 2000 and 2199');

export const historyInput = z.strictObject({ id, asOf: asOf.optional() });
