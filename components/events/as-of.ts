// The instant a point-in-time view shows: kept in the URL as `?asOf=<ISO 8601 instant>` so a
// view of the past can be shared, read the same way by the page on the server (to prefetch)
// and by its client components (so both ask the same queries). The picker shows and takes
// New York wall-clock time, where the banks' clocks run (calendar.ts).
import { TZDate } from '@date-fns/tz';
import { format } from 'date-fns';
import { BANK_TIME_ZONE } from '@/server/domain/calendar';
import { asOf as asOfSchema } from '@/server/api/schemas/common';

export const AS_OF_PARAM = 'asOf';

/**
 * The `?asOf=` value as an instant; null when absent or not what the API takes as `asOf` (an ISO
 * 8601 instant with its offset that exists, in the date range, not in the future): the live view.
 * One rule with the API, which refuses the same strings (2026-02-30 read as Mar 2 here before).
 */
export function parseAsOf(value: string | string[] | null | undefined): Date | null {
  if (typeof value !== 'string') return null;
  const parsed = asOfSchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}

/** `path` showing `asOf` (null: now, the live view). */
export function asOfHref(path: string, asOf: Date | null): string {
  return asOf ? `${path}?${AS_OF_PARAM}=${encodeURIComponent(asOf.toISOString())}` : path;
}

/** The instant as a datetime-local value in New York time: "2027-01-05T15:04:05". */
export function toEasternInput(at: Date): string {
  return format(new TZDate(at.getTime(), BANK_TIME_ZONE), "yyyy-MM-dd'T'HH:mm:ss");
}

/** A datetime-local value read as New York time ("2027-01-05T15:04" or with seconds); null when it is not one. */
export function fromEasternInput(value: string): Date | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(value);
  if (!match) return null;
  const [year, month, day, hour, minute, second] = match.slice(1).map((part) => Number(part ?? 0)) as [number, number, number, number, number, number];
  const at = new TZDate(year, month - 1, day, hour, minute, second, BANK_TIME_ZONE);
  return Number.isNaN(at.getTime()) ? null : new Date(at.getTime());
}
