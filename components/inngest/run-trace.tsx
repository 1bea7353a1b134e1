// A run's trace: each step on a timeline relative to the run, and, opened, its input,
// output or error and every attempt with its timing.
import Link from 'next/link';
import type { AttemptView, RunTrace, StepView } from '@/inngest/engine/read';
import { formatDateTime } from '@/components/format';
import { cx } from '@/components/ui/cx';
import { EmptyState } from '@/components/ui/states';
import { JsonBlock } from './json-block';
import { durationText } from './links';
import { RunStatusBadge } from './run-status-badge';

const BAR_COLOURS: Record<string, string> = {
  completed: 'bg-emerald-500',
  failed: 'bg-red-500',
  retrying: 'bg-amber-400',
  sleeping: 'bg-violet-400',
  waiting: 'bg-violet-400',
  invoking: 'bg-violet-400',
};

const OP_LABELS: Record<string, string> = {
  StepRun: 'step.run',
  Sleep: 'step.sleep',
  WaitForEvent: 'step.waitForEvent',
  InvokeFunction: 'step.invoke',
  'step.sendEvent': 'step.sendEvent',
};

function stepSummary(step: StepView): string | null {
  const input = (step.input ?? {}) as Record<string, unknown>;
  if (step.op === 'Sleep') return `sleeps ${String(input.duration ?? '')}${step.dueAt ? ` until ${formatDateTime(step.dueAt)}` : ''}`;
  if (step.op === 'WaitForEvent') return `waits for ${String(input.event ?? '')}${input.if ? ` where ${String(input.if)}` : ''} (timeout ${String(input.timeout ?? '')})`;
  if (step.op === 'InvokeFunction') return `invokes ${String(input.function_id ?? '')}`;
  return null;
}

/** A step's, attempt's or run's error: name, message and stack. */
export function ErrorText({ error }: { error: unknown }) {
  const value = (error ?? {}) as { name?: string; message?: string; stack?: string };
  return (
    <div className="space-y-1">
      <p className="text-sm font-medium text-red-700">
        {value.name ?? 'Error'}: {value.message ?? JSON.stringify(error)}
      </p>
      {value.stack && <pre role="region" aria-label="Stack trace" tabIndex={0} className="max-h-48 overflow-auto rounded bg-red-50 p-2 font-mono text-xs text-red-900">{value.stack}</pre>}
    </div>
  );
}

function AttemptList({ attempts }: { attempts: AttemptView[] }) {
  if (!attempts.length) return null;
  return (
    <div>
      <h4 className="mb-1 text-xs font-semibold uppercase tracking-wide text-slate-500">Attempts</h4>
      <ol className="space-y-2">
        {attempts.map((attempt, index) => (
          <li key={index} className="rounded border border-slate-200 p-2 text-sm">
            <div className="flex flex-wrap items-center gap-2">
              <span className="font-medium">Attempt {attempt.attempt + 1}</span>
              <RunStatusBadge status={attempt.outcome === 'ok' ? 'completed' : attempt.outcome === 'error' ? 'retrying' : 'failed'} />
              <span className="text-xs text-slate-500">
                {formatDateTime(attempt.startedAt)} · {durationText(attempt.endedAt.getTime() - attempt.startedAt.getTime())}
              </span>
            </div>
            {attempt.error != null && (
              <div className="mt-2">
                <ErrorText error={attempt.error} />
              </div>
            )}
          </li>
        ))}
      </ol>
    </div>
  );
}

