// Cron schedules as Inngest reads them (robfig/cron with Minute|Hour|Dom|Month|Dow|Descriptor,
// pkg/execution/cron): five fields, names for months and weekdays, `*`, `?`, lists, ranges,
// steps, the @yearly/@monthly/@weekly/@daily/@hourly/@every descriptors, and an optional
// `TZ=Area/City ` prefix (UTC otherwise). Written here rather than added as a dependency:
// it is small, and it must accept exactly what Inngest accepts.

export class CronError extends Error {}

export interface CronSchedule {
  source: string;
  /** The first fire time strictly after `after` (ms since epoch). */
  next(after: number): number;
}

interface FieldSpec {
  min: number;
  max: number;
  names?: string[];
}

const MINUTE: FieldSpec = { min: 0, max: 59 };
const HOUR: FieldSpec = { min: 0, max: 23 };
const DAY_OF_MONTH: FieldSpec = { min: 1, max: 31 };
const MONTH: FieldSpec = { min: 1, max: 12, names: ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'] };
const DAY_OF_WEEK: FieldSpec = { min: 0, max: 6, names: ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] };

const DESCRIPTORS: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

interface Field {
  values: Set<number>;
  /** Written as a bare `*` or `?` (matters for how day-of-month and day-of-week combine). */
  any: boolean;
}

function parseValue(text: string, spec: FieldSpec, source: string): number {
  const named = spec.names?.indexOf(text.toLowerCase()) ?? -1;
  if (named >= 0) return named + spec.min;
  if (!/^\d+$/.test(text)) throw new CronError(`\`${text}\` is not a valid value in \`${source}\``);
  const value = Number(text);
  // Sunday may be written 7 (folded to 0 when the field's values are collected).
  if (spec === DAY_OF_WEEK && value === 7) return 7;
  if (value < spec.min || value > spec.max) throw new CronError(`${value} is outside ${spec.min}-${spec.max} in \`${source}\``);
  return value;
}

function parseField(text: string, spec: FieldSpec, source: string): Field {
  const values = new Set<number>();
  let any = false;
  for (const part of text.split(',')) {
    const [range = '', stepText, extra] = part.split('/');
    if (extra !== undefined) throw new CronError(`\`${part}\` has two steps in \`${source}\``);
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1) throw new CronError(`\`${part}\` has an invalid step in \`${source}\``);
    let low: number;
    let high: number;
    if (range === '*' || range === '?') {
      low = spec.min;
      high = spec.max;
      if (stepText === undefined) any = true;
    } else if (range.includes('-')) {
      const [from = '', to = ''] = range.split('-');
      low = parseValue(from, spec, source);
      high = parseValue(to, spec, source);
      if (low > high) throw new CronError(`\`${range}\` is an empty range in \`${source}\``);
    } else {
      low = parseValue(range, spec, source);
      // "N/step" means "N-max/step".
      high = stepText === undefined ? low : spec.max;
    }
    for (let value = low; value <= high; value += step) values.add(spec === DAY_OF_WEEK ? value % 7 : value);
  }
  return { values, any };
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let existing = formatters.get(timeZone);
  if (!existing) {
    existing = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, existing);
  }
  return existing;
}

interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

function wallTime(timeZone: string, instant: number): WallTime & { second: number } {
  const parts: Record<string, number> = {};
  for (const part of formatter(timeZone).formatToParts(new Date(instant))) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  return { year: parts.year!, month: parts.month!, day: parts.day!, hour: parts.hour!, minute: parts.minute!, second: parts.second! };
}

function offsetAt(timeZone: string, instant: number): number {
  const wall = wallTime(timeZone, instant);
  return Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second) - Math.floor(instant / 1000) * 1000;
}

/** The instant a wall-clock time denotes in `timeZone`, or null when it does not exist (DST gap). */
function instantOf(timeZone: string, wall: WallTime): number | null {
  const asUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute);
  let instant = asUtc - offsetAt(timeZone, asUtc);
  instant = asUtc - offsetAt(timeZone, instant);
  const back = wallTime(timeZone, instant);
  const same = back.year === wall.year && back.month === wall.month && back.day === wall.day && back.hour === wall.hour && back.minute === wall.minute;
  return same ? instant : null;
}

export function parseCron(source: string): CronSchedule {
  let rest = source.trim();
  let timeZone = 'UTC';
  const zone = /^(?:CRON_)?TZ=(\S+)\s+/.exec(rest);
  if (zone) {
    timeZone = zone[1]!;
    rest = rest.slice(zone[0].length).trim();
    try {
      formatter(timeZone);
    } catch {
      throw new CronError(`unknown time zone \`${timeZone}\` in \`${source}\``);
    }
  }
  if (rest.startsWith('@every ')) {
    const match = /^(\d+)(ms|s|m|h)$/.exec(rest.slice(7).trim());
    const unit = match ? { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[match[2] as 'ms' | 's' | 'm' | 'h'] : 0;
    const interval = match ? Number(match[1]) * unit : 0;
    if (interval < 1000) throw new CronError(`\`${source}\` needs an interval of at least 1s`);
    return { source, next: (after) => after + interval };
  }
  const expanded = DESCRIPTORS[rest] ?? rest;
  if (expanded.startsWith('@')) throw new CronError(`unknown descriptor in \`${source}\``);
  const parts = expanded.split(/\s+/);
  if (parts.length !== 5) throw new CronError(`\`${source}\` must have five fields (minute hour day-of-month month day-of-week)`);
  const [minutes, hours, daysOfMonth, months, daysOfWeek] = [
    parseField(parts[0]!, MINUTE, source),
    parseField(parts[1]!, HOUR, source),
    parseField(parts[2]!, DAY_OF_MONTH, source),
    parseField(parts[3]!, MONTH, source),
    parseField(parts[4]!, DAY_OF_WEEK, source),
  ];
  const sortedHours = [...hours.values].sort((a, b) => a - b);
  const sortedMinutes = [...minutes.values].sort((a, b) => a - b);

  const dayMatches = (year: number, month: number, day: number): boolean => {
    const dayOfWeek = new Date(Date.UTC(year, month - 1, day)).getUTCDay();
    const domMatch = daysOfMonth.values.has(day);
    const dowMatch = daysOfWeek.values.has(dayOfWeek);
    // As in cron: when both are restricted, either may match.
    return daysOfMonth.any || daysOfWeek.any ? domMatch && dowMatch : domMatch || dowMatch;
  };

  return {
    source,
    next(after) {
      const start = wallTime(timeZone, after);
      // Walk calendar days in the zone; five years covers every valid schedule (Feb 29).
      const firstDay = Date.UTC(start.year, start.month - 1, start.day);
      for (let offset = 0; offset < 366 * 5; offset++) {
        const date = new Date(firstDay + offset * 86_400_000);
        const year = date.getUTCFullYear();
        const month = date.getUTCMonth() + 1;
        const day = date.getUTCDate();
        if (!months.values.has(month) || !dayMatches(year, month, day)) continue;
        for (const hour of sortedHours) {
          if (offset === 0 && hour < start.hour) continue;
          for (const minute of sortedMinutes) {
            if (offset === 0 && hour === start.hour && minute < start.minute) continue;
            const instant = instantOf(timeZone, { year, month, day, hour, minute });
            if (instant !== null && instant > after) return instant;
          }
        }
      }
      throw new CronError(`\`${source}\` never fires`);
    },
  };
}
