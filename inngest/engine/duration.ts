// Time strings as the SDK writes them (`timeStr`: "2s", "1h30m", "1w2d") and Inngest's retry
// schedule.

const UNIT_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** Milliseconds in a duration like "1h30m"; null when it is not one. */
export function parseDuration(text: string): number | null {
  const trimmed = text.trim();
  if (!/^(\d+(\.\d+)?(ms|s|m|h|d|w))+$/.test(trimmed)) return null;
  let total = 0;
  for (const [, amount, unit] of trimmed.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d|w)/g)) total += Number(amount) * UNIT_MS[unit!]!;
  return total;
}

/**
 * When a Sleep op ends: its name is a duration from now (`step.sleep`) or an ISO time
 * (`step.sleepUntil`).
 */
export function sleepEnd(name: string, now: number): number | null {
  const duration = parseDuration(name);
  if (duration !== null) return now + duration;
  if (!/^\d{4}-\d{2}-\d{2}T/.test(name)) return null;
  const at = Date.parse(name);
  return Number.isNaN(at) ? null : at;
}

// Inngest's default schedule (pkg/backoff TableBackoff): the n-th retry waits this long
// plus up to 30 s of jitter, capped at the last entry.
const BACKOFF_TABLE_MS = [15, 30, 60, 120, 300, 600, 1200, 2400, 3600, 7200].map((seconds) => seconds * 1000);
const BACKOFF_JITTER_MS = 30_000;

/** Delay before retry number `retryIndex` (0 for the first retry), times `scale`. */
export function backoffDelay(retryIndex: number, scale: number, random: () => number = Math.random): number {
  const base = BACKOFF_TABLE_MS[Math.min(retryIndex, BACKOFF_TABLE_MS.length - 1)]!;
  return Math.round((base + random() * BACKOFF_JITTER_MS) * scale);
}

/** A `retry-after` header: seconds, or an HTTP date. */
export function parseRetryAfter(value: string | null, now: number): number | null {
  if (!value) return null;
  if (/^\d+(\.\d+)?$/.test(value.trim())) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}
