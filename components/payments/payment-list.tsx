'use client';
// A party's payments, newest first: the renter's own, or those paid to the landlord. Filters
// (status, rail, lease, installment) live in the URL so a filtered list can be linked and
// survives a reload; "load more" follows the cursor.
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useQuery } from '@tanstack/react-query';
import { useTRPC, useTRPCClient } from '@/components/trpc/react';
import { useCursorPages } from '@/components/trpc/use-cursor-pages';
import { messageOf } from '@/components/forms';
import { formatCents, formatDate, formatDateTime, statusLabel } from '@/components/format';
import type { Viewer } from '@/components/leases/lease-routes';
import { StatusBadge } from '@/components/ui/badge';
import { Select } from '@/components/ui/field';
import { LoadMore } from '@/components/ui/load-more';
import { EmptyState, ErrorState, LoadingRows } from '@/components/ui/states';
import { Table, TBody, Td, Th, THead } from '@/components/ui/table';
import { PAYMENT_STATUSES } from '@/server/api/schemas/payment';
import { FILTER_LEASES_INPUT, paymentListInput } from './payment-queries';
import { paymentListPath, paymentPath, type PaymentFilters } from './payment-routes';
import { paysText } from './payment-format';

export function PaymentFilterBar({ viewer, filters }: { viewer: Viewer; filters: PaymentFilters }) {
  const trpc = useTRPC();
  const router = useRouter();
  const rails = useQuery(trpc.payment.rails.queryOptions());
  const leases = useQuery(trpc.lease.list.queryOptions(FILTER_LEASES_INPUT));
  // A new filter starts from the first page and drops the installment (it belongs to one lease).
  const change = (next: PaymentFilters) => router.replace(paymentListPath(viewer, { ...filters, installmentId: undefined, ...next }));
  const value = (name: keyof PaymentFilters) => (event: React.ChangeEvent<HTMLSelectElement>) => change({ [name]: event.target.value || undefined });

  return (
    <div className="grid gap-3 sm:grid-cols-3" role="search" aria-label="Filter payments">
      <Select label="Status" value={filters.status ?? ''} onChange={value('status')}>
        <option value="">All statuses</option>
        {PAYMENT_STATUSES.map((status) => (
          <option key={status} value={status}>
            {statusLabel(status)}
          </option>
        ))}
      </Select>
      <Select label="Rail" value={filters.rail ?? ''} onChange={value('rail')}>
        <option value="">All rails</option>
        {rails.data?.map((rail) => (
          <option key={rail.rail} value={rail.rail}>
            {rail.name}
          </option>
        ))}
      </Select>
      <Select label="Lease" value={filters.leaseId ?? ''} onChange={value('leaseId')} disabled={!leases.data}>
        <option value="">All leases</option>
        {leases.data?.items.map((lease) => (
          <option key={lease.id} value={lease.id}>
            {lease.property.name} · from {formatDate(lease.startDate)}
          </option>
        ))}
      </Select>
    </div>
  );
}

export function PaymentList({ viewer, filters, limit = 20 }: { viewer: Viewer; filters: PaymentFilters; limit?: number }) {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const input = paymentListInput(filters, limit);
  const payments = useCursorPages(trpc.payment.list.infiniteQueryKey(input), (cursor) => client.payment.list.query({ ...input, cursor }));
  const filtered = Object.keys(input).length > 1;

  if (payments.isPending) return <LoadingRows label="Loading payments" />;
  if (payments.isError) return <ErrorState message={messageOf(payments.error)} onRetry={() => void payments.refetch()} />;
  if (payments.items.length === 0) {
    return (
      <EmptyState
        title={filtered ? 'No payments match these filters' : 'No payments yet'}
        description={
          filtered
            ? 'Choose other filters to see the rest.'
            : viewer === 'RENTER'
              ? 'Pay rent from an active lease’s schedule or your dashboard; your payments appear here.'
              : 'Rent your renters pay appears here as it arrives.'
        }
        action={
          filtered ? (
            <Link href={paymentListPath(viewer)} className="text-sm font-medium text-brand-700 hover:underline">
              Clear filters
            </Link>
          ) : undefined
        }
      />
    );
  }
  return (
    <div className="space-y-3">
      <Table aria-label="Payments">
        <THead>
          <tr>
            <Th>Date</Th>
            <Th>Lease</Th>
            <Th>{viewer === 'RENTER' ? 'To' : 'From'}</Th>
            <Th>Rail</Th>
            <Th className="text-right">{viewer === 'RENTER' ? 'Total' : 'Amount'}</Th>
            <Th>Status</Th>
          </tr>
        </THead>
        <TBody>
          {payments.items.map((payment) => (
            <tr key={payment.id} className="hover:bg-slate-50" data-testid="payment-row">
              <Td label="Date">
                <Link href={paymentPath(viewer, payment.id)} className="font-medium text-brand-700 hover:underline">
                  {formatDateTime(payment.createdAt)}
                </Link>
              </Td>
              <Td label="Lease" wrap className="min-w-[12rem]">
                <div className="text-slate-900">{payment.lease.property.name}</div>
                <div className="text-xs text-slate-500">
                  {payment.kind === 'PAYOFF' ? (
                    <span className="first-letter:uppercase">{paysText(payment)}</span>
                  ) : (
                    <>
                      {payment.installment.label} · due {formatDate(payment.installment.dueDate)}
                    </>
                  )}
                  {payment.attempt > 1 && ` · attempt ${payment.attempt}`}
                </div>
              </Td>
              <Td label={viewer === 'RENTER' ? 'To' : 'From'} wrap className="min-w-[8rem]">{viewer === 'RENTER' ? payment.landlord.name : payment.renter.name}</Td>
              <Td label="Rail">{payment.railName}</Td>
              <Td label={viewer === 'RENTER' ? 'Total' : 'Amount'} className="text-right tabular-nums font-medium text-slate-900">{formatCents(viewer === 'RENTER' ? payment.totalCents : payment.amountCents)}</Td>
              <Td label="Status" wrap className="min-w-[7rem]">
                <StatusBadge status={payment.status} />
                {payment.failureText && <span className="ml-2 text-xs text-red-700">{payment.failureText}</span>}
                {payment.returnable && <span className="ml-2 text-xs text-amber-700">returnable</span>}
              </Td>
            </tr>
          ))}
        </TBody>
      </Table>
      <LoadMore pages={payments} />
    </div>
  );
}
