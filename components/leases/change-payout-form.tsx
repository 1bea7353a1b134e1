'use client';
// The landlord's payout account on their lease page: a deactivated one is flagged (renters
// cannot pay until it changes), and a pending or active lease's rent can move to another of
// their active accounts. Only payments made from then on go there (lease.changePayout).
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTRPC } from '@/components/trpc/react';
import type { RouterOutputs } from '@/components/trpc/types';
import { formErrors, messageOf } from '@/components/forms';
import { maskedNumber } from '@/components/bank-accounts/masked-number';
import { ACTIVE_ACCOUNTS_INPUT } from '@/components/bank-accounts/bank-account-queries';
import { Button } from '@/components/ui/button';
import { Card, CardBody, CardHeader } from '@/components/ui/card';
import { Select } from '@/components/ui/field';
import { Alert, ErrorState, LoadingRows } from '@/components/ui/states';

type Lease = RouterOutputs['lease']['byId'];

export function ChangePayoutForm({ lease }: { lease: Lease }) {
  const changeable = lease.status === 'PENDING' || lease.status === 'ACTIVE';
  const [open, setOpen] = useState(false);
  const [changed, setChanged] = useState<string | null>(null);
  const current = `${lease.payoutAccount.nickname} ${maskedNumber(lease.payoutAccount.last4)}`;
  if (!changeable && lease.payoutAccount.active !== false) return null;
  return (
    <Card data-testid="payout-card">
      <CardHeader title="Payout account" description={`Rent of this lease is paid to ${current}.`} />
      <CardBody className="space-y-3">
        {lease.payoutAccount.active === false && (
          <Alert tone="error">
            {current} is deactivated: {changeable ? 'the renter cannot pay this lease until you choose an active account (or activate it again).' : 'no new payment can reach it.'}
          </Alert>
        )}
        {changed && <Alert tone="success">Rent now goes to {changed}. Payments already made keep their account.</Alert>}
        {changeable &&
          (open ? (
            <PayoutChoice
              lease={lease}
              onClose={() => setOpen(false)}
              onChanged={(name) => {
                setChanged(name);
                setOpen(false);
              }}
            />
          ) : (
            <Button variant="secondary" onClick={() => setOpen(true)}>
              Change payout account…
            </Button>
          ))}
      </CardBody>
    </Card>
  );
}

function PayoutChoice({ lease, onClose, onChanged }: { lease: Lease; onClose: () => void; onChanged: (name: string) => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const accounts = useQuery(trpc.bankAccount.list.queryOptions(ACTIVE_ACCOUNTS_INPUT));
  const [chosen, setChosen] = useState('');
  const change = useMutation(
    trpc.lease.changePayout.mutationOptions({
      onSuccess: async (updated) => {
        onChanged(`${updated.payoutAccount.nickname} ${maskedNumber(updated.payoutAccount.last4)}`);
        await queryClient.invalidateQueries(trpc.lease.pathFilter());
      },
    }),
  );
  const { errors, topMessage } = formErrors(change.error, {});
  if (accounts.isPending) return <LoadingRows rows={1} label="Loading your accounts" />;
  if (accounts.isError) return <ErrorState message={messageOf(accounts.error)} onRetry={() => void accounts.refetch()} />;
  const others = accounts.data.items.filter((account) => account.id !== lease.payoutAccount.id);
  if (!others.length) {
    return (
      <Alert tone="info">
        You have no other active account. Add one under Bank accounts, then change it here.{' '}
        <button type="button" className="font-semibold underline" onClick={onClose}>
          Close
        </button>
      </Alert>
    );
  }

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    change.reset();
    change.mutate({ id: lease.id, payoutAccountId: chosen || others[0]!.id });
  }

  return (
    <form
      onSubmit={onSubmit}
      onKeyDown={(event) => {
        if (event.key === 'Escape') {
          event.preventDefault();
          onClose();
        }
      }}
      noValidate
      className="space-y-3"
      aria-label="Change payout account"
    >
      {topMessage && <Alert tone="error">{topMessage}</Alert>}
      <Select
        label="Pay this lease's rent to"
        name="payoutAccountId"
        autoFocus
        value={chosen || others[0]!.id}
        onChange={(event) => setChosen(event.target.value)}
        error={errors.payoutAccountId}
        hint="Only payments made from now on go to this account; payments already made keep theirs. The change is recorded in the lease's history."
      >
        {others.map((account) => (
          <option key={account.id} value={account.id}>
            {account.nickname} {maskedNumber(account.last4)}
          </option>
        ))}
      </Select>
      <div className="flex flex-wrap gap-2">
        <Button type="submit" pending={change.isPending}>
          Change payout account
        </Button>
        <Button variant="ghost" disabled={change.isPending} onClick={onClose}>
          Keep {lease.payoutAccount.nickname}
        </Button>
      </div>
    </form>
  );
}
