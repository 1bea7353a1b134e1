'use client';
// Autopay on a lease page. The renter: turn it on (account, rail, days before due), see the next
// pull and its notice (real calendar, New York time), skip the next payment, turn it off; a stop
// after a failed payment shows its reason. The landlord: one line, "Autopay: on (••••1234)".
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTRPC } from '@/components/trpc/react';
import type { RouterOutputs } from '@/components/trpc/types';
import { fieldErrorsOf, messageOf } from '@/components/forms';
import { formatCents, formatDate, formatEastern } from '@/components/format';
import type { Viewer } from '@/components/leases/lease-routes';
import { Button } from '@/components/ui/button';
import { ConfirmButton } from '@/components/ui/confirm-button';
import { Card, CardBody, CardHeader } from '@/components/ui/card';
import { Input, Select } from '@/components/ui/field';
import { Alert, ErrorState, LoadingRows } from '@/components/ui/states';
import { MAX_AUTOPAY_DAYS_BEFORE_DUE } from '@/server/api/schemas/autopay';
import { countText } from '@/server/domain/text';

type AutopayOutput = RouterOutputs['autopay']['get'];
type RenterAutopay = Extract<AutopayOutput, { view: 'renter' }>;

export function AutopayCard({ leaseId, viewer }: { leaseId: string; viewer: Viewer }) {
  const trpc = useTRPC();
  const autopay = useQuery(trpc.autopay.get.queryOptions({ leaseId }));
  if (autopay.isPending) return <LoadingRows rows={2} label="Loading autopay" />;
  if (autopay.isError) return <ErrorState message={messageOf(autopay.error)} onRetry={() => void autopay.refetch()} />;
  const data = autopay.data;
  if (data.view === 'landlord' || viewer === 'LANDLORD') {
    return (
      <p className="text-sm text-slate-700" data-testid="autopay-landlord">
        Autopay: {data.enabled ? `on${data.view === 'landlord' && data.accountLast4 ? ` (••••${data.accountLast4})` : ''}` : 'off'}
      </p>
    );
  }
  return <RenterAutopayCard autopay={data} />;
}

function RenterAutopayCard({ autopay }: { autopay: RenterAutopay }) {
  const [editing, setEditing] = useState(false);
  // The notice's "Review or skip this payment" link lands here (#autopay).
  return (
    <Card id="autopay">
      <CardHeader
        title="Autopay"
        description="Pays each installment from your account so it settles before the due date. You get a notice 3 days before each payment."
        actions={autopay.enabled && !editing ? <Button variant="secondary" size="sm" onClick={() => setEditing(true)}>Change</Button> : undefined}
      />
      <CardBody className="space-y-4">
        {!autopay.enabled && autopay.disabledReason && autopay.disabledReason !== 'Turned off by the renter' && <Alert tone="error">Autopay stopped: {autopay.disabledReason}</Alert>}
        {autopay.enabled && !editing ? <AutopayOn autopay={autopay} /> : <EnableForm autopay={autopay} onDone={() => setEditing(false)} />}
      </CardBody>
    </Card>
  );
}

function useRefresh() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return () => Promise.all([queryClient.invalidateQueries(trpc.autopay.pathFilter()), queryClient.invalidateQueries(trpc.lease.pathFilter())]);
}

