// How calendar dates and instants read for people, in the portal and in what the server writes
// for them (mails, notices): days as "Mar 1, 2027", instants in New York time marked ET, where
// the banks' clocks and the rails calendar run. PURE: the portal imports it through
// components/format.ts, the mail templates directly.

// Each format made once: `toLocaleString` and friends with options build a new
// Intl.DateTimeFormat on every call (~25× the cost of `format`), once per row of a table.
const dateFormat = new Intl.DateTimeFormat('en-US', { timeZone: 'UTC', month: 'short', day: 'numeric', year: 'numeric' });
const dateTimeFormat = new Intl.DateTimeFormat('en-US', { timeZone: 'America/New_York', month: 'short', day: 'numeric', year: 'numeric', hour: 'numeric', minute: '2-digit', second: '2-digit' });
const easternFormat = { hour: 'numeric', minute: '2-digit', timeZone: 'America/New_York', weekday: 'short', month: 'short', day: 'numeric' } as const;
const easternWithYear = new Intl.DateTimeFormat('en-US', { ...easternFormat, year: 'numeric' });
const easternWithoutYear = new Intl.DateTimeFormat('en-US', easternFormat);
const easternDay = new Intl.DateTimeFormat('en-US', { timeZone: 'America/New_York', weekday: 'short', month: 'short', day: 'numeric' });
const easternTime = new Intl.DateTimeFormat('en-US', { timeZone: 'America/New_York', hour: 'numeric', minute: '2-digit' });
const monthFormat = new Intl.DateTimeFormat('en-US', { timeZone: 'UTC', month: 'short', year: 'numeric' });

/** 'YYYY-MM-DD' (a calendar date, no time zone) as "Mar 1, 2027". */
export function formatDate(isoDate: string): string {
  const [year, month, day] = isoDate.split('-').map(Number);
  return dateFormat.format(new Date(Date.UTC(year!, month! - 1, day!)));
}

/**
 * An instant to the second, in New York time and labelled: "Nov 30, 2026, 1:50:43 AM ET". Every
 * instant on every page reads in the one zone the banking calendar and the as-of picker use, so
 * a payment's "Created" and its rail times agree, and the server's and the browser's renderings
 * are the same text whatever zone either runs in.
 */
export function formatDateTime(value: Date | string): string {
  return `${dateTimeFormat.format(new Date(value))} ET`;
}

/** An instant as New York reads it, where the banks' clocks run: "Mon, Dec 28, 2026, 8:30 AM ET". */
export function formatEastern(value: Date | string, options: { year?: boolean } = {}): string {
  return `${(options.year === false ? easternWithoutYear : easternWithYear).format(new Date(value))} ET`;
}

/** "Mon, Dec 28 by 8:30 AM ET": a day and a time of day in New York. */
export function formatEasternBy(value: Date | string): string {
  const date = new Date(value);
  return `${easternDay.format(date)} by ${easternTime.format(date)} ET`;
}

/** 'YYYY-MM' (a calendar month, no time zone) as "Nov 2026". */
export function formatMonth(yearMonth: string): string {
  const [year, month] = yearMonth.split('-').map(Number);
  return monthFormat.format(new Date(Date.UTC(year!, month! - 1, 1)));
}
