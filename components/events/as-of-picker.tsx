'use client';
// The "as of" picker of the lease and payment pages: choose an instant (New York time) to see
// the page as it was then, rebuilt from its history; "Now" goes back to the live page. The
// instant lives in the URL (`?asOf=`), so a view of the past can be shared. While it shows
// the past, the page says so and offers no actions.
import { usePathname, useRouter } from 'next/navigation';
import { useState, useTransition, type FormEvent } from 'react';
import { formatEastern } from '@/components/format';
import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/field';
import { asOfHref, fromEasternInput, toEasternInput } from './as-of';

export function AsOfPicker({ asOf }: { asOf: Date | null }) {
  const router = useRouter();
  const pathname = usePathname();
  const [value, setValue] = useState(asOf ? toEasternInput(asOf) : '');
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

  function go(at: Date | null) {
    setError(null);
    startTransition(() => router.push(asOfHref(pathname, at)));
  }

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    const at = fromEasternInput(value);
    if (!at) return setError('Choose a date and a time');
    if (at.getTime() > Date.now()) return setError('Choose an instant in the past; “Now” shows the present');
    go(at);
  }

  return (
    <section aria-label="Point in time" className="space-y-3 rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
      <form onSubmit={onSubmit} noValidate className="flex flex-wrap items-end gap-3">
        <div className="min-w-64">
          <Input
            label="As of (ET)"
            name="asOf"
            type="datetime-local"
            step={1}
            value={value}
            onChange={(event) => setValue(event.target.value)}
            error={error}
            hint="See this page as it was at that instant, rebuilt from its history."
          />
        </div>
        <div className="flex gap-2 pb-6">
          <Button type="submit" variant="secondary" pending={pending}>
            View as of
          </Button>
          {asOf && (
            <Button
              variant="ghost"
              disabled={pending}
              onClick={() => {
                setValue('');
                go(null);
              }}
            >
              Now
            </Button>
          )}
        </div>
      </form>
      {asOf && (
        <p role="status" data-testid="as-of-banner" className="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm font-medium text-amber-900">
          Viewing as of {formatEastern(asOf)}. This is how it stood then; actions are off while you look at the past.
        </p>
      )}
    </section>
  );
}
