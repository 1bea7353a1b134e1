// An aggregate's history in a card, from its `*.history` query: loading, failed, or the timeline
// (with `until`, only the events up to that instant: a point-in-time view), with a Verify button
// that checks its hash chain on the server.
import type { UseQueryResult } from '@tanstack/react-query';
import { messageOf } from '@/components/forms';
import { Card, CardBody, CardHeader } from '@/components/ui/card';
import { ErrorState, LoadingRows } from '@/components/ui/states';
import { EventTimeline, type TimelineEvent } from './timeline';
import { VerifyChain } from './verify-chain';

export function HistoryCard({
  history,
  description,
  actorName,
  className,
  until,
  aggregate,
}: {
  history: UseQueryResult<{ events: TimelineEvent[] }, unknown>;
  description: string;
  actorName?: (actorId: string) => string | undefined;
  className?: string;
  until?: Date | null;
  /** The aggregate this is the history of: shows a Verify button that checks its hash chain on the server. */
  aggregate?: Parameters<typeof VerifyChain>[0]['aggregate'];
}) {
  return (
    <Card className={className}>
      <CardHeader title="History" description={description} actions={aggregate && <VerifyChain aggregate={aggregate} />} />
      <CardBody>
        {history.isPending ? (
          <LoadingRows label="Loading history" />
        ) : history.isError ? (
          <ErrorState message={messageOf(history.error)} onRetry={() => void history.refetch()} />
        ) : (
          <EventTimeline events={until ? history.data.events.filter((event) => new Date(event.createdAt) <= until) : history.data.events} actorName={actorName} />
        )}
      </CardBody>
    </Card>
  );
}
