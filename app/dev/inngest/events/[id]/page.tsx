// One event: its payload and the runs it started.
import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { engineDashboard } from '@/inngest/dashboard';
import { JsonBlock } from '@/components/inngest/json-block';
import { RelatedLinks } from '@/components/inngest/related-links';
import { RunTable } from '@/components/inngest/run-table';
import { formatDateTime } from '@/components/format';
import { Card, CardBody, CardHeader } from '@/components/ui/card';
import { requireOperator } from '../../access';

export const metadata: Metadata = { title: 'Event' };

export default async function EventPage({ params }: { params: Promise<{ id: string }> }) {
  await requireOperator();
  const { id } = await params;
  const [event, apps] = await Promise.all([engineDashboard.event(id), engineDashboard.apps()]);
  if (!event) notFound();
  const names = new Map(apps.flatMap((app) => app.functions).map((fn) => [fn.id, fn.name]));
  const lastEnd = Math.max(event.receivedAt.getTime(), ...event.runs.map((run) => (run.endedAt ?? run.startedAt ?? run.createdAt).getTime()));
  return (
    <div className="space-y-6">
      <Card>
        <CardHeader
          title={<span className="font-mono">{event.name}</span>}
          description={
            <>
              <span className="font-mono">{event.id}</span> · received {formatDateTime(event.receivedAt)}
            </>
          }
          actions={<RelatedLinks data={event.payload.data} size="sm" />}
        />
        <CardBody>
          <JsonBlock value={event.payload} label="Event payload" />
        </CardBody>
      </Card>
      <Card>
        <CardHeader title="Runs it started" />
        <CardBody>
          <RunTable runs={event.runs.map((run) => ({ ...run, functionName: names.get(run.functionId) ?? run.functionId }))} now={lastEnd} emptyText="No function is triggered by this event." />
        </CardBody>
      </Card>
    </div>
  );
}
