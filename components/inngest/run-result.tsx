// What a completed run reports about the payment or lease it worked on (runResultOf in the
// engine's read.ts), beside its status: "Payment failed (AC04)" in red under a green
// "Completed", so a failed payment shows in the runs list without opening the run.
import type { RunResult } from '@/inngest/engine/read';
import { statusLabel } from '@/components/format';
import { cx } from '@/components/ui/cx';

/** The result in words: "Payment failed (AC04)", "Payment completed", or "Delivered" without a subject. */
export function runResultText(result: RunResult): string {
  const status = statusLabel(result.status.toUpperCase());
  const words = result.subject ? `${statusLabel(result.subject.toUpperCase())} ${status.toLowerCase()}` : status;
  return result.code ? `${words} (${result.code})` : words;
}

/** The result on one line, red when it reports a failure; its reason follows on the run page (`withReason`) or in a tooltip. */
export function RunResultLine({ result, withReason = false }: { result: RunResult; withReason?: boolean }) {
  return (
    <span data-testid="run-result" className={cx('text-xs', result.failed ? 'font-semibold text-red-700' : 'text-slate-600')} title={result.reason ?? undefined}>
      {runResultText(result)}
      {withReason && result.reason ? `: ${result.reason}` : ''}
    </span>
  );
}
