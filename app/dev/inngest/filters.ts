// The runs list's filters, read from the URL.
import { RUN_RANGES, RUN_STATUSES, type RunRange, type RunStatus } from '@/inngest/dashboard';
import { searchParam as one, type SearchParams } from '../search-params';

/** Years a filter's date may name: what PostgreSQL's timestamptz holds is wider, JavaScript's Date wider still (a 500 for `from=-200000-01-01`). */
const FIRST_YEAR = 1;
const LAST_YEAR = 9999;

/** A filter's date, or undefined when it does not parse or lies outside years 1–9999. */
function date(text: string | undefined): Date | undefined {
  if (!text) return undefined;
  const value = new Date(text);
  if (Number.isNaN(value.getTime())) return undefined;
  const year = value.getUTCFullYear();
  return year >= FIRST_YEAR && year <= LAST_YEAR ? value : undefined;
}

export function runFilterOf(params: SearchParams) {
  const status = one(params, 'status');
  const range = one(params, 'range');
  return {
    functionId: one(params, 'function'),
    status: RUN_STATUSES.includes(status as RunStatus) ? (status as RunStatus) : undefined,
    // Own keys only: `in` also accepted __proto__, constructor, toString (a 500).
    range: range && Object.hasOwn(RUN_RANGES, range) ? (range as RunRange) : undefined,
    from: date(one(params, 'from')),
    to: date(one(params, 'to')),
    beforeId: one(params, 'before'),
    concerns: one(params, 'concerns')?.toLowerCase(),
  };
}

export function searchWith(params: SearchParams, changes: Record<string, string>): string {
  const next = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    const text = Array.isArray(value) ? value[0] : value;
    if (text) next.set(key, text);
  }
  for (const [key, value] of Object.entries(changes)) next.set(key, value);
  return `?${next.toString()}`;
}
