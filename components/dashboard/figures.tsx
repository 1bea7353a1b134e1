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

export function Figures({ figures, label, testId }: { figures: Figure[]; label: string; testId?: string }) {
  return (
    <dl aria-label={label} data-testid={testId} className="grid grid-cols-2 gap-3 lg:grid-cols-4">
      {figures.map((figure) => (
        <div key={figure.label} className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
          <dt className="text-xs font-medium uppercase tracking-wide text-slate-500">{figure.label}</dt>
          <dd className={cx('mt-1 text-2xl font-semibold tabular-nums', figure.tone === 'warn' && figure.cents > 0 ? 'text-red-700' : 'text-slate-900')}>{formatCents(figure.cents)}</dd>
          {figure.hint && <dd className="mt-1 text-xs text-slate-500">{figure.hint}</dd>}
        </div>
      ))}
    </dl>
  );
}
