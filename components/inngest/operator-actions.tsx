// The runs page's record of what operators did here (operator_actions, newest first): when,
// who, which action, on what, and the runs or events it made, each linked.
import Link from 'next/link';
import type { OperatorActionName, OperatorActionView } from '@/inngest/engine/read';
import { formatDateTime } from '@/components/format';
import { Table, TBody, Td, Th, THead } from '@/components/ui/table';
import { EmptyState } from '@/components/ui/states';
import { RunLink } from './run-link';

const ACTION_LABELS: Record<OperatorActionName, string> = { 'send-event': 'Sent event', invoke: 'Invoked', cancel: 'Cancelled', rerun: 'Reran' };

export function OperatorActionsTable({ actions }: { actions: OperatorActionView[] }) {
  if (!actions.length) return <EmptyState title="No operator actions yet" description="Events sent, functions invoked, and runs cancelled or rerun from this dashboard appear here." />;
  return (
    <Table aria-label="Operator actions">
      <THead>
        <tr>
          <Th>When</Th>
          <Th>Operator</Th>
          <Th>Action</Th>
          <Th>On</Th>
          <Th>Made</Th>
        </tr>
      </THead>
      <TBody>
        {actions.map((action) => (
          <tr key={action.id} data-testid="operator-action-row">
            <Td label="When" wrap className="min-w-[8rem]">
              {formatDateTime(action.at)}
            </Td>
            <Td label="Operator" wrap>
              {action.operatorEmail}
            </Td>
            <Td label="Action">{ACTION_LABELS[action.action]}</Td>
            <Td label="On" wrap>
              {action.runId ? <RunLink runId={action.runId} className="text-xs" /> : <span className="font-mono text-xs">{action.eventName ?? action.functionId}</span>}
            </Td>
            <Td label="Made" wrap>
              <span className="flex flex-col gap-0.5">
                {action.newRunIds.map((runId) => (
                  <RunLink key={runId} runId={runId} className="text-xs" />
                ))}
                {action.eventIds.map((eventId) => (
                  <Link key={eventId} href={`/dev/inngest/events/${eventId}`} className="font-mono text-xs break-all text-brand-700 hover:underline">
                    event {eventId}
                  </Link>
                ))}
                {!action.newRunIds.length && !action.eventIds.length && '—'}
              </span>
            </Td>
          </tr>
        ))}
      </TBody>
    </Table>
  );
}
