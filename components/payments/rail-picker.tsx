'use client';
// Choosing how the money travels: every rail from `payment.rails` (never hard-coded) with its
// fee, limit, finality, cut-off and its expected arrival from `payment.quote` (the banking
// calendar, now). A rail whose limit is below the amount can't be chosen, and says why.
import { useQuery } from '@tanstack/react-query';
import { formatCents } from '@/components/format';
import { useTRPC } from '@/components/trpc/react';
import { Badge } from '@/components/ui/badge';
import { cx } from '@/components/ui/cx';
import type { RouterOutputs } from '@/components/trpc/types';
import { arrivalText, feeText } from './payment-format';

export type RailRow = RouterOutputs['payment']['rails'][number];
export type RailQuote = RouterOutputs['payment']['quote'];

/** Quotes are for "now": asked again every minute so a cut-off passing while the form is open shows. */
export const QUOTE_REFRESH_MS = 60_000;

/** The banking calendar's answer for paying over `rail` now. */
export function useRailQuote(rail: RailRow['rail'] | null) {
  const trpc = useTRPC();
  return useQuery({ ...trpc.payment.quote.queryOptions({ rail: rail ?? 'RTP' }), enabled: rail !== null, refetchInterval: QUOTE_REFRESH_MS });
}

function RailArrival({ rail }: { rail: RailRow['rail'] }) {
  const quote = useRailQuote(rail);
  return (
    <span className="block text-slate-600" data-testid={`arrival-${rail}`}>
      {quote.data ? arrivalText(quote.data).replace(/^a/, 'A') : 'Arrival: working it out…'}
    </span>
  );
}

export function RailPicker({
  rails,
  amountCents,
  value,
  onChange,
  error,
}: {
  rails: RailRow[];
  amountCents: number;
  value: string | null;
  onChange: (rail: RailRow['rail']) => void;
  error?: string;
}) {
  return (
    <fieldset className="space-y-2">
      <legend className="mb-1 block text-sm font-medium text-slate-700">How should the money travel?</legend>
      <div className="grid gap-2 sm:grid-cols-2">
        {rails.map((rail) => {
          const overLimit = amountCents > rail.limitCents;
          const checked = value === rail.rail;
          return (
            <label
              key={rail.rail}
              data-testid={`rail-${rail.rail}`}
              className={cx(
                'flex cursor-pointer gap-3 rounded-lg border bg-white p-3 text-sm shadow-sm',
                checked ? 'border-brand-500 ring-2 ring-brand-100' : 'border-slate-200 hover:border-slate-300',
                overLimit && 'cursor-not-allowed bg-slate-50',
              )}
            >
              <input type="radio" name="rail" value={rail.rail} checked={checked} disabled={overLimit} onChange={() => onChange(rail.rail)} className="mt-1" />
              <span className="min-w-0 flex-1 space-y-1">
                <span className="flex flex-wrap items-center justify-between gap-2">
                  <span className="font-semibold text-slate-900">{rail.name}</span>
                  <span className="text-slate-700">{feeText(rail.feeCents)}</span>
                </span>
                <RailArrival rail={rail.rail} />
                <span className="flex flex-wrap gap-1">
                  {rail.final ? <Badge tone="purple">Final</Badge> : <Badge tone="yellow">Returnable</Badge>}
                  <Badge>Limit {formatCents(rail.limitCents)}</Badge>
                </span>
                <span className="block text-xs text-slate-500">{rail.cutoff}</span>
                {overLimit && <span className="block text-xs font-medium text-red-700">This amount is over the {rail.name} limit.</span>}
              </span>
            </label>
          );
        })}
      </div>
      {error && (
        <p role="alert" className="text-sm text-red-600">
          {error}
        </p>
      )}
    </fieldset>
  );
}
