'use client';
// Settings → API tokens: create one (name, scope, lifetime; the token is shown once), see each
// token's scope, expiry and last use, and revoke it.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTRPC } from '@/components/trpc/react';
import { Button } from '@/components/ui/button';
import { ConfirmButton } from '@/components/ui/confirm-button';
import { Card, CardBody, CardHeader } from '@/components/ui/card';
import { Input, Select } from '@/components/ui/field';
import { Badge } from '@/components/ui/badge';
import { Alert, EmptyState, ErrorState, LoadingRows } from '@/components/ui/states';
import { Table, TBody, Td, Th, THead } from '@/components/ui/table';
import { formErrors, messageOf } from '@/components/forms';
import { formatDateTime } from '@/components/format';
import { API_TOKEN_LIFETIME_DAYS, DEFAULT_API_TOKEN_SCOPE } from '@/server/api/schemas/api-token';
import type { ApiTokenScope } from '@/server/generated/prisma/enums';

/** Each scope as people read it, with what it allows (server/api/trpc.ts enforces it). */
const SCOPES: Record<ApiTokenScope, { label: string; description: string }> = {
  READ: { label: 'Read only', description: 'Read only: reads, no changes' },
  WRITE: { label: 'Read and write', description: 'Read and write: reads and changes, such as paying rent' },
};

/** The lifetimes offered, in days; the API accepts any whole number within API_TOKEN_LIFETIME_DAYS. */
const LIFETIMES = [7, 30, API_TOKEN_LIFETIME_DAYS.default, 180, API_TOKEN_LIFETIME_DAYS.max];

export function ApiTokens() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const tokens = useQuery(trpc.apiToken.list.queryOptions());
  const invalidate = () => queryClient.invalidateQueries({ queryKey: trpc.apiToken.list.queryKey() });
  const create = useMutation(trpc.apiToken.create.mutationOptions({ onSuccess: invalidate }));
  const revoke = useMutation(trpc.apiToken.revoke.mutationOptions({ onSuccess: invalidate }));
  const [name, setName] = useState('');
  const [scope, setScope] = useState<ApiTokenScope>(DEFAULT_API_TOKEN_SCOPE);
  const [expiresInDays, setExpiresInDays] = useState<number>(API_TOKEN_LIFETIME_DAYS.default);
  const { errors, topMessage } = formErrors(create.error, {});

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    create.mutate({ name, scope, expiresInDays }, { onSuccess: () => setName('') });
  }

  return (
    <Card>
      <CardHeader
        title="API tokens"
        description={
          <>
            Send a token as <code className="rounded bg-slate-100 px-1 font-mono text-xs text-slate-800">Authorization: Bearer &lt;token&gt;</code>. It is shown once; we keep only its hash. A token cannot
            manage tokens, your password, sessions or webhook endpoints: that takes this portal.
          </>
        }
      />
      <CardBody className="space-y-4">
        {topMessage && <Alert tone="error">{topMessage}</Alert>}
        <form onSubmit={onSubmit} className="flex flex-wrap items-end gap-3" aria-label="Create an API token">
          <div className="min-w-64 flex-1">
            <Input label="Token name" value={name} onChange={(event) => setName(event.target.value)} placeholder="e.g. accounting export" error={errors.name} />
          </div>
          <div className="min-w-48">
            <Select label="Scope" value={scope} onChange={(event) => setScope(event.target.value as ApiTokenScope)} error={errors.scope}>
              {(Object.keys(SCOPES) as ApiTokenScope[]).map((value) => (
                <option key={value} value={value}>
                  {SCOPES[value].description}
                </option>
              ))}
            </Select>
          </div>
          <div className="min-w-36">
            <Select label="Expires after" value={expiresInDays} onChange={(event) => setExpiresInDays(Number(event.target.value))} error={errors.expiresInDays}>
              {LIFETIMES.map((days) => (
                <option key={days} value={days}>
                  {days} days
                </option>
              ))}
            </Select>
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
            <span className="mt-2 block">
              {SCOPES[create.data.scope].label} · Expires {formatDateTime(create.data.expiresAt)}
            </span>
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
                <Th>Scope</Th>
                <Th>Created</Th>
                <Th>Expiry</Th>
                <Th>Last used</Th>
                <Th>
                  <span className="sr-only">Actions</span>
                </Th>
              </tr>
            </THead>
            <TBody>
              {tokens.data.map((token) => (
                <tr key={token.id}>
                  <Td label="Name" wrap className="min-w-[8rem] font-medium text-slate-900">{token.name}</Td>
                  <Td label="Token" className="font-mono text-xs">{token.prefix}_…</Td>
                  <Td label="Scope">
                    <Badge tone={token.scope === 'WRITE' ? 'yellow' : 'gray'}>{SCOPES[token.scope].label}</Badge>
                  </Td>
                  <Td label="Created">{formatDateTime(token.createdAt)}</Td>
                  <Td label="Expiry">{token.expired ? <Badge tone="red">Expired</Badge> : `Expires ${formatDateTime(token.expiresAt)}`}</Td>
                  <Td label="Last used">{token.lastUsedAt ? formatDateTime(token.lastUsedAt) : 'never'}</Td>
                  <Td className="text-right">
                    {token.revokedAt ? (
                      <Badge>Revoked</Badge>
                    ) : token.expired ? null : (
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
