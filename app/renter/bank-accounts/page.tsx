import type { Metadata } from 'next';
import { BankAccounts } from '@/components/bank-accounts/bank-accounts';
import { BANK_ACCOUNT_LIST_INPUT } from '@/components/bank-accounts/bank-account-queries';
import { HydrateClient } from '@/components/trpc/hydrate';
import { PageHeader } from '@/components/ui/card';
import { prefetchFirstPage, trpcServer } from '@/server/api/caller';

export const metadata: Metadata = { title: 'Bank accounts' };

export default async function RenterBankAccountsPage() {
  await prefetchFirstPage(trpcServer.bankAccount.list.infiniteQueryKey(BANK_ACCOUNT_LIST_INPUT), trpcServer.bankAccount.list.queryOptions(BANK_ACCOUNT_LIST_INPUT));
  return (
    <>
      <PageHeader title="Bank accounts" description="The accounts you pay rent from." />
      <HydrateClient>
        <BankAccounts primaryMeaning="is the one rent is paid from unless you choose another" />
      </HydrateClient>
    </>
  );
}
