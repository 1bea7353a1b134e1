'use client';
// Webhook endpoints: add one (URL + events; its secret is shown once), turn it off and on,
// rotate its secret, delete it, send a test event, and read its deliveries with every attempt.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTRPC } from '@/components/trpc/react';
import type { RouterOutputs } from '@/components/trpc/types';
import { formErrors, messageOf } from '@/components/forms';
import { formatDateTime } from '@/components/format';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { ConfirmButton } from '@/components/ui/confirm-button';
import { Card, CardBody, CardHeader } from '@/components/ui/card';
import { Input } from '@/components/ui/field';
import { Alert, EmptyState, ErrorState, LoadingRows } from '@/components/ui/states';
import { Table, TBody, Td, Th, THead } from '@/components/ui/table';
import { WEBHOOK_EVENTS } from '@/server/domain/webhook-events';

type Endpoint = RouterOutputs['webhook']['list'][number];

export function Webhooks() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const endpoints = useQuery(trpc.webhook.list.queryOptions());
  const invalidate = () => queryClient.invalidateQueries({ queryKey: trpc.webhook.pathKey() });
  const create = useMutation(trpc.webhook.create.mutationOptions({ onSuccess: invalidate }));
  const [url, setUrl] = useState('');
  const [events, setEvents] = useState<string[]>(['payment.completed', 'payment.failed']);
  const [secret, setSecret] = useState<{ url: string; secret: string } | null>(null);
  const { errors, topMessage } = formErrors(create.error, {});

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    create.mutate(
      { url, events: events as never },
      {
        onSuccess: (created) => {
          setSecret({ url: created.url, secret: created.secret });
          setUrl('');
        },
      },
    );
  }

  return (
    <Card id="webhooks">
      <CardHeader
        title="Webhooks"
        description="DirectPay POSTs each event you choose to your URL, signed with Standard Webhooks (webhook-id, webhook-timestamp, webhook-signature). The README shows how to verify and deduplicate."
      />
      <CardBody className="space-y-4">
        {topMessage && <Alert tone="error">{topMessage}</Alert>}
        <form onSubmit={onSubmit} className="space-y-3" aria-label="Add a webhook endpoint">
          <Input label="Endpoint URL" value={url} onChange={(event) => setUrl(event.target.value)} placeholder="https://example.com/directpay/webhooks" error={errors.url} />
          <fieldset>
            <legend className="mb-1 text-sm font-medium text-slate-700">Events</legend>
            <div className="grid grid-cols-1 gap-x-4 gap-y-3 sm:grid-cols-2">
              {WEBHOOK_EVENTS.map((name) => (
                <label key={name} className="flex items-center gap-2 font-mono text-xs text-slate-700">
                  <input
                    type="checkbox"
                    className="h-4 w-4 rounded border-slate-300"
                    checked={events.includes(name)}
                    onChange={(event) => setEvents((current) => (event.target.checked ? [...current, name] : current.filter((e) => e !== name)))}
                  />
                  {name}
                </label>
              ))}
            </div>
            {errors.events && <p className="mt-1 text-sm text-red-600">{errors.events}</p>}
          </fieldset>
          <Button type="submit" pending={create.isPending}>
            Add endpoint
          </Button>
        </form>
        {secret && <SecretNotice {...secret} />}
        {endpoints.isPending ? (
          <LoadingRows />
        ) : endpoints.isError ? (
          <ErrorState message={messageOf(endpoints.error)} onRetry={() => void endpoints.refetch()} />
        ) : endpoints.data.length === 0 ? (
          <EmptyState title="No webhook endpoints" description="Add one to have your own program told when rent is paid, fails or a lease is accepted." />
        ) : (
          <div className="space-y-4">
            {endpoints.data.map((endpoint) => (
              <EndpointCard key={endpoint.id} endpoint={endpoint} onSecret={(value) => setSecret({ url: endpoint.url, secret: value })} />
            ))}
          </div>
        )}
      </CardBody>
    </Card>
  );
}

function SecretNotice({ url, secret }: { url: string; secret: string }) {
  return (
    <Alert tone="success">
      Signing secret for {url} — copy it now, it will not be shown again:
      <code className="mt-2 block break-all rounded bg-white px-2 py-1 font-mono text-xs text-slate-900" data-testid="webhook-secret">
        {secret}
      </code>
    </Alert>
  );
}

