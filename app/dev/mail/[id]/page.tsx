// One caught message: headers, the plain-text part, and the HTML part in a sandboxed frame
// (no scripts, no same-origin access), plus the raw source.
import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { formatDateTime } from '@/components/format';
import { ButtonLink } from '@/components/ui/button';
import { Card, CardBody, CardHeader } from '@/components/ui/card';
import { getCaughtMail } from '@/server/mail/caught';
import { requireOperator } from '../../inngest/access';

export const metadata: Metadata = { title: 'Message' };

export default async function CaughtMessagePage({ params }: { params: Promise<{ id: string }> }) {
  await requireOperator();
  const mail = await getCaughtMail((await params).id);
  if (!mail) notFound();
  return (
    <div className="space-y-6">
      <Card>
        <CardHeader title={mail.subject || '(no subject)'} actions={<ButtonLink href="/dev/mail" variant="secondary" size="sm">Back to the inbox</ButtonLink>} />
        <CardBody>
          <dl className="grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1 text-sm">
            <dt className="text-slate-500">From</dt>
            <dd>{mail.from}</dd>
            <dt className="text-slate-500">To</dt>
            <dd data-testid="mail-to">{mail.to.join(', ')}</dd>
            <dt className="text-slate-500">Received</dt>
            <dd>{formatDateTime(mail.receivedAt)}</dd>
          </dl>
        </CardBody>
      </Card>
      <Card>
        <CardHeader title="Plain text" />
        <CardBody>
          <pre className="whitespace-pre-wrap break-words font-mono text-sm text-slate-800" data-testid="mail-text">
            {mail.text ?? '(no text part)'}
          </pre>
        </CardBody>
      </Card>
      <Card>
        <CardHeader title="HTML" />
        <CardBody>
          {mail.html ? <iframe title="HTML part" sandbox="" srcDoc={mail.html} className="h-96 w-full rounded border border-slate-200 bg-white" /> : <p className="text-sm text-slate-500">(no HTML part)</p>}
        </CardBody>
      </Card>
      <details className="rounded-lg border border-slate-200 bg-white p-4">
        <summary className="cursor-pointer text-sm font-medium text-slate-700">Raw source</summary>
        <pre role="region" aria-label="Raw message" tabIndex={0} className="mt-3 max-h-96 overflow-auto whitespace-pre-wrap break-all font-mono text-xs text-slate-700">
          {mail.raw}
        </pre>
      </details>
    </div>
  );
}
