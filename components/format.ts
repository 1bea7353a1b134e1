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
