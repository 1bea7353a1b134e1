// An aggregate's history in a card, from its `*.history` query: loading, failed, or the timeline
// (with `until`, only the events up to that instant: a point-in-time view).
import type { UseQueryResult } from '@tanstack/react-query';
import { messageOf } from '@/components/forms';
import { Card, CardBody, CardHeader } from '@/components/ui/card';
import { ErrorState, LoadingRows } from '@/components/ui/states';
import { EventTimeline, type TimelineEvent } from './timeline';

export function HistoryCard({
  history,
  description,
  actorName,
  className,
  until,
}: {
  history: UseQueryResult<{ events: TimelineEvent[] }, unknown>;
  description: string;
  actorName?: (actorId: string) => string | undefined;
  className?: string;
  until?: Date | null;
}) {
  return (
    <Card className={className}>
      <CardHeader title="History" description={description} />
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
