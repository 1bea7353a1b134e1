'use client';
// Payments beside a lease's schedule: for each installment its latest payment (live while it
// travels) and a link to all its attempts, and for the renter one "Pay next" action on the
// earliest installment the server says can be paid (lease.byId payNextInstallmentId).
import Link from 'next/link';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { useTRPC } from '@/components/trpc/react';
import type { RouterInputs, RouterOutputs } from '@/components/trpc/types';
import type { Viewer } from '@/components/leases/lease-routes';
import { ScheduleTable, type ScheduleRow } from '@/components/leases/schedule-table';
import { leaseDetailInputs } from '@/components/leases/lease-queries';
import { StatusBadge } from '@/components/ui/badge';
import { ButtonLink } from '@/components/ui/button';
import { isInFlight, payRentPath, paymentListPath, paymentPath } from './payment-routes';

type Payment = RouterOutputs['payment']['list']['items'][number];

export interface PayableInstallment {
  id: string;
}

interface ScheduleLease {
  id: string;
  status: string;
  /** The earliest installment the renter can pay now, decided on the server (installment-state.ts payNext). */
  payNextInstallmentId: string | null;
}

/**
 * The latest payment of each installment among one page of payments (they come newest
 * first), polled while any is on its way. When one lands, the leases are fetched again: their
 * installments just became PAID or FAILED. For a lease, one page of 100 covers every
 * installment of a 60-month lease with room for retries; an installment whose payments fall
 * beyond it still shows its own status and the link to its payments.
 */
export function useLatestPayments(input: RouterInputs['payment']['list']): Map<string, Payment> {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const payments = useQuery(
    trpc.payment.list.queryOptions(input, { refetchInterval: (query) => (query.state.data?.items.some((payment) => isInFlight(payment.status)) ? 2000 : false) }),
  );
  const inFlight = useRef(new Set<string>());
  const items = payments.data?.items;
  useEffect(() => {
    if (!items) return;
    const now = new Set(items.filter((payment) => isInFlight(payment.status)).map((payment) => payment.id));
    const landed = [...inFlight.current].some((id) => !now.has(id));
    inFlight.current = now;
    if (landed) void queryClient.invalidateQueries(trpc.lease.pathFilter());
  }, [items, queryClient, trpc]);
  const latest = new Map<string, Payment>();
  // An early payoff is the latest payment of every installment it covers.
  for (const payment of items ?? []) {
    const covered = payment.payoffInstallments.length ? payment.payoffInstallments.map((part) => part.installmentId) : [payment.installment.id];
    for (const installmentId of covered) if (!latest.has(installmentId)) latest.set(installmentId, payment);
  }
  return latest;
}

/**
 * A lease's schedule with each installment's payment beside it. A lease that never took
 * payments (pending or cancelled) shows the plain schedule.
 */
export function ScheduleWithPayments<T extends ScheduleRow & PayableInstallment>({ lease, viewer, rows }: { lease: ScheduleLease; viewer: Viewer; rows: T[] }) {
  if (lease.status === 'PENDING' || lease.status === 'CANCELLED') return <ScheduleTable rows={rows} />;
  return <PaidSchedule lease={lease} viewer={viewer} rows={rows} />;
}

function PaidSchedule<T extends ScheduleRow & PayableInstallment>({ lease, viewer, rows }: { lease: ScheduleLease; viewer: Viewer; rows: T[] }) {
  const latest = useLatestPayments(leaseDetailInputs(lease.id, null).payments);
  return (
    <ScheduleTable
      rows={rows}
      extraColumn={{
        header: 'Payment',
        cell: (installment) => <InstallmentPaymentCell lease={lease} installment={installment} latest={latest.get(installment.id)} viewer={viewer} />,
      }}
    />
  );
}

function InstallmentPaymentCell({ lease, installment, latest, viewer }: { lease: ScheduleLease; installment: PayableInstallment; latest: Payment | undefined; viewer: Viewer }) {
  return (
    <div className="flex flex-wrap items-center gap-2">
      {viewer === 'RENTER' && installment.id === lease.payNextInstallmentId && (
        <ButtonLink href={payRentPath(lease.id, installment.id)} size="sm">
          Pay next
        </ButtonLink>
      )}
      {latest && (
        <Link href={paymentPath(viewer, latest.id)} className="inline-flex items-center gap-1 text-sm text-brand-700 hover:underline">
          {/* Named by what it shows, after a hidden prefix (a name that hid the visible words failed WCAG 2.5.3). */}
          <span className="sr-only">Latest payment: </span>
          <StatusBadge status={latest.status} />
          {latest.railName}
          {latest.kind === 'PAYOFF' && ' · early payoff'}
        </Link>
      )}
      {latest && (
        <Link href={paymentListPath(viewer, { leaseId: lease.id, installmentId: installment.id })} className="text-xs text-slate-500 hover:underline">
          {latest.attempt > 1 ? `${latest.attempt} attempts` : 'all payments'}
        </Link>
      )}
      {!latest && viewer === 'LANDLORD' && <span className="text-xs text-slate-600">No payment yet</span>}
    </div>
  );
}
