// The embedded mail catcher's inbox, newest first, filterable by recipient.
import type { Metadata } from 'next';
import Link from 'next/link';
import { AutoRefresh } from '@/components/inngest/auto-refresh';
import { formatDateTime } from '@/components/format';
import { Button } from '@/components/ui/button';
import { Card, CardBody, CardHeader } from '@/components/ui/card';
import { Input } from '@/components/ui/field';
import { EmptyState } from '@/components/ui/states';
import { Table, TBody, Td, Th, THead } from '@/components/ui/table';
import { listCaughtMail } from '@/server/mail/caught';
import { requireOperator } from '../inngest/access';
import { searchParam } from '../search-params';

export const metadata: Metadata = { title: 'Inbox' };

export default async function CaughtMailPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requireOperator();
  const params = await searchParams;
  const to = searchParam(params, 'to') ?? '';
  const mails = await listCaughtMail({ to: to || undefined });
  return (
    <Card>
      <CardHeader title="Inbox" description="Every message the catcher received, newest first." actions={<AutoRefresh />} />
      <CardBody className="space-y-4">
        <form className="flex flex-wrap items-end gap-3" role="search">
          <div className="min-w-60 flex-1">
            <Input label="Recipient" name="to" type="email" defaultValue={to} placeholder="renter@directpay.test" />
          </div>
          <Button type="submit" variant="secondary">
            Filter
          </Button>
        </form>
        {mails.length === 0 ? (
          <EmptyState title="No mail" description={to ? `Nothing was sent to ${to}.` : 'Invitations, verification links and notices appear here when the app sends them.'} />
        ) : (
          <Table aria-label="Caught mail">
            <THead>
              <tr>
                <Th>Received</Th>
                <Th>To</Th>
                <Th>Subject</Th>
              </tr>
            </THead>
            <TBody>
              {mails.map((mail) => (
                <tr key={mail.id}>
                  <Td label="Received" className="whitespace-nowrap">{formatDateTime(mail.receivedAt)}</Td>
                  <Td label="To" wrap>{mail.to.join(', ')}</Td>
                  <Td label="Subject" wrap className="min-w-[12rem]">
                    <Link href={`/dev/mail/${mail.id}`} className="font-medium text-brand-700 hover:underline">
                      {mail.subject || '(no subject)'}
                    </Link>
                  </Td>
                </tr>
              ))}
            </TBody>
          </Table>
        )}
      </CardBody>
    </Card>
  );
}
