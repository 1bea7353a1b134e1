'use client';
// What the renter can do to their payment: cancel it while it is still PENDING (not yet
// submitted to its rail), or retry a FAILED one, with the same or another account and rail.
// Refusals (it was submitted meanwhile, a newer attempt exists, …) are shown as the server
// words them.
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { useTRPC } from '@/components/trpc/react';
import type { RouterOutputs } from '@/components/trpc/types';
import { fieldErrorsOf, messageOf } from '@/components/forms';
import { formatCents } from '@/components/format';
import { Button } from '@/components/ui/button';
import { ConfirmButton } from '@/components/ui/confirm-button';
import { Select } from '@/components/ui/field';
import { Alert, ErrorState, LoadingRows } from '@/components/ui/states';
import { attemptKey, endAttempt } from './attempt-key';
import { accountText } from './payment-format';
import { paymentPath } from './payment-routes';
import { RailPicker, type RailRow } from './rail-picker';
import { pickRetryAccount } from '@/server/domain/failure-codes';
import { paymentSplit } from '@/server/domain/rails';

type Payment = RouterOutputs['payment']['byId'];

function useInvalidatePayments() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return () =>
    Promise.all([queryClient.invalidateQueries(trpc.payment.pathFilter()), queryClient.invalidateQueries(trpc.lease.pathFilter()), queryClient.invalidateQueries(trpc.dashboard.pathFilter())]);
}

export function CancelPaymentButton({ payment }: { payment: Payment }) {
  const trpc = useTRPC();
  const invalidate = useInvalidatePayments();
  const cancel = useMutation(trpc.payment.cancel.mutationOptions({ onSettled: invalidate }));
  return (
    <div className="space-y-2">
      {cancel.error && <Alert tone="error">{messageOf(cancel.error)}</Alert>}
      <ConfirmButton
        pending={cancel.isPending}
        title="Cancel this payment?"
        consequence="Rent stays unpaid: no money moves, and the installment is due until you pay it again."
        confirmLabel="Yes, cancel payment"
        keepLabel="Keep the payment"
        onConfirm={() => cancel.mutate({ id: payment.id })}
      >
        Cancel payment
      </ConfirmButton>
    </div>
  );
}

/** The retry form of a payment the server calls `retryable` (payments.ts retryRefusal; it is the installment's latest). */
export function RetryPaymentForm({ payment }: { payment: Payment }) {
  const trpc = useTRPC();
  const accounts = useQuery(trpc.bankAccount.list.queryOptions({ active: true, limit: 100 }));
  const rails = useQuery(trpc.payment.rails.queryOptions());
  const queries = [accounts, rails];
  const failed = queries.find((query) => query.isError);
  if (failed) return <ErrorState message={messageOf(failed.error)} onRetry={() => queries.forEach((query) => void query.refetch())} />;
  if (!accounts.data || !rails.data) return <LoadingRows rows={2} label="Loading retry options" />;

  if (accounts.data.items.length === 0) {
    return (
      <Alert tone="info">
        You have no active bank account to pay from.{' '}
        <Link href="/renter/bank-accounts" className="font-semibold underline">
          Add one
        </Link>
      </Alert>
    );
  }
  return <RetryChoices payment={payment} accounts={accounts.data.items} rails={rails.data} />;
}

function RetryChoices({ payment, accounts, rails }: { payment: Payment; accounts: RouterOutputs['bankAccount']['list']['items']; rails: RailRow[] }) {
  const trpc = useTRPC();
  const router = useRouter();
  const invalidate = useInvalidatePayments();
  // After a failure about the account (insufficient funds, closed, …) another active one is preselected, and why is said.
  const choice = pickRetryAccount({ fromAccountId: payment.fromAccount.id, fromLast4: payment.fromAccount.last4, failureCode: payment.failureCode }, accounts);
  const [accountId, setAccountId] = useState(choice.accountId ?? accounts[0]!.id);
  const [railCode, setRailCode] = useState<RailRow['rail']>(payment.rail);
  const sending = useRef(false);
  const scope = `retry:${payment.id}`;
  const retry = useMutation(
    trpc.payment.retry.mutationOptions({
      onSuccess: async (next) => {
        endAttempt(scope);
        router.push(paymentPath('RENTER', next.id));
        await invalidate();
      },
    }),
  );
  const fieldErrors = fieldErrorsOf(retry.error);
  const rail = rails.find((row) => row.rail === railCode)!;
  const split = paymentSplit(payment.split.rentCents, payment.split.lateFeeCents, rail.feeCents);

  function submit() {
    if (sending.current || retry.isSuccess) return;
    sending.current = true;
    retry.mutate(
      { id: payment.id, fromAccountId: accountId, rail: railCode, idempotencyKey: attemptKey(scope) },
      {
        onSettled: () => {
          sending.current = false;
        },
      },
    );
  }

  return (
    <div className="space-y-4">
      {retry.error && <Alert tone="error">{messageOf(retry.error)}</Alert>}
      {choice.why && (
        <p className="text-sm text-slate-700" role="status" data-testid="retry-account-why">
          {choice.why}
        </p>
      )}
      <Select label="Pay from" value={accountId} onChange={(event) => setAccountId(event.target.value)} error={fieldErrors.fromAccountId}>
        {accounts.map((account) => (
          <option key={account.id} value={account.id}>
            {accountText({ nickname: account.nickname, last4: account.last4 })}
            {account.id === payment.fromAccount.id ? ` (failed last time${payment.failureText ? `: ${payment.failureText}` : ''})` : account.isPrimary ? ' (primary)' : ''}
          </option>
        ))}
      </Select>
      <RailPicker rails={rails} amountCents={payment.amountCents} value={railCode} onChange={setRailCode} error={fieldErrors.rail?.[0]} />
      <Button onClick={submit} pending={retry.isPending} disabled={retry.isSuccess} className="w-full sm:w-auto">
        Retry payment · {formatCents(split.totalCents)}
      </Button>
    </div>
  );
}