function EndpointCard({ endpoint, onSecret }: { endpoint: Endpoint; onSecret: (secret: string) => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const invalidate = () => queryClient.invalidateQueries({ queryKey: trpc.webhook.pathKey() });
  const update = useMutation(trpc.webhook.update.mutationOptions({ onSuccess: invalidate }));
  const rotate = useMutation(trpc.webhook.rotateSecret.mutationOptions({ onSuccess: (data) => onSecret(data.secret) }));
  const remove = useMutation(trpc.webhook.delete.mutationOptions({ onSuccess: invalidate }));
  const sendTest = useMutation(trpc.webhook.sendTest.mutationOptions({ onSuccess: invalidate }));
  const redeliver = useMutation(trpc.webhook.redeliver.mutationOptions({ onSuccess: invalidate }));
  const deliveries = useQuery({
    ...trpc.webhook.deliveries.queryOptions({ endpointId: endpoint.id, limit: 20 }),
    // Follow deliveries still being attempted.
    refetchInterval: (query) => (query.state.data?.items.some((d) => d.status === 'PENDING') ? 2_000 : false),
  });
  const error = update.error ?? rotate.error ?? remove.error ?? sendTest.error ?? redeliver.error;

  return (
    <div className="rounded-md border border-slate-200" data-testid="webhook-endpoint">
      <div className="flex flex-wrap items-start justify-between gap-3 border-b border-slate-200 px-4 py-3">
        <div className="min-w-0">
          <p className="break-all font-mono text-sm text-slate-900">{endpoint.url}</p>
          <p className="mt-1 text-xs text-slate-500">{endpoint.events.join(', ')}</p>
          {endpoint.disabledAt && <p className="mt-1 text-xs text-red-700">Disabled {formatDateTime(endpoint.disabledAt)}: {endpoint.disabledReason}</p>}
        </div>
        <div className="flex flex-wrap gap-2">
          <Button size="sm" variant="secondary" pending={sendTest.isPending} disabled={Boolean(endpoint.disabledAt)} onClick={() => sendTest.mutate({ endpointId: endpoint.id })}>
            Send test event
          </Button>
          <Button size="sm" variant="secondary" pending={update.isPending} onClick={() => update.mutate({ id: endpoint.id, enabled: Boolean(endpoint.disabledAt) })}>
            {endpoint.disabledAt ? 'Turn on' : 'Turn off'}
          </Button>
          <Button size="sm" variant="secondary" pending={rotate.isPending} onClick={() => rotate.mutate({ id: endpoint.id })}>
            Rotate secret
          </Button>
          <ConfirmButton
            size="sm"
            variant="secondary"
            pending={remove.isPending}
            title="Delete this webhook endpoint?"
            consequence="No more events are sent to it. To receive events again, add the endpoint anew; it gets a new signing secret."
            confirmLabel="Yes, delete it"
            keepLabel="Keep the endpoint"
            onConfirm={() => remove.mutate({ id: endpoint.id })}
          >
            Delete
          </ConfirmButton>
        </div>
      </div>
      <div className="space-y-2 px-4 py-3">
        {error && <ErrorState message={messageOf(error)} />}
        {deliveries.isPending ? (
          <LoadingRows rows={1} />
        ) : deliveries.isError ? (
          <ErrorState message={messageOf(deliveries.error)} onRetry={() => void deliveries.refetch()} />
        ) : deliveries.data.items.length === 0 ? (
          <p className="text-sm text-slate-500">No deliveries yet.</p>
        ) : (
          <Table aria-label={`Deliveries to ${endpoint.url}`}>
            <THead>
              <tr>
                <Th>Event</Th>
                <Th>Status</Th>
                <Th>Attempts</Th>
                <Th>Created</Th>
                <Th>
                  <span className="sr-only">Actions</span>
                </Th>
              </tr>
            </THead>
            <TBody>
              {deliveries.data.items.map((delivery) => (
                <tr key={delivery.id} data-testid="webhook-delivery">
                  <Td label="Event" className="font-mono text-xs">
                    {delivery.eventType}
                    <span className="block text-slate-600">{delivery.messageId}</span>
                  </Td>
                  <Td label="Status">
                    <Badge tone={delivery.status === 'DELIVERED' ? 'green' : delivery.status === 'FAILED' ? 'red' : 'yellow'}>{delivery.status.toLowerCase()}</Badge>
                  </Td>
                  <Td label="Attempts" wrap className="text-xs">
                    {delivery.attempts.map((attempt) => (
                      <span key={attempt.number} className="block">
                        #{attempt.number} {attempt.statusCode ?? '—'} in {attempt.durationMs} ms{attempt.error ? ` (${attempt.error})` : ''}
                      </span>
                    ))}
                    {delivery.nextAttemptAt && <span className="block text-slate-500">next {formatDateTime(delivery.nextAttemptAt)}</span>}
                  </Td>
                  <Td label="Created" className="whitespace-nowrap">{formatDateTime(delivery.createdAt)}</Td>
                  <Td className="text-right">
                    {delivery.status !== 'PENDING' && (
                      <Button size="sm" variant="secondary" pending={redeliver.isPending && redeliver.variables?.deliveryId === delivery.id} onClick={() => redeliver.mutate({ deliveryId: delivery.id })}>
                        Redeliver
                      </Button>
                    )}
                  </Td>
                </tr>
              ))}
            </TBody>
          </Table>
        )}
      </div>
    </div>
  );
}
