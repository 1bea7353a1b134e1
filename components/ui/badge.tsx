import { statusLabel } from '@/components/format';
import { cx } from './cx';

type Tone = 'gray' | 'blue' | 'green' | 'yellow' | 'red' | 'purple';

const tones: Record<Tone, string> = {
  gray: 'bg-slate-100 text-slate-700 ring-slate-300',
  blue: 'bg-blue-50 text-blue-700 ring-blue-200',
  green: 'bg-emerald-50 text-emerald-700 ring-emerald-200',
  yellow: 'bg-amber-50 text-amber-800 ring-amber-200',
  red: 'bg-red-50 text-red-700 ring-red-200',
  purple: 'bg-violet-50 text-violet-700 ring-violet-200',
};

// One colour per status word across leases, installments, payments and background runs.
const statusTones: Record<string, Tone> = {
  PENDING: 'yellow',
  ACTIVE: 'green',
  COMPLETED: 'green',
  PAID: 'green',
  DUE: 'blue',
  UPCOMING: 'gray',
  IN_FLIGHT: 'blue',
  PROCESSING: 'blue',
  RUNNING: 'blue',
  QUEUED: 'gray',
  SLEEPING: 'purple',
  WAITING: 'purple',
  FAILED: 'red',
  DEFAULTED: 'red',
  OVERDUE: 'red',
  RETURNED: 'red',
  CANCELLED: 'gray',
  DECLINED: 'gray',
  WAIVED: 'gray',
  INACTIVE: 'gray',
  PRIMARY: 'blue',
  LANDLORD: 'purple',
  RENTER: 'blue',
};

export function Badge({ tone = 'gray', className, children }: { tone?: Tone; className?: string; children: React.ReactNode }) {
  return <span className={cx('inline-flex items-center whitespace-nowrap rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset', tones[tone], className)}>{children}</span>;
}

/** A status word (ACTIVE, FAILED, …) in its colour, written for people. */
export function StatusBadge({ status, className }: { status: string; className?: string }) {
  return (
    <Badge tone={statusTones[status] ?? 'gray'} className={className}>
      {statusLabel(status)}
    </Badge>
  );
}
