import type { Metadata } from 'next';
import { BankAccounts } from '@/components/bank-accounts/bank-accounts';
import { PageHeader } from '@/components/ui/card';

export const metadata: Metadata = { title: 'Bank accounts' };

export default function RenterBankAccountsPage() {
  return (
    <>
      <PageHeader title="Bank accounts" description="The accounts you pay rent from." />
      <BankAccounts primaryMeaning="is the one rent is paid from unless you choose another" />
    </>
  );
}
