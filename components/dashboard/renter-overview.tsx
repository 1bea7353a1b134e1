'use client';
// The renter dashboard's figures (dashboard.renter, prefetched by the page): what they owe,
// and per lease its balance, the next installment with its Pay button (whether it can be paid
// is decided on the server), and its statement (printable page and CSV). Polls while a
// payment is on its way, so the figures follow it.
import Link from 'next/link';
import { useQuery } from '@tanstack/react-query';
import { useTRPC } from '@/components/trpc/react';
import type { RouterOutputs } from '@/components/trpc/types';
import { messageOf } from '@/components/forms';
import { balanceWords, formatCents, formatDate } from '@/components/format';
import { leasePath } from '@/components/leases/lease-routes';
import { PayoffQuoteLine } from '@/components/leases/payoff-card';
import { payRentPath, paymentPath } from '@/components/payments/payment-routes';
import { StatusBadge } from '@/components/ui/badge';
import { ButtonLink } from '@/components/ui/button';
import { Card, CardBody, CardHeader } from '@/components/ui/card';
import { EmptyState, ErrorState, LoadingRows } from '@/components/ui/states';
import { statementPaths } from './export-paths';
import { Figures } from './figures';

type RenterLease = RouterOutputs['dashboard']['renter']['leases'][number];

export function RenterOverview() {
  const trpc = useTRPC();
  const dashboard = useQuery(
    trpc.dashboard.renter.queryOptions(undefined, { refetchInterval: (query) => (query.state.data?.leases.some((lease) => lease.nextInstallment?.paymentInFlight) ? 2000 : false) }),
  );
  if (dashboard.isPending) return <LoadingRows rows={4} label="Loading your dashboard" />;
  if (dashboard.isError) return <ErrorState message={messageOf(dashboard.error)} onRetry={() => void dashboard.refetch()} />;
  const { balances, leases } = dashboard.data;
  return (
    <div className="space-y-6">
      <Figures
        label="Your balance"
        testId="renter-balance"
        figures={[
          { label: 'You owe now', cents: balances.dueCents, hint: 'Rent and fees fallen due, not paid' },
          { label: 'Overdue', cents: balances.overdueCents, hint: 'Past its due date', tone: 'warn' },
          { label: 'On its way', cents: balances.inFlightCents, hint: 'Sent, not settled yet' },
        ]}
      />
      <Card>
        <CardHeader title="Your leases" description="Each lease's balance, the next rent to pay, and its statement." />
        <CardBody>
          {leases.length === 0 ? (
            <EmptyState title="No leases yet" description="When a landlord offers you a lease, it appears above to review and accept; once accepted, its rent and statement show here." />
          ) : (
            <ul className="divide-y divide-slate-100" aria-label="Your leases">
              {leases.map((lease) => (
                <LeaseRow key={lease.id} lease={lease} />
              ))}
            </ul>
          )}
        </CardBody>
      </Card>
    </div>
  );
}

function LeaseRow({ lease }: { lease: RenterLease }) {
  const next = lease.nextInstallment;
  const balance = balanceWords(lease.balanceCents);
  return (
    <li className="space-y-3 py-4" data-testid="renter-lease">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div>
          <Link href={leasePath('RENTER', lease.id)} className="font-medium text-slate-900 hover:underline">
            {lease.propertyName}
          </Link>{' '}
          <StatusBadge status={lease.status} />
          <p className="text-sm text-slate-600">
            {formatCents(lease.monthlyRentCents)} a month · landlord {lease.landlordName}
          </p>
        </div>
        <div className="text-right">
          <p className="text-xs font-medium uppercase tracking-wide text-slate-500">{balance.label}</p>
          <p className="text-lg font-semibold tabular-nums text-slate-900" data-testid="lease-balance">
            {balance.amount}
          </p>
          {balance.label === 'Credit' && <p className="text-xs text-slate-500">paid ahead</p>}
        </div>
      </div>
      {next ? (
        <div className="flex flex-wrap items-center justify-between gap-3 rounded-md bg-slate-50 px-3 py-2" data-testid="rent-due">
          <p className="text-sm text-slate-700">
            <span className="sr-only">{lease.propertyName}: </span>
            Next: {next.label} · due {formatDate(next.dueDate)} · <span className="font-medium text-slate-900">{formatCents(next.amountCents)}</span>{' '}
            <StatusBadge status={next.state} />
            {next.lastFailure && <span className="block text-xs text-red-700">Last payment failed: {next.lastFailure}</span>}
          </p>
          {next.canPay ? (
            <ButtonLink href={payRentPath(lease.id, next.id)} size="sm">
              Pay next
            </ButtonLink>
          ) : next.paymentInFlight ? (
            <Link href={paymentPath('RENTER', next.paymentInFlight.id)} className="inline-flex items-center gap-2 text-sm font-medium text-brand-700 hover:underline">
              Payment on its way <StatusBadge status={next.paymentInFlight.status} />
            </Link>
          ) : null}
        </div>
      ) : (
        <p className="text-sm text-slate-600">Nothing left to pay on this lease.</p>
      )}
      {lease.status === 'ACTIVE' && <PayoffQuoteLine leaseId={lease.id} href={leasePath('RENTER', lease.id)} />}
      <p className="flex flex-wrap gap-x-4 gap-y-1 text-sm">
        <Link href={statementPaths.page(lease.id)} className="font-medium text-brand-700 hover:underline">
          Statement (printable)
        </Link>
        <a href={statementPaths.csv(lease.id)} className="font-medium text-brand-700 hover:underline" download aria-label={`Statement of ${lease.propertyName} (CSV)`}>
          Statement (CSV)
        </a>
      </p>
    </li>
  );
}
