// The runs list: status (with what a completed run reports, e.g. "Payment failed (AC04)"),
// function, trigger, timing, and the payment or lease it concerns.
import Link from 'next/link';
import type { RunSummary } from '@/inngest/engine/read';
import { formatDateTime } from '@/components/format';
import { Table, TBody, Td, Th, THead } from '@/components/ui/table';
import { EmptyState } from '@/components/ui/states';
import { RunResultLine } from './run-result';
import { RunStatusBadge } from './run-status-badge';
import { durationText } from './links';
import { RelatedLinks } from './related-links';

export interface RunRowView extends RunSummary {
  functionName: string;
}

export function RunTable({ runs, now, emptyText = 'No runs match these filters yet.' }: { runs: RunRowView[]; now: number; emptyText?: string }) {
  if (!runs.length) return <EmptyState title="No runs" description={emptyText} />;
  return (
    <Table aria-label="Runs">
      <THead>
        <tr>
          <Th>Status</Th>
          <Th>Function</Th>
          <Th>Trigger</Th>
          <Th>Queued</Th>
          <Th>Duration</Th>
          <Th>Concerns</Th>
        </tr>
      </THead>
      <TBody>
        {runs.map((run) => {
          const start = (run.startedAt ?? run.createdAt).getTime();
          const end = run.endedAt?.getTime() ?? now;
          return (
            <tr key={run.id} data-testid="run-row" className="hover:bg-slate-50">
              <Td label="Status" wrap className="min-w-[7rem]">
                <RunStatusBadge status={run.status} />
                {run.result && (
                  <div className="mt-1">
                    <RunResultLine result={run.result} />
                  </div>
                )}
              </Td>
              <Td label="Function" wrap>
                <Link href={`/dev/inngest/runs/${run.id}`} className="font-medium text-brand-700 hover:underline">
                  {run.functionName}
                </Link>
                <div className="font-mono text-xs text-slate-600">{run.id}</div>
              </Td>
              <Td label="Trigger" wrap>
                {run.eventId ? (
                  <Link href={`/dev/inngest/events/${run.eventId}`} className="font-mono text-xs text-slate-700 hover:underline">
                    {run.eventName}
                  </Link>
                ) : (
                  <span className="font-mono text-xs">{run.eventName}</span>
                )}
              </Td>
              <Td label="Queued" wrap className="min-w-[8rem]">{formatDateTime(run.createdAt)}</Td>
              <Td label="Duration">{run.startedAt ? durationText(end - start) : '—'}</Td>
              <Td label="Concerns" wrap className="min-w-[9rem]">
                <RelatedLinks data={run.eventData} />
              </Td>
            </tr>
          );
        })}
      </TBody>
    </Table>
  );
}
