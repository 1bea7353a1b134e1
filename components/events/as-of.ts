// The instant a point-in-time view shows: kept in the URL as `?asOf=<ISO 8601 instant>` so a
// view of the past can be shared, read the same way by the page on the server (to prefetch)
// and by its client components (so both ask the same queries). The picker shows and takes
// New York wall-clock time, where the banks' clocks run (calendar.ts).
import { TZDate } from '@date-fns/tz';
import { format } from 'date-fns';
import { BANK_TIME_ZONE } from '@/server/domain/calendar';

export const AS_OF_PARAM = 'asOf';

/**
 * The `?asOf=` value as an instant; null when absent, not a date and time, or in the future (the
 * live view: history holds nothing later than now, and the API refuses a future `asOf`).
 */
export function parseAsOf(value: string | string[] | null | undefined): Date | null {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/.test(value)) return null;
  const at = new Date(value);
  return Number.isNaN(at.getTime()) || at.getTime() > Date.now() ? null : at;
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
