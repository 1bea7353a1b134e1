'use client';
// The renter dashboard's "Rent due": for each active lease, the next installment still to
// pay (due or failed), with a "Pay rent" button, or a link to the payment already on its way.
import Link from 'next/link';
import { useQueries, useQuery } from '@tanstack/react-query';
import { useTRPC } from '@/components/trpc/react';
import { messageOf } from '@/components/forms';
import { formatCents, formatDate } from '@/components/format';
import { leasePath } from '@/components/leases/lease-routes';
import { StatusBadge } from '@/components/ui/badge';
import { ButtonLink } from '@/components/ui/button';
import { Card, CardBody, CardHeader } from '@/components/ui/card';
import { EmptyState, ErrorState, LoadingRows } from '@/components/ui/states';
import { canPay, useLatestPayments } from './installment-payments';
import { payRentPath, paymentListPath, paymentPath } from './payment-routes';

/** Leases shown on the card; the leases page lists the rest. */
const LEASES_SHOWN = 10;

export function RentDueCard() {
  const trpc = useTRPC();
  const leases = useQuery(trpc.lease.list.queryOptions({ status: 'ACTIVE', limit: LEASES_SHOWN }));
  const details = useQueries({ queries: (leases.data?.items ?? []).map((lease) => trpc.lease.byId.queryOptions({ id: lease.id })) });
  // Payments on their way are recent, so the latest page finds every one of them.
  const latest = useLatestPayments({ limit: 50 });
  const recent = useQuery(trpc.payment.list.queryOptions({ limit: 50 }));

  const failed = [leases, recent, ...details].find((query) => query.isError);
  let body: React.ReactNode;
  if (failed) {
    body = <ErrorState message={messageOf(failed.error)} onRetry={() => [leases, recent, ...details].forEach((query) => void query.refetch())} />;
  } else if (!leases.data || !recent.data || details.some((query) => !query.data)) {
    body = <LoadingRows rows={2} label="Loading rent due" />;
  } else {
    const due = details.flatMap((query) => {
      const lease = query.data!;
      const next = lease.installments.find((installment) => installment.status === 'DUE' || installment.status === 'FAILED');
      return next ? [{ lease, installment: next, latest: latest.get(next.id) }] : [];
    });
    body =
      due.length === 0 ? (
        <EmptyState title="Nothing to pay right now" description="When an active lease has rent due, it shows here with a button to pay it." />
      ) : (
        <ul className="divide-y divide-slate-100" aria-label="Rent due">
          {due.map(({ lease, installment, latest: payment }) => (
            <li key={installment.id} className="flex flex-wrap items-center justify-between gap-3 py-3" data-testid="rent-due">
              <div>
                <Link href={leasePath('RENTER', lease.id)} className="font-medium text-slate-900 hover:underline">
                  {lease.property.name}
                </Link>
                <p className="text-sm text-slate-600">
                  Installment {installment.number} · due {formatDate(installment.dueDate)} · <span className="font-medium text-slate-900">{formatCents(installment.amountCents)}</span>{' '}
                  <StatusBadge status={installment.status} />
                </p>
              </div>
              {canPay(lease.status, installment, payment) ? (
                <ButtonLink href={payRentPath(lease.id, installment.id)}>Pay rent</ButtonLink>
              ) : payment ? (
                <Link href={paymentPath('RENTER', payment.id)} className="inline-flex items-center gap-2 text-sm font-medium text-brand-700 hover:underline">
                  Payment on its way <StatusBadge status={payment.status} />
                </Link>
              ) : null}
            </li>
          ))}
        </ul>
      );
  }

  return (
    <Card>
      <CardHeader
        title="Rent due"
        description="The next installment of each active lease."
        actions={
          <ButtonLink href={paymentListPath('RENTER')} variant="ghost" size="sm">
            Payment history →
          </ButtonLink>
        }
      />
      <CardBody>{body}</CardBody>
    </Card>
  );
}
