'use client';
// The landlord dashboard's figures (dashboard.landlord, prefetched by the page): what is
// overdue, on its way and still returnable; rent due vs collected per month for the last 12
// months (New York months); recent activity on their leases; CSV exports.
import Link from 'next/link';
import { useQuery } from '@tanstack/react-query';
import { useTRPC } from '@/components/trpc/react';
import type { RouterOutputs } from '@/components/trpc/types';
import { messageOf } from '@/components/forms';
import { formatCents, formatDateTime } from '@/components/format';
import { eventLabel } from '@/components/events/timeline';
import { leasePath } from '@/components/leases/lease-routes';
import { paymentPath } from '@/components/payments/payment-routes';
import { StatusBadge } from '@/components/ui/badge';
import { ButtonLink, buttonClass } from '@/components/ui/button';
import { Card, CardBody, CardHeader } from '@/components/ui/card';
import { EmptyState, ErrorState, LoadingRows } from '@/components/ui/states';
import { CollectionChart } from './collection-chart';
import { exportPaths } from './export-paths';
import { Figures } from './figures';

type Dashboard = RouterOutputs['dashboard']['landlord'];
type Activity = Dashboard['recentActivity'][number];

export function LandlordOverview() {
  const trpc = useTRPC();
  const dashboard = useQuery(trpc.dashboard.landlord.queryOptions());
  if (dashboard.isPending) return <LoadingRows rows={6} label="Loading your dashboard" />;
  if (dashboard.isError) return <ErrorState message={messageOf(dashboard.error)} onRetry={() => void dashboard.refetch()} />;
  const data = dashboard.data;
  if (data.isNew) {
    return (
      <EmptyState
        title="Nothing to show yet"
        description="Add a payout account and a property, then offer a lease: rent due and collected, payments on their way and recent activity will show here."
        action={
          <div className="flex flex-wrap justify-center gap-2">
            <ButtonLink href="/landlord/bank-accounts" variant="secondary">
              Add payout account
            </ButtonLink>
            <ButtonLink href="/landlord/properties/new">Add property</ButtonLink>
          </div>
        }
      />
    );
  }
  const { totals } = data;
  return (
    <div className="space-y-6">
      <Figures
        label="Totals across your leases"
        testId="landlord-totals"
        figures={[
          { label: 'Overdue', cents: totals.overdueCents, hint: 'Past its due date, not paid', tone: 'warn' },
          { label: 'In flight', cents: totals.inFlightCents, hint: 'Sent by renters, not settled yet' },
          { label: 'Returnable', cents: totals.returnableCents, hint: 'Settled ACH the bank may still return' },
          { label: 'Collected (final)', cents: totals.collectedCents, hint: 'Settled and final' },
        ]}
      />
      <Card>
        <CardHeader title="Collected vs due" description="Rent falling due and rent collected in each of the last 12 calendar months, New York time (ET). A payment the bank returned is not collected." />
        <CardBody>
          <CollectionChart months={data.months} />
        </CardBody>
      </Card>
      <div className="grid gap-6 lg:grid-cols-2">
        <Card>
          <CardHeader title="Recent activity" description="The latest on your leases and the payments on them." />
          <CardBody>
            <RecentActivity items={data.recentActivity} />
          </CardBody>
        </Card>
        <Card>
          <CardHeader title="Exports" description="Spreadsheet-ready CSV files." />
          <CardBody className="space-y-4">
            <a href={exportPaths.payments} className={buttonClass('secondary', 'sm')} download>
              Payments (CSV)
            </a>
            {data.leases.length > 0 ? (
              <ul className="divide-y divide-slate-100" aria-label="Ledger exports">
                {data.leases.map((lease) => (
                  <li key={lease.id} className="flex flex-wrap items-center justify-between gap-2 py-2">
                    <span className="text-sm">
                      <Link href={leasePath('LANDLORD', lease.id)} className="font-medium text-slate-900 hover:underline">
                        {lease.propertyName}
                      </Link>{' '}
                      <span className="text-slate-500">· {lease.counterparty}</span> <StatusBadge status={lease.status} />
                    </span>
                    <a href={exportPaths.ledger(lease.id)} className="text-sm font-medium text-brand-700 hover:underline" download aria-label={`Ledger of ${lease.propertyName} (CSV)`}>
                      Ledger (CSV)
                    </a>
                  </li>
                ))}
              </ul>
            ) : (
              <p className="text-sm text-slate-500">A lease has a ledger to export once its renter accepts it.</p>
            )}
          </CardBody>
        </Card>
      </div>
    </div>
  );
}

const ROLE_WORDS: Record<string, string> = { LANDLORD: 'you', RENTER: 'the renter', SYSTEM: 'DirectPay' };

function activityHref(item: Activity): string {
  return item.paymentId ? paymentPath('LANDLORD', item.paymentId) : leasePath('LANDLORD', item.leaseId);
}

function RecentActivity({ items }: { items: Activity[] }) {
  if (items.length === 0) return <EmptyState title="No activity yet" description="Offers, acceptances and payments on your leases will show here." />;
  return (
    <ol className="divide-y divide-slate-100" aria-label="Recent activity">
      {items.map((item) => (
        <li key={item.id} className="py-2.5" data-testid="activity">
          <div className="flex flex-wrap items-center gap-x-2 gap-y-1">
            <Link href={activityHref(item)} className="font-medium text-slate-900 hover:underline">
              {eventLabel(item.type)}
            </Link>
            {item.status && <StatusBadge status={item.status} />}
          </div>
          <p className="text-sm text-slate-600">
            {item.propertyName}
            {item.installmentLabel !== null && <> · {item.installmentLabel}</>}
            {item.amountCents !== null && <> · {formatCents(item.amountCents)}</>} · by {ROLE_WORDS[item.actorRole] ?? item.actorRole.toLowerCase()} ·{' '}
            <time dateTime={new Date(item.createdAt).toISOString()}>{formatDateTime(item.createdAt)}</time>
          </p>
          {item.reason && <p className="mt-0.5 text-xs text-slate-500">“{item.reason}”</p>}
        </li>
      ))}
    </ol>
  );
}
