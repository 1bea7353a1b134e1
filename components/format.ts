// Formatting at the edge: money stays integer cents everywhere else. Money's one formatter
// lives with the domain (its refusals name amounts too).
export { formatCents } from '@/server/domain/money';

/** 'YYYY-MM-DD' (a calendar date, no time zone) as "Mar 1, 2027". */
export function formatDate(isoDate: string): string {
  const [year, month, day] = isoDate.split('-').map(Number);
  return new Date(Date.UTC(year!, month! - 1, day!)).toLocaleDateString('en-US', { timeZone: 'UTC', month: 'short', day: 'numeric', year: 'numeric' });
}

/** A status word as people read it: 'PROCESSING' → "Processing", 'IN_PROGRESS' → "In progress". */
export function statusLabel(status: string): string {
  return status.charAt(0) + status.slice(1).toLowerCase().replaceAll('_', ' ');
}

export function formatDateTime(value: Date | string): string {
  return new Date(value).toLocaleString('en-US', { month: 'short', day: 'numeric', year: 'numeric', hour: 'numeric', minute: '2-digit', second: '2-digit' });
}

/** An instant as New York reads it, where the banks' clocks run: "Mon, Dec 28, 2026, 8:30 AM ET". */
export function formatEastern(value: Date | string, options: { year?: boolean } = {}): string {
  const text = new Date(value).toLocaleString('en-US', {
    timeZone: 'America/New_York',
    weekday: 'short',
    month: 'short',
    day: 'numeric',
    ...(options.year === false ? {} : { year: 'numeric' }),
    hour: 'numeric',
    minute: '2-digit',
  });
  return `${text} ET`;
}

/** "Mon, Dec 28 by 8:30 AM ET": a day and a time of day in New York. */
export function formatEasternBy(value: Date | string): string {
  const date = new Date(value);
  const day = date.toLocaleDateString('en-US', { timeZone: 'America/New_York', weekday: 'short', month: 'short', day: 'numeric' });
  const time = date.toLocaleTimeString('en-US', { timeZone: 'America/New_York', hour: 'numeric', minute: '2-digit' });
  return `${day} by ${time} ET`;
}

/** 'YYYY-MM' (a calendar month, no time zone) as "Nov 2026". */
export function formatMonth(yearMonth: string): string {
  const [year, month] = yearMonth.split('-').map(Number);
  return new Date(Date.UTC(year!, month! - 1, 1)).toLocaleDateString('en-US', { timeZone: 'UTC', month: 'short', year: 'numeric' });
}
