// The runs list's filters, read from the URL.
import { RUN_RANGES, RUN_STATUSES, type RunRange, type RunStatus } from '@/inngest/dashboard';
import { searchParam as one, type SearchParams } from '../search-params';

function date(text: string | undefined): Date | undefined {
  if (!text) return undefined;
  const value = new Date(text);
  return Number.isNaN(value.getTime()) ? undefined : value;
}

export function runFilterOf(params: SearchParams) {
  const status = one(params, 'status');
  const range = one(params, 'range');
  return {
    functionId: one(params, 'function'),
    status: RUN_STATUSES.includes(status as RunStatus) ? (status as RunStatus) : undefined,
    range: range && range in RUN_RANGES ? (range as RunRange) : undefined,
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
