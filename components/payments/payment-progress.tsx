'use client';
// Where a payment is on its way and whether the money can still come back: created, submitted
// to the rail, settled, then for ACH "returnable until …" and final (or returned, with its
// code); RTP and wire are final when they settle. While it travels, a bar fills toward its
// expected settlement as this deployment's demo clock plays it (`playback`); the times shown
// are the banking calendar's.
import { useEffect, useState } from 'react';
import { formatEastern } from '@/components/format';
import { cx } from '@/components/ui/cx';
import type { Rail } from '@/server/generated/prisma/enums';
import { RAILS } from '@/server/domain/rails';
import { durationText, progressPercent } from './payment-format';
import { isInFlight } from './payment-routes';

export interface ProgressPayment {
  status: string;
  rail: Rail;
  railName: string;
  createdAt: Date;
  /** The last change: for a cancelled payment, when it was cancelled (nothing changes it after). */
  updatedAt: Date;
  submittedAt: Date | null;
  expectedSettlementAt: Date;
  settledAt: Date | null;
  returnableUntil: Date | null;
  finalAt: Date | null;
  returnedAt: Date | null;
  failureCode: string | null;
  failureReason: string | null;
  playback: { secondsPerDay: number; expectedSettlementAt: Date; returnableUntil: Date | null } | null;
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

interface Step {
  label: string;
  done: boolean;
  bad?: boolean;
  at: Date | null;
  testId?: string;
}

function stepsOf(payment: ProgressPayment): Step[] {
  const failed = payment.status === 'FAILED';
  const cancelled = payment.status === 'CANCELLED';
  const returned = payment.status === 'RETURNED';
  const steps: Step[] = [
    { label: 'Created', done: true, at: payment.createdAt },
    { label: `Submitted to ${payment.railName}`, done: payment.submittedAt !== null, at: payment.submittedAt },
    { label: failed ? 'Failed' : cancelled ? 'Cancelled' : 'Settled', done: payment.settledAt !== null || cancelled, bad: failed || cancelled, at: cancelled ? payment.updatedAt : payment.settledAt },
  ];
  if (failed || cancelled) return steps;
  if (!RAILS[payment.rail].final) {
    steps.push({ label: payment.returnableUntil ? `Returnable until ${formatEastern(payment.returnableUntil)}` : 'Returnable for 2 banking days', done: payment.settledAt !== null, at: null, testId: 'finality-returnable' });
  }
  steps.push(
    returned
      ? { label: `Returned${payment.failureCode ? ` (${payment.failureCode})` : ''}`, done: true, bad: true, at: payment.returnedAt, testId: 'finality-returned' }
      : { label: 'Final', done: payment.finalAt !== null, at: payment.finalAt, testId: 'finality-final' },
  );
  return steps;
}

export function PaymentProgress({ payment }: { payment: ProgressPayment }) {
  const travelling = isInFlight(payment.status);
  const returnable = payment.status === 'COMPLETED' && payment.finalAt === null;
  const now = useNow(travelling || returnable);
  const playedSettlement = payment.playback?.expectedSettlementAt ?? payment.expectedSettlementAt;
  const percent = progressPercent({ status: payment.status, createdAt: payment.createdAt, expectedSettlementAt: playedSettlement }, now);
  const remainingMs = new Date(playedSettlement).getTime() - now;
  const steps = stepsOf(payment);
  const playedFinality = payment.playback?.returnableUntil ?? payment.returnableUntil;

  return (
    <div className="space-y-4">
      <ol className={cx('grid gap-3', steps.length === 5 ? 'sm:grid-cols-5' : steps.length === 4 ? 'sm:grid-cols-4' : 'sm:grid-cols-3')} aria-label="Payment steps" data-testid="payment-steps">
        {steps.map((step, index) => (
          <li key={step.label} className="flex items-start gap-2" data-testid={step.testId}>
            <span
              aria-hidden
              className={cx(
                'mt-0.5 grid h-5 w-5 shrink-0 place-items-center rounded-full text-xs font-semibold',
                step.done ? (step.bad ? 'bg-red-600 text-white' : 'bg-emerald-600 text-white') : 'bg-slate-200 text-slate-600',
              )}
            >
              {step.done ? (step.bad ? '×' : '✓') : index + 1}
            </span>
            <span className="text-sm">
              <span className={cx('block font-medium', step.done ? 'text-slate-900' : 'text-slate-500')}>{step.label}</span>
              {step.at && <span className="block text-xs text-slate-500">{formatEastern(step.at)}</span>}
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
              ? `Settled ${payment.settledAt ? formatEastern(payment.settledAt) : ''}${
                  returnable && playedFinality ? `; final after its return window${new Date(playedFinality).getTime() > now ? ` (in ${durationText(new Date(playedFinality).getTime() - now)} here)` : ''}` : ''
                }`
              : remainingMs > 0
                ? `Expected to settle ${formatEastern(payment.expectedSettlementAt)} (in ${durationText(remainingMs)} here)`
                : 'Due to settle now; waiting for the bank’s answer…'}
          </p>
        </div>
      )}
    </div>
  );
}
