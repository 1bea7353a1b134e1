// A row of labelled money figures (the dashboards' totals): a description list, so a screen
// reader reads each label with its amount.
import { formatCents } from '@/components/format';
import { cx } from '@/components/ui/cx';

export interface Figure {
  label: string;
  cents: number;
  /** What the figure counts, under it. */
  hint?: string;
  tone?: 'default' | 'warn';
}

/** Two to a row from 352 px (one below: a $12,345.67 does not fit half of a 320 px screen), four from `lg`. */
export function Figures({ figures, label, testId }: { figures: Figure[]; label: string; testId?: string }) {
  return (
    <dl aria-label={label} data-testid={testId} className="grid grid-cols-1 gap-3 min-[22rem]:grid-cols-2 lg:grid-cols-4">
      {figures.map((figure) => (
        <div key={figure.label} className="min-w-0 rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
          <dt className="text-xs font-medium uppercase tracking-wide text-slate-500">{figure.label}</dt>
          <dd className={cx('mt-1 text-2xl font-semibold tabular-nums break-words', figure.tone === 'warn' && figure.cents > 0 ? 'text-red-700' : 'text-slate-900')}>{formatCents(figure.cents)}</dd>
          {figure.hint && <dd className="mt-1 text-xs text-slate-500">{figure.hint}</dd>}
        </div>
      ))}
    </dl>
  );
}
