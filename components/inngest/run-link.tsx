import Link from 'next/link';
import { cx } from '@/components/ui/cx';

/** A run's id in monospace, leading to its page (long ids break anywhere rather than widen a phone's card). */
export function RunLink({ runId, className }: { runId: string; className?: string }) {
  return (
    <Link href={`/dev/inngest/runs/${runId}`} className={cx('font-mono break-all text-brand-700 hover:underline', className)}>
      {runId}
    </Link>
  );
}
