'use client';
// Filters of the runs list, kept in the URL (shareable, and read by the server component).
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { Select } from '@/components/ui/field';
import { Input } from '@/components/ui/field';
import { Button } from '@/components/ui/button';

const RANGE_LABELS: Record<string, string> = { '15m': 'Last 15 minutes', '1h': 'Last hour', '24h': 'Last 24 hours', '7d': 'Last 7 days', all: 'Any time', custom: 'Between…' };
const STATUSES = ['queued', 'running', 'waiting', 'completed', 'failed', 'cancelled'];

/** `2026-11-25T10:30:00.000Z` as the value of a datetime-local input, in the browser's zone. */
function toLocalInput(iso: string | null): string {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  return new Date(date.getTime() - date.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
}

export function RunFilters({ functions }: { functions: { id: string; name: string }[] }) {
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const range = params.get('range') ?? (params.get('from') || params.get('to') ? 'custom' : 'all');

  const update = (changes: Record<string, string | null>) => {
    const next = new URLSearchParams(params);
    next.delete('before');
    for (const [key, value] of Object.entries(changes)) {
      if (value) next.set(key, value);
      else next.delete(key);
    }
    router.push(`${pathname}?${next.toString()}`);
  };

  return (
    <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-5">
      <Select label="Function" value={params.get('function') ?? ''} onChange={(event) => update({ function: event.target.value || null })}>
        <option value="">All functions</option>
        {functions.map((fn) => (
          <option key={fn.id} value={fn.id}>
            {fn.name}
          </option>
        ))}
      </Select>
      <Select label="Status" value={params.get('status') ?? ''} onChange={(event) => update({ status: event.target.value || null })}>
        <option value="">Any status</option>
        {STATUSES.map((status) => (
          <option key={status} value={status}>
            {status.charAt(0).toUpperCase() + status.slice(1)}
          </option>
        ))}
      </Select>
      <Select
        label="Started"
        value={range}
        onChange={(event) => {
          const value = event.target.value;
          update(value === 'custom' ? { range: null } : { range: value === 'all' ? null : value, from: null, to: null });
        }}
      >
        {Object.entries(RANGE_LABELS).map(([value, label]) => (
          <option key={value} value={value}>
            {label}
          </option>
        ))}
      </Select>
      <form
        role="search"
        onSubmit={(event) => {
          event.preventDefault();
          const value = new FormData(event.currentTarget).get('concerns');
          update({ concerns: typeof value === 'string' && value.trim() ? value.trim() : null });
        }}
      >
        <Input label="Payment or lease id" name="concerns" defaultValue={params.get('concerns') ?? ''} placeholder="the runs about it (Enter)" spellCheck={false} autoComplete="off" />
      </form>
      {range === 'custom' ? (
        <div className="grid grid-cols-2 gap-2">
          <Input label="From" type="datetime-local" defaultValue={toLocalInput(params.get('from'))} onChange={(event) => update({ from: event.target.value ? new Date(event.target.value).toISOString() : null })} />
          <Input label="To" type="datetime-local" defaultValue={toLocalInput(params.get('to'))} onChange={(event) => update({ to: event.target.value ? new Date(event.target.value).toISOString() : null })} />
        </div>
      ) : (
        <div className="flex items-end">
          <Button variant="ghost" size="sm" onClick={() => router.push(pathname)}>
            Clear filters
          </Button>
        </div>
      )}
    </div>
  );
}
