'use client';
// A user's bank accounts (either role): add one, choose the primary, deactivate and
// reactivate. The account number goes to the server once and is only ever shown back as its
// last 4 digits. Refusals (the primary can't be deactivated while others are active, a payout
// account of a running lease can't be deactivated, …) are shown as the server words them.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTRPC, useTRPCClient } from '@/components/trpc/react';
import { useCursorPages } from '@/components/trpc/use-cursor-pages';
import type { RouterOutputs } from '@/components/trpc/types';
import { formErrors, messageOf, zodFieldErrors, type FieldErrors } from '@/components/forms';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { ConfirmButton } from '@/components/ui/confirm-button';
import { Card, CardBody, CardHeader } from '@/components/ui/card';
import { Input, Select } from '@/components/ui/field';
import { LoadMore } from '@/components/ui/load-more';
import { Alert, EmptyState, ErrorState, LoadingRows } from '@/components/ui/states';
import { createBankAccountInput } from '@/server/api/schemas/bank-account';
import { maskedNumber } from './masked-number';
import { BANK_ACCOUNT_LIST_INPUT } from './bank-account-queries';

type BankAccount = RouterOutputs['bankAccount']['list']['items'][number];

const LIST_INPUT = BANK_ACCOUNT_LIST_INPUT;

/** How notices name an account: “Everyday” (••••0000). */
const quotedName = (account: { nickname: string; last4: string }) => `“${account.nickname}” (${maskedNumber(account.last4)})`;

export function BankAccounts({ primaryMeaning }: { primaryMeaning: string }) {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const queryClient = useQueryClient();
  const accounts = useCursorPages(trpc.bankAccount.list.infiniteQueryKey(LIST_INPUT), (cursor) => client.bankAccount.list.query({ ...LIST_INPUT, cursor }));
  const invalidate = () => queryClient.invalidateQueries(trpc.bankAccount.pathFilter());
  const [notice, setNotice] = useState<{ tone: 'success' | 'error'; text: string } | null>(null);

  const onDone = (text: string) => async () => {
    setNotice({ tone: 'success', text });
    await invalidate();
  };
  const onRefused = (error: unknown) => setNotice({ tone: 'error', text: messageOf(error) });
  const setPrimary = useMutation(trpc.bankAccount.setPrimary.mutationOptions({ onError: onRefused }));
  const deactivate = useMutation(trpc.bankAccount.deactivate.mutationOptions({ onError: onRefused }));
  const activate = useMutation(trpc.bankAccount.activate.mutationOptions({ onError: onRefused }));
  const busy = setPrimary.isPending || deactivate.isPending || activate.isPending;

  function act(account: BankAccount, action: 'setPrimary' | 'deactivate' | 'activate') {
    setNotice(null);
    const name = quotedName(account);
    if (action === 'setPrimary') setPrimary.mutate({ id: account.id }, { onSuccess: onDone(`${name} is now your primary account.`) });
    if (action === 'deactivate') deactivate.mutate({ id: account.id }, { onSuccess: onDone(`${name} is deactivated.`) });
    if (action === 'activate') activate.mutate({ id: account.id }, { onSuccess: onDone(`${name} is active again.`) });
  }
  const pendingOn = (account: BankAccount, mutation: { isPending: boolean; variables?: { id: string } }) => mutation.isPending && mutation.variables?.id === account.id;

  return (
    <div className="grid grid-cols-1 gap-6 lg:grid-cols-[minmax(0,3fr)_minmax(0,2fr)]">
      <Card className="self-start">
        <CardHeader title="Your accounts" description={`Your primary account ${primaryMeaning}. Only the last 4 digits of each number are kept.`} />
        <CardBody className="space-y-4">
          {notice && <Alert tone={notice.tone}>{notice.text}</Alert>}
          {accounts.isPending ? (
            <LoadingRows label="Loading bank accounts" />
          ) : accounts.isError ? (
            <ErrorState message={messageOf(accounts.error)} onRetry={() => void accounts.refetch()} />
          ) : accounts.items.length === 0 ? (
            <EmptyState title="No bank accounts yet" description="Add one with the form. The first account you add becomes your primary account." />
          ) : (
            <>
              <ul aria-label="Bank accounts" className="divide-y divide-slate-100 rounded-md border border-slate-200">
                {accounts.items.map((account) => (
                  <li key={account.id} className="flex flex-wrap items-center gap-x-4 gap-y-2 px-4 py-3" data-testid="bank-account-row">
                    <div className="min-w-0 flex-1 basis-48">
                      <div className="flex flex-wrap items-center gap-2">
                        <span className="font-medium text-slate-900">{account.nickname}</span>
                        <span className="font-mono text-sm text-slate-700" data-testid="masked-number">
                          {maskedNumber(account.last4)}
                        </span>
                        {account.isPrimary && <Badge tone="blue">Primary</Badge>}
                        {account.active ? <Badge tone="green">Active</Badge> : <Badge>Inactive</Badge>}
                      </div>
                      <div className="mt-0.5 text-xs text-slate-500">
                        {account.bankName} · {account.type === 'CHECKING' ? 'Checking' : 'Savings'} · routing {account.routingNumber}
                      </div>
                      {!account.active && account.deactivatedReason && (
                        <div className="mt-0.5 text-xs text-red-700" data-testid="deactivated-reason">
                          {account.deactivatedReason}. Activate it again once your bank has fixed it.
                        </div>
                      )}
                    </div>
                    <div className="flex gap-2">
                      {account.active && !account.isPrimary && (
                        <Button size="sm" variant="secondary" disabled={busy} pending={pendingOn(account, setPrimary)} onClick={() => act(account, 'setPrimary')}>
                          Make primary
                        </Button>
                      )}
                      {account.active ? (
                        <ConfirmButton
                          size="sm"
                          variant="ghost"
                          disabled={busy}
                          pending={pendingOn(account, deactivate)}
                          title={`Deactivate ${quotedName(account)}?`}
                          consequence="It can no longer send or receive new payments. You can activate it again later."
                          confirmLabel="Yes, deactivate it"
                          keepLabel="Keep it active"
                          onConfirm={() => act(account, 'deactivate')}
                        >
                          Deactivate
                        </ConfirmButton>
                      ) : (
                        <Button size="sm" variant="secondary" disabled={busy} pending={pendingOn(account, activate)} onClick={() => act(account, 'activate')}>
                          Activate
                        </Button>
                      )}
                    </div>
                  </li>
                ))}
              </ul>
              <LoadMore pages={accounts} />
            </>
          )}
        </CardBody>
      </Card>
      <Card className="self-start">
        <CardHeader title="Add a bank account" description="US accounts only. The full account number is never shown again after you save it." />
        <CardBody>
          <AddBankAccountForm
            onAdded={async (account) => {
              setNotice({
                tone: 'success',
                text: `Added ${quotedName(account)}${account.isPrimary ? ' as your primary account' : ''}.`,
              });
              await invalidate();
            }}
          />
        </CardBody>
      </Card>
    </div>
  );
}

