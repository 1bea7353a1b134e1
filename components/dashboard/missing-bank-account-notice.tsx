'use client';
// A nudge shown only while the user has no active bank account: landlords cannot offer a
// lease without a payout account, renters cannot pay rent without an account to pay from.
import Link from 'next/link';
import { useQuery } from '@tanstack/react-query';
import { useTRPC } from '@/components/trpc/react';
import { Alert } from '@/components/ui/states';

export function MissingBankAccountNotice({ href, children }: { href: string; children: React.ReactNode }) {
  const trpc = useTRPC();
  const accounts = useQuery(trpc.bankAccount.list.queryOptions({ active: true, limit: 1 }));
  if (!accounts.isSuccess || accounts.data.items.length > 0) return null;
  return (
    <Alert tone="info">
      {children}{' '}
      <Link href={href} className="font-semibold underline">
        Add a bank account
      </Link>
    </Alert>
  );
}