function AutopayOn({ autopay }: { autopay: RenterAutopay }) {
  const trpc = useTRPC();
  const refresh = useRefresh();
  const skip = useMutation(trpc.autopay.skip.mutationOptions({ onSuccess: refresh }));
  const disable = useMutation(trpc.autopay.disable.mutationOptions({ onSuccess: refresh }));
  const next = autopay.nextPull;
  const error = skip.error ?? disable.error;
  return (
    <div className="space-y-4">
      {error && <Alert tone="error">{messageOf(error)}</Alert>}
      <dl className="grid gap-3 text-sm sm:grid-cols-2">
        <div>
          <dt className="text-slate-500">Status</dt>
          <dd className="font-medium text-emerald-700">On</dd>
        </div>
        <div>
          <dt className="text-slate-500">From</dt>
          <dd className="font-medium">
            {autopay.account?.nickname} ••••{autopay.account?.last4}
          </dd>
        </div>
        <div>
          <dt className="text-slate-500">Rail</dt>
          <dd className="font-medium">{autopay.railName}</dd>
        </div>
        <div>
          <dt className="text-slate-500">Settles</dt>
          <dd className="font-medium">{autopay.daysBeforeDue === null ? '—' : autopay.daysBeforeDue === 0 ? 'by the due date' : `${countText(autopay.daysBeforeDue, 'day')} before the due date`}</dd>
        </div>
        <div>
          <dt className="text-slate-500">Next payment</dt>
          <dd className="font-medium" data-testid="autopay-next-pull">
            {next ? `${formatCents(next.amountCents)} for ${next.label} (due ${formatDate(next.dueDate)}), sent ${formatEastern(next.pullAt)}` : 'Nothing left to pay'}
          </dd>
        </div>
        <div>
          <dt className="text-slate-500">Notice</dt>
          <dd className="font-medium" data-testid="autopay-next-notice">
            {next ? formatEastern(next.noticeAt) : '—'}
          </dd>
        </div>
      </dl>
      <div className="flex flex-wrap gap-2">
        {next && (
          <Button variant="secondary" pending={skip.isPending} onClick={() => skip.mutate({ installmentId: next.installmentId })}>
            Skip next payment
          </Button>
        )}
        <ConfirmButton
          pending={disable.isPending}
          title="Turn off autopay?"
          consequence="Nothing is paid automatically any more: you pay each month's rent yourself, and late fees apply as usual."
          confirmLabel="Yes, turn off autopay"
          keepLabel="Keep autopay on"
          onConfirm={() => disable.mutate({ leaseId: autopay.leaseId })}
        >
          Turn off autopay
        </ConfirmButton>
      </div>
    </div>
  );
}

function EnableForm({ autopay, onDone }: { autopay: RenterAutopay; onDone: () => void }) {
  const trpc = useTRPC();
  const refresh = useRefresh();
  const accounts = useQuery(trpc.bankAccount.list.queryOptions({ active: true, limit: 100 }));
  const rails = useQuery(trpc.payment.rails.queryOptions());
  const [accountId, setAccountId] = useState(autopay.account?.id ?? '');
  const [rail, setRail] = useState<string>(autopay.rail ?? 'STANDARD_ACH');
  const [days, setDays] = useState(String(autopay.daysBeforeDue ?? 2));
  const enable = useMutation(
    trpc.autopay.enable.mutationOptions({
      onSuccess: async () => {
        await refresh();
        onDone();
      },
    }),
  );
  if (accounts.isPending || rails.isPending) return <LoadingRows rows={2} label="Loading accounts" />;
  if (accounts.isError || rails.isError) return <ErrorState message={messageOf(accounts.error ?? rails.error)} />;
  if (!accounts.data.items.length) return <Alert tone="info">Link an active bank account first (Bank accounts), then turn on autopay.</Alert>;
  const chosenAccount = accountId || (accounts.data.items.find((a) => a.isPrimary) ?? accounts.data.items[0]!).id;
  const errors = fieldErrorsOf(enable.error);
  return (
    <form
      className="space-y-4"
      aria-label="Turn on autopay"
      // The server's words under the field, as in every other form (the browser's bubble showed nothing of ours).
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        enable.mutate({ leaseId: autopay.leaseId, fromAccountId: chosenAccount, rail: rail as RenterAutopayRail, daysBeforeDue: days.trim() === '' ? Number.NaN : Number(days) });
      }}
    >
      {enable.error && !Object.keys(errors).length && <Alert tone="error">{messageOf(enable.error)}</Alert>}
      <div className="grid gap-4 sm:grid-cols-3">
        <Select label="Pay from" value={chosenAccount} onChange={(event) => setAccountId(event.target.value)} error={errors.fromAccountId}>
          {accounts.data.items.map((account) => (
            <option key={account.id} value={account.id}>
              {account.nickname} ••••{account.last4}
            </option>
          ))}
        </Select>
        <Select label="Rail" value={rail} onChange={(event) => setRail(event.target.value)} error={errors.rail}>
          {rails.data.map((row) => (
            <option key={row.rail} value={row.rail}>
              {row.name} ({formatCents(row.feeCents)} fee)
            </option>
          ))}
        </Select>
        <Input
          label="Days before due"
          type="number"
          min={0}
          max={MAX_AUTOPAY_DAYS_BEFORE_DUE}
          value={days}
          onChange={(event) => setDays(event.target.value)}
          error={errors.daysBeforeDue}
          hint="The money settles this many days before each due date."
        />
      </div>
      <div className="flex gap-2">
        <Button type="submit" pending={enable.isPending}>
          {autopay.enabled ? 'Save autopay' : 'Turn on autopay'}
        </Button>
        {autopay.enabled && (
          <Button variant="secondary" onClick={onDone}>
            Cancel
          </Button>
        )}
      </div>
    </form>
  );
}

type RenterAutopayRail = NonNullable<RenterAutopay['rail']>;
