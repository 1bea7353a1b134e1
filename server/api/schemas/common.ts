// Input building blocks shared by every router's zod schemas (and the forms that reuse them).
import { z } from 'zod';
import { isInstantInRange } from '@/server/domain/calendar';
import { DATE_RANGE_MESSAGE, isYearInRange } from '@/server/domain/schedule';
import { isBlankText, normalizeText, textProblem, type TextRule } from '@/server/domain/text';

export const id = z.uuid({ error: 'must be a valid id' });
export const byId = z.strictObject({ id });

/** Integer cents, positive, at most $1,000,000. */
export const MAX_CENTS = 100_000_000;
export const amountCents = z
  .number({ error: 'must be a number of cents' })
  .int('must be whole cents')
  .positive('must be more than zero')
  .max(MAX_CENTS, 'must be at most $1,000,000');

/** A calendar date written YYYY-MM-DD that exists (2027-02-30 does not), in the one date range (server/domain/schedule.ts). */
export const isoDate = z.string({ error: 'must be a date written YYYY-MM-DD' }).superRefine((value, ctx) => {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const [year, month, day] = match ? [Number(match[1]), Number(match[2]), Number(match[3])] : [NaN, NaN, NaN];
  // setUTCFullYear, not Date.UTC, which reads years 0–99 as 1900–1999.
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  if (!match || date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
    ctx.addIssue({ code: 'custom', message: 'must be a real date written YYYY-MM-DD' });
  } else if (!isYearInRange(year)) {
    ctx.addIssue({ code: 'custom', message: DATE_RANGE_MESSAGE });
  }
});

interface TextField extends TextRule {
  /** At most this many characters (UTF-16 code units, after normalization). */
  max: number;
  /** The message for a missing or blank value. */
  missing: string;
}

/**
 * Free text people type, under the one text rule (server/domain/text.ts): NFC, trimmed, no
 * control characters (multi-line fields keep line feeds and tabs), no bidirectional
 * overrides, and blank once invisible characters are removed counts as missing. Every
 * free-text field of every procedure uses this (or `optionalText`).
 */
export function text({ max, missing, ...rule }: TextField) {
  return z
    .string({ error: missing })
    .overwrite((value) => normalizeText(value, rule))
    .max(max, `must be at most ${max} characters`)
    .superRefine((value, ctx) => {
      const problem = textProblem(value, rule);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
      else if (isBlankText(value)) ctx.addIssue({ code: 'custom', message: missing });
    });
}

/** Like `text`, but blank (including invisible-only) is allowed and becomes null: "clear it". */
export function optionalText({ max, ...rule }: Omit<TextField, 'missing'>) {
  return z
    .string({ error: 'must be text' })
    .overwrite((value) => normalizeText(value, rule))
    .max(max, `must be at most ${max} characters`)
    .superRefine((value, ctx) => {
      const problem = textProblem(value, rule);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    })
    .transform((value) => (isBlankText(value) ? null : value))
    .nullish();
}

const PAGE_SIZE = 'must be a whole number from 1 to 100';

export const cursorPage = {
  /** The previous page's `nextCursor`; absent or null for the first page. */
  cursor: id
    .nullish()
    .transform((value) => value ?? undefined),
  /**
   * Read as a number from the text of a query string too (REST /api/v1: `?limit=50`), written
   * in decimal digits only: not `z.coerce.number()`, which also took `0x10`, `1e1`, ` 5`, `true`
   * and `[5]`.
   */
  limit: z
    .preprocess<unknown, z.ZodNumber, number>((value) => (typeof value === 'string' && /^\d{1,9}$/.test(value) ? Number(value) : value), z.number({ error: PAGE_SIZE }).int(PAGE_SIZE).min(1, PAGE_SIZE).max(100, PAGE_SIZE))
    .default(20),
  /** Sent by TanStack Query's infinite queries; pages only go forward (newest first). */
  direction: z.enum(['forward', 'backward']).optional(),
};

/**
 * A boolean that a query string may also write as `true` / `false` (REST /api/v1). Not
 * `z.coerce.boolean()`, which reads the text "false" as true.
 */
export function queryBoolean(params: { error: string }) {
  // Typed as taking a boolean so clients' types stay `boolean`; at run time it also sees text.
  const fromText = (value: unknown) => (value === 'true' ? true : value === 'false' ? false : value);
  return z.preprocess<unknown, z.ZodBoolean, boolean>(fromText, z.boolean(params));
}

export const email = z
  .string()
  .trim()
  .max(254, 'must be at most 254 characters')
  .pipe(z.email({ error: 'must be a valid email address' }))
  .transform((value) => value.toLowerCase());

/** How far ahead of the server's clock an `asOf` may be: a caller's clock a little fast still asks for "now". */
export const AS_OF_CLOCK_SKEW_MS = 60_000;

/**
 * An instant to rebuild history at: a Date, or an ISO 8601 string with offset, in the date
 * range and not in the future (history has nothing there yet; a page "as of 2030" showed every
 * installment overdue beside a ledger of today).
 */
export const asOf = z
  .union([z.date(), z.iso.datetime({ offset: true }).transform((value) => new Date(value))], {
    error: 'must be a date and time, e.g. 2027-01-31T12:00:00Z',
  })
  .refine((value) => isInstantInRange(value), { message: DATE_RANGE_MESSAGE, abort: true })
  .refine((value) => value.getTime() <= Date.now() + AS_OF_CLOCK_SKEW_MS, 'must not be in the future; leave it out for now');

/** A date and time written ISO 8601 with an offset (e.g. 2026-12-24T15:00:00-05:00), in the one date range. */
export const instant = z
  .union([z.date(), z.iso.datetime({ offset: true }).transform((value) => new Date(value))], { error: 'must be a date and time, e.g. 2026-12-24T15:00:00-05:00' })
  .refine((value) => isInstantInRange(value), DATE_RANGE_MESSAGE);

export const historyInput = z.strictObject({ id, asOf: asOf.optional() });

/** A period's `from` and `to` (either may be absent) in order: the check every filter by time adds. */
export function periodInOrder(value: { from?: Date; to?: Date }): boolean {
  return !value.from || !value.to || value.from.getTime() <= value.to.getTime();
}
export const PERIOD_ORDER_ISSUE = { message: 'must be on or before the end of the period (to)', path: ['from'] };