function AddBankAccountForm({ onAdded }: { onAdded: (account: RouterOutputs['bankAccount']['create']) => Promise<void> }) {
  const trpc = useTRPC();
  const [clientErrors, setClientErrors] = useState<FieldErrors>({});
  const create = useMutation(trpc.bankAccount.create.mutationOptions());
  const { errors, topMessage } = formErrors(create.error, clientErrors);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    const field = (name: string) => String(form.get(name) ?? '');
    const parsed = createBankAccountInput.safeParse({
      nickname: field('nickname'),
      bankName: field('bankName'),
      type: field('type'),
      routingNumber: field('routingNumber'),
      accountNumber: field('accountNumber'),
    });
    if (!parsed.success) {
      setClientErrors(zodFieldErrors(parsed.error.issues));
      return;
    }
    setClientErrors({});
    create.reset();
    create.mutate(parsed.data, {
      onSuccess: async (account) => {
        // The number leaves the page as soon as it is saved.
        formElement.reset();
        await onAdded(account);
      },
    });
  }

  return (
    <form onSubmit={onSubmit} noValidate className="space-y-4">
      {topMessage && <Alert tone="error">{topMessage}</Alert>}
      <Input label="Nickname" name="nickname" maxLength={50} placeholder="e.g. Everyday checking" error={errors.nickname} />
      <Input label="Bank name" name="bankName" maxLength={100} error={errors.bankName} />
      <Select label="Account type" name="type" defaultValue="CHECKING" error={errors.type}>
        <option value="CHECKING">Checking</option>
        <option value="SAVINGS">Savings</option>
      </Select>
      <Input label="Routing number" name="routingNumber" inputMode="numeric" autoComplete="off" maxLength={9} error={errors.routingNumber} hint="9 digits, printed at the bottom left of a check." />
      <Input label="Account number" name="accountNumber" inputMode="numeric" autoComplete="off" maxLength={17} error={errors.accountNumber} hint="4 to 17 digits." />
      <Button type="submit" pending={create.isPending} className="w-full sm:w-auto">
        Add account
      </Button>
    </form>
  );
}
