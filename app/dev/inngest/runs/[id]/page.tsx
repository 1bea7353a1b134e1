// One run: what started it (an event, an invoking run, or an operator's rerun of another run),
// what it concerns, its steps on a timeline, its result; cancel or rerun it. Live while it is
// unfinished.
import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { engineDashboard } from '@/inngest/dashboard';
import { AutoRefresh } from '@/components/inngest/auto-refresh';
import { JsonBlock } from '@/components/inngest/json-block';
import { durationText, relatedLinks } from '@/components/inngest/links';
import { RelatedLinks } from '@/components/inngest/related-links';
import { RunActions } from '@/components/inngest/run-actions';
import { RunLink } from '@/components/inngest/run-link';
import { RunResultLine } from '@/components/inngest/run-result';
import { RunStatusBadge } from '@/components/inngest/run-status-badge';
import { ErrorText, StepTimeline } from '@/components/inngest/run-trace';
import { formatDateTime } from '@/components/format';
import { Card, CardBody, CardHeader } from '@/components/ui/card';
import { Alert } from '@/components/ui/states';
import { requireOperator } from '../../access';
import { cancelRun, rerunRun } from '../../actions';

export const metadata: Metadata = { title: 'Run' };

const ENDED = new Set(['completed', 'failed', 'cancelled']);

function Detail({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div>
      <dt className="text-xs font-medium uppercase tracking-wide text-slate-500">{label}</dt>
      <dd className="mt-0.5 text-sm text-slate-800">{children}</dd>
    </div>
  );
}

export default async function RunPage({ params }: { params: Promise<{ id: string }> }) {
  await requireOperator();
  const { id } = await params;
  const [{ trace, asOf }, apps] = await Promise.all([engineDashboard.run(id), engineDashboard.apps()]);
  if (!trace) notFound();
  const functionName = apps.flatMap((app) => app.functions).find((fn) => fn.id === trace.functionId)?.name ?? trace.functionId;
  const ended = ENDED.has(trace.status);
  const now = asOf.getTime();
  const start = trace.startedAt ?? trace.createdAt;

  return (
    <div className="space-y-6">
      <Card>
        <CardHeader
          title={
            <span className="flex flex-wrap items-center gap-3">
              {functionName}
              <RunStatusBadge status={trace.status} />
              {trace.result && <RunResultLine result={trace.result} withReason />}
            </span>
          }
          description={<span className="font-mono">{trace.id}</span>}
          actions={
            <div className="flex items-start gap-4">
              {!ended && <AutoRefresh intervalMs={1500} />}
              <RunActions runId={trace.id} functionId={trace.functionId} ended={ended} cancel={cancelRun} rerun={rerunRun} />
            </div>
          }
        />
        <CardBody>
          <dl className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
            <Detail label="Triggered by">
              {trace.eventId ? (
                <Link className="font-mono text-brand-700 hover:underline" href={`/dev/inngest/events/${trace.eventId}`}>
                  {trace.eventName}
                </Link>
              ) : (
                <span className="font-mono">{trace.eventName}</span>
              )}
            </Detail>
            <Detail label="Queued">{formatDateTime(trace.createdAt)}</Detail>
            <Detail label="Started">{trace.startedAt ? formatDateTime(trace.startedAt) : 'not yet'}</Detail>
            <Detail label={ended ? 'Took' : 'Running for'}>{trace.startedAt ? durationText((trace.endedAt?.getTime() ?? now) - start.getTime()) : '—'}</Detail>
            {trace.parentRunId && (
              <Detail label="Invoked by">
                <RunLink runId={trace.parentRunId} />
              </Detail>
            )}
            {trace.rerunOfRunId && (
              <Detail label="Rerun of">
                <RunLink runId={trace.rerunOfRunId} />
              </Detail>
            )}
            {trace.rerunRunIds.length > 0 && (
              <Detail label="Rerun as">
                <span className="flex flex-col gap-0.5">
                  {trace.rerunRunIds.map((rerunId) => (
                    <RunLink key={rerunId} runId={rerunId} />
                  ))}
                </span>
              </Detail>
            )}
            {relatedLinks(trace.event.data).length > 0 && (
              <Detail label="Concerns">
                <RelatedLinks data={trace.event.data} size="sm" />
              </Detail>
            )}
          </dl>
        </CardBody>
      </Card>

      <Card>
        <CardHeader title="Steps" description="In the order they started; open one for its input, output or error, and attempts." />
        <CardBody>
          <StepTimeline trace={trace} now={now} />
        </CardBody>
      </Card>

      {trace.status === 'completed' && (
        <Card>
          <CardHeader title="Output" />
          <CardBody>
            <JsonBlock value={trace.output} label="Run output" />
          </CardBody>
        </Card>
      )}
      {trace.status === 'failed' && Boolean(trace.error) && (
        <Alert tone="error">
          <ErrorText error={trace.error} />
        </Alert>
      )}
      {trace.status === 'cancelled' && <Alert>Cancelled: the steps after the last one shown never ran.</Alert>}

      <Card>
        <CardHeader title="Event" description="What the function received." />
        <CardBody>
          <JsonBlock value={trace.event} label="Triggering event" />
        </CardBody>
      </Card>
    </div>
  );
}
