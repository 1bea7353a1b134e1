'use client';
// Where a payment is on its way: the three steps (created, submitted to the rail, settled)
// and, while it travels, a bar filling toward its expected settlement time.
import { useEffect, useState } from 'react';
import { formatDateTime } from '@/components/format';
import { cx } from '@/components/ui/cx';
import { durationText, progressPercent } from './payment-format';
import { isInFlight } from './payment-routes';

export interface ProgressPayment {
  status: string;
  railName: string;
  createdAt: Date;
  submittedAt: Date | null;
  expectedSettlementAt: Date;
  settledAt: Date | null;
}

/** The current time, ticking while `active`. */
function useNow(active: boolean, intervalMs = 250): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [active, intervalMs]);
  return now;
}

export function PaymentProgress({ payment }: { payment: ProgressPayment }) {
  const travelling = isInFlight(payment.status);
  const now = useNow(travelling);
  const percent = progressPercent(payment, now);
  const remainingMs = new Date(payment.expectedSettlementAt).getTime() - now;
  const failed = payment.status === 'FAILED';
  const steps = [
    { label: 'Created', done: true, at: payment.createdAt },
    { label: `Submitted to ${payment.railName}`, done: payment.submittedAt !== null, at: payment.submittedAt },
    { label: failed ? 'Failed' : payment.status === 'CANCELLED' ? 'Cancelled' : 'Settled', done: payment.settledAt !== null || payment.status === 'CANCELLED', at: payment.settledAt },
  ];

  return (
    <div className="space-y-4">
      <ol className="grid gap-3 sm:grid-cols-3" aria-label="Payment steps">
        {steps.map((step, index) => (
          <li key={step.label} className="flex items-start gap-2">
            <span
              aria-hidden
              className={cx(
                'mt-0.5 grid h-5 w-5 shrink-0 place-items-center rounded-full text-xs font-semibold',
                step.done ? (index === 2 && (failed || payment.status === 'CANCELLED') ? 'bg-red-600 text-white' : 'bg-emerald-600 text-white') : 'bg-slate-200 text-slate-600',
              )}
            >
              {step.done ? (index === 2 && (failed || payment.status === 'CANCELLED') ? '×' : '✓') : index + 1}
            </span>
            <span className="text-sm">
              <span className={cx('block font-medium', step.done ? 'text-slate-900' : 'text-slate-500')}>{step.label}</span>
              {step.at && <span className="block text-xs text-slate-500">{formatDateTime(step.at)}</span>}
            </span>
          </li>
        ))}
      </ol>
      {(travelling || payment.status === 'COMPLETED') && (
        <div>
          <div
            role="progressbar"
            aria-label="Progress toward settlement"
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={percent}
            className="h-2.5 overflow-hidden rounded-full bg-slate-100"
          >
            <div className={cx('h-full rounded-full transition-all duration-300', payment.status === 'COMPLETED' ? 'bg-emerald-500' : 'bg-brand-500')} style={{ width: `${percent}%` }} />
          </div>
          <p className="mt-1.5 text-xs text-slate-500" data-testid="settlement-eta">
            {payment.status === 'COMPLETED'
              ? `Settled ${payment.settledAt ? formatDateTime(payment.settledAt) : ''}`
              : remainingMs > 0
                ? `Expected to settle in ${durationText(remainingMs)}, by ${formatDateTime(payment.expectedSettlementAt)}`
                : 'Due to settle now; waiting for the bank’s answer…'}
          </p>
        </div>
      )}
    </div>
  );
}
