'use client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTRPC } from '@/components/trpc/react';
import { Button } from '@/components/ui/button';
import { ConfirmButton } from '@/components/ui/confirm-button';
import { Card, CardBody, CardHeader } from '@/components/ui/card';
import { Input } from '@/components/ui/field';
import { Badge } from '@/components/ui/badge';
import { Alert, EmptyState, ErrorState, LoadingRows } from '@/components/ui/states';
import { Table, TBody, Td, Th, THead } from '@/components/ui/table';
import { formErrors, messageOf } from '@/components/forms';
import { formatDateTime } from '@/components/format';

export function ApiTokens() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const tokens = useQuery(trpc.apiToken.list.queryOptions());
  const invalidate = () => queryClient.invalidateQueries({ queryKey: trpc.apiToken.list.queryKey() });
  const create = useMutation(trpc.apiToken.create.mutationOptions({ onSuccess: invalidate }));
  const revoke = useMutation(trpc.apiToken.revoke.mutationOptions({ onSuccess: invalidate }));
  const [name, setName] = useState('');
  const { errors, topMessage } = formErrors(create.error, {});

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    create.mutate({ name }, { onSuccess: () => setName('') });
  }

  return (
    <Card>
      <CardHeader title="API tokens" description="Send a token as `Authorization: Bearer <token>`. It is shown once; we keep only its hash." />
      <CardBody className="space-y-4">
        {topMessage && <Alert tone="error">{topMessage}</Alert>}
        <form onSubmit={onSubmit} className="flex flex-wrap items-end gap-3">
          <div className="min-w-64 flex-1">
            <Input label="Token name" value={name} onChange={(event) => setName(event.target.value)} placeholder="e.g. accounting export" error={errors.name} />
          </div>
          <Button type="submit" pending={create.isPending}>
            Create token
          </Button>
        </form>
        {create.data && (
          <Alert tone="success">
            Copy this token now — it will not be shown again:
            <code className="mt-2 block break-all rounded bg-white px-2 py-1 font-mono text-xs text-slate-900" data-testid="new-api-token">
              {create.data.token}
            </code>
          </Alert>
        )}
        {revoke.error && <ErrorState message={messageOf(revoke.error)} />}
        {tokens.isPending ? (
          <LoadingRows />
        ) : tokens.isError ? (
          <ErrorState message={messageOf(tokens.error)} onRetry={() => void tokens.refetch()} />
        ) : tokens.data.length === 0 ? (
          <EmptyState title="No API tokens" description="Create one for each program that calls the API, so you can revoke them one at a time." />
        ) : (
          <Table>
            <THead>
              <tr>
                <Th>Name</Th>
                <Th>Token</Th>
                <Th>Created</Th>
                <Th>Last used</Th>
                <Th>
                  <span className="sr-only">Actions</span>
                </Th>
              </tr>
            </THead>
            <TBody>
              {tokens.data.map((token) => (
                <tr key={token.id}>
                  <Td label="Name" className="font-medium text-slate-900">{token.name}</Td>
                  <Td label="Token" className="font-mono text-xs">{token.prefix}_…</Td>
                  <Td label="Created">{formatDateTime(token.createdAt)}</Td>
                  <Td label="Last used">{token.lastUsedAt ? formatDateTime(token.lastUsedAt) : 'never'}</Td>
                  <Td className="text-right">
                    {token.revokedAt ? (
                      <Badge>Revoked</Badge>
                    ) : (
                      <ConfirmButton
                        variant="secondary"
                        size="sm"
                        pending={revoke.isPending && revoke.variables?.id === token.id}
                        title={`Revoke “${token.name}”?`}
                        consequence="Every program using this token is refused from now on. This cannot be undone: create a new token to give access again."
                        confirmLabel="Yes, revoke it"
                        keepLabel="Keep the token"
                        onConfirm={() => revoke.mutate({ id: token.id })}
                      >
                        Revoke
                      </ConfirmButton>
                    )}
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
