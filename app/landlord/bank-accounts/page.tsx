import type { Metadata } from 'next';
import { BankAccounts } from '@/components/bank-accounts/bank-accounts';
import { BANK_ACCOUNT_LIST_INPUT } from '@/components/bank-accounts/bank-account-queries';
import { HydrateClient } from '@/components/trpc/hydrate';
import { PageHeader } from '@/components/ui/card';
import { prefetchFirstPage, trpcServer } from '@/server/api/caller';

export const metadata: Metadata = { title: 'Bank accounts' };

export default async function LandlordBankAccountsPage() {
  await prefetchFirstPage(trpcServer.bankAccount.list.infiniteQueryKey(BANK_ACCOUNT_LIST_INPUT), trpcServer.bankAccount.list.queryOptions(BANK_ACCOUNT_LIST_INPUT));
  return (
    <>
      <PageHeader title="Bank accounts" description="Rent is paid into the payout account you choose for each lease. You need one before you can create a lease." />
      <HydrateClient>
        <BankAccounts primaryMeaning="is offered first as the payout account of new leases" />
      </HydrateClient>
    </>
  );
}
