// The event stream, newest first, and a form to send a test event.
import type { Metadata } from 'next';
import Link from 'next/link';
import { engineDashboard, FUNCTION_FINISHED } from '@/inngest/dashboard';
import { AutoRefresh } from '@/components/inngest/auto-refresh';
import { RelatedLinks } from '@/components/inngest/related-links';
import { SendEventForm } from '@/components/inngest/send-event-form';
import { formatDateTime } from '@/components/format';
import { Button, ButtonLink } from '@/components/ui/button';
import { Card, CardBody, CardHeader } from '@/components/ui/card';
import { Input } from '@/components/ui/field';
import { EmptyState } from '@/components/ui/states';
import { Table, TBody, Td, Th, THead } from '@/components/ui/table';
import { requireOperator } from '../access';
import { sendTestEvent } from '../actions';
import { searchWith } from '../filters';
import { searchParam } from '../../search-params';

export const metadata: Metadata = { title: 'Events' };

const PAGE_SIZE = 50;

export default async function EventsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requireOperator();
  const params = await searchParams;
  const name = searchParam(params, 'name') ?? '';
  const before = searchParam(params, 'before');
  // Every run ends with an inngest/function.finished event; shown only when asked for.
  const withFinished = params.finished === '1';
  const events = await engineDashboard.events({ name: name || undefined, excludeNames: withFinished || name ? [] : [FUNCTION_FINISHED], beforeId: before, limit: PAGE_SIZE });

  return (
    <div className="space-y-6">
      <Card>
        <CardHeader title="Send a test event" description="Starts every function it triggers, as an event from the app would." />
        <CardBody>
          <SendEventForm action={sendTestEvent} />
        </CardBody>
      </Card>
      <Card>
        <CardHeader title="Event stream" description="Every event received, newest first." actions={<AutoRefresh />} />
        <CardBody className="space-y-4">
          <form className="flex flex-wrap items-end gap-3" role="search">
            <div className="min-w-60 flex-1">
              <Input label="Event name" name="name" defaultValue={name} placeholder="payment/created" />
            </div>
            <label className="flex items-center gap-2 pb-2 text-sm text-slate-600">
              <input type="checkbox" name="finished" value="1" defaultChecked={withFinished} className="h-4 w-4 rounded border-slate-300" />
              Include {FUNCTION_FINISHED}
            </label>
            <Button type="submit" variant="secondary">
              Filter
            </Button>
          </form>
          {events.length === 0 ? (
            <EmptyState title="No events" description={name ? `No ${name} event yet.` : 'Events sent by the app (or from this page) appear here.'} />
          ) : (
            <Table aria-label="Events">
              <THead>
                <tr>
                  <Th>Event</Th>
                  <Th>Received</Th>
                  <Th>Runs</Th>
                  <Th>Concerns</Th>
                </tr>
              </THead>
              <TBody>
                {events.map((event) => (
                  <tr key={event.internalId} data-testid="event-row" className="hover:bg-slate-50">
                    <Td label="Event">
                      <Link href={`/dev/inngest/events/${event.internalId}`} className="font-mono text-sm font-medium text-brand-700 hover:underline">
                        {event.name}
                      </Link>
                      <div className="font-mono text-xs text-slate-600">{event.id}</div>
                    </Td>
                    <Td label="Received">{formatDateTime(event.receivedAt)}</Td>
                    <Td label="Runs">{event.runCount}</Td>
                    <Td label="Concerns" wrap className="min-w-[10rem]">
                      <RelatedLinks data={event.payload.data} />
                    </Td>
                  </tr>
                ))}
              </TBody>
            </Table>
          )}
          {events.length === PAGE_SIZE && (
            <ButtonLink variant="secondary" size="sm" href={searchWith(params, { before: events.at(-1)!.internalId })}>
              Older events
            </ButtonLink>
          )}
        </CardBody>
      </Card>
    </div>
  );
}