export function StepTimeline({ trace, now }: { trace: RunTrace; now: number }) {
  const start = (trace.startedAt ?? trace.createdAt).getTime();
  const end = Math.max(trace.endedAt?.getTime() ?? now, start + 1, ...trace.steps.map((step) => (step.endedAt ?? step.dueAt ?? step.startedAt).getTime()));
  const span = end - start;
  const functionAttempts = trace.attempts.filter((attempt) => attempt.stepId === null);
  if (!trace.steps.length && !functionAttempts.length) return <EmptyState title="No steps yet" description="The run has not reported any step." />;

  return (
    <div className="space-y-2">
      <ol aria-label="Steps" className="space-y-2">
        {trace.steps.map((traced) => {
          // A step the run left unfinished when it ended (cancelled, failed) will never run: it
          // reads so, not "Sleeping … in progress" forever.
          const abandoned = trace.endedAt !== null && traced.endedAt === null && !['completed', 'failed'].includes(traced.status);
          const step = abandoned ? { ...traced, status: trace.status === 'cancelled' ? 'cancelled' : 'not run' } : traced;
          const from = step.startedAt.getTime();
          const to = step.endedAt?.getTime() ?? (abandoned ? (trace.endedAt?.getTime() ?? now) : step.status === 'sleeping' || step.status === 'waiting' ? (step.dueAt?.getTime() ?? now) : now);
          const left = Math.min(100, Math.max(0, ((from - start) / span) * 100));
          const width = Math.max(0.8, Math.min(100 - left, ((to - from) / span) * 100));
          const summary = stepSummary(step);
          return (
            <li key={step.id} data-testid="run-step" className="rounded-md border border-slate-200 bg-white">
              <details>
                <summary className="flex cursor-pointer list-none flex-wrap items-center gap-x-3 gap-y-1 px-3 py-2 marker:hidden">
                  <span className="min-w-40 font-medium text-slate-900">{step.name}</span>
                  <span className="font-mono text-xs text-slate-500">{OP_LABELS[step.op] ?? step.op}</span>
                  <RunStatusBadge status={step.status} />
                  {step.attempts > 0 && <span className="text-xs text-amber-700">{step.attempts} failed attempt{step.attempts === 1 ? '' : 's'}</span>}
                  <span className="ml-auto text-xs text-slate-500">
                    {step.endedAt
                      ? durationText(step.endedAt.getTime() - from)
                      : abandoned
                        ? 'never finished: the run ended'
                        : step.status === 'retrying' && step.dueAt
                          ? `attempt ${step.attempts + 1} at ${formatDateTime(step.dueAt)}`
                          : 'in progress'}
                  </span>
                  <span aria-hidden className="relative block h-2 w-full overflow-hidden rounded bg-slate-100">
                    <span className={cx('absolute inset-y-0 rounded', BAR_COLOURS[step.status] ?? 'bg-blue-500')} style={{ left: `${left}%`, width: `${width}%` }} />
                  </span>
                </summary>
                <div className="space-y-3 border-t border-slate-100 px-3 py-3">
                  {summary && <p className="text-sm text-slate-600">{summary}</p>}
                  <dl className="grid gap-x-6 gap-y-1 text-xs text-slate-500 sm:grid-cols-3">
                    <div>
                      <dt className="inline">Started </dt>
                      <dd className="inline text-slate-700">{formatDateTime(step.startedAt)}</dd>
                    </div>
                    <div>
                      <dt className="inline">Ended </dt>
                      <dd className="inline text-slate-700">{step.endedAt ? formatDateTime(step.endedAt) : '—'}</dd>
                    </div>
                    <div>
                      <dt className="inline">Step id </dt>
                      <dd className="inline font-mono text-slate-700">{step.id.slice(0, 12)}</dd>
                    </div>
                  </dl>
                  <div className="grid grid-cols-1 gap-3 lg:grid-cols-2">
                    <div className="min-w-0">
                      <h4 className="mb-1 text-xs font-semibold uppercase tracking-wide text-slate-500">Input</h4>
                      <JsonBlock value={step.input ?? {}} label={`${step.name} input`} />
                    </div>
                    <div className="min-w-0">
                      <h4 className="mb-1 text-xs font-semibold uppercase tracking-wide text-slate-500">{step.status === 'failed' ? 'Error' : 'Output'}</h4>
                      {step.status === 'failed' || (step.status === 'retrying' && step.error) ? (
                        <ErrorText error={step.error} />
                      ) : (
                        <JsonBlock value={step.status === 'completed' ? step.output : null} label={`${step.name} output`} />
                      )}
                    </div>
                  </div>
                  {step.childRunId && (
                    <Link className="text-sm font-medium text-brand-700 hover:underline" href={`/dev/inngest/runs/${step.childRunId}`}>
                      Invoked run {step.childRunId}
                    </Link>
                  )}
                  <AttemptList attempts={trace.attempts.filter((attempt) => attempt.stepId === step.id)} />
                </div>
              </details>
            </li>
          );
        })}
      </ol>
      {functionAttempts.length > 0 && (
        <div className="rounded-md border border-red-200 bg-white p-3">
          <h3 className="mb-2 text-sm font-semibold text-slate-800">Errors outside steps</h3>
          <AttemptList attempts={functionAttempts} />
        </div>
      )}
    </div>
  );
}
