// An aggregate's history in a card, from its `*.history` query: loading, failed, or the timeline.
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
}: {
  history: UseQueryResult<{ events: TimelineEvent[] }, unknown>;
  description: string;
  actorName?: (actorId: string) => string | undefined;
  className?: string;
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
          <EventTimeline events={history.data.events} actorName={actorName} />
        )}
      </CardBody>
    </Card>
  );
}
