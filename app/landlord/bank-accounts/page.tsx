import type { Metadata } from 'next';
import { BankAccounts } from '@/components/bank-accounts/bank-accounts';
import { PageHeader } from '@/components/ui/card';

export const metadata: Metadata = { title: 'Bank accounts' };

export default function LandlordBankAccountsPage() {
  return (
    <>
      <PageHeader title="Bank accounts" description="Rent is paid into the payout account you choose for each lease. You need one before you can create a lease." />
      <BankAccounts primaryMeaning="is offered first as the payout account of new leases" />
    </>
  );
}
