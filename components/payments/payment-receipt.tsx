'use client';
// A printable receipt of one payment, for either party. The header, navigation and buttons
// are hidden in print (print:hidden), so the printout is the receipt alone.
import Link from 'next/link';
import { useQuery } from '@tanstack/react-query';
import { useTRPC } from '@/components/trpc/react';
import { messageOf } from '@/components/forms';
import { formatCents, formatDate, formatDateTime } from '@/components/format';
import { addressText } from '@/components/leases/lease-format';
import type { Viewer } from '@/components/leases/lease-routes';
import { StatusBadge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Alert, ErrorState, LoadingRows } from '@/components/ui/states';
import { accountText, paysText, returnText } from './payment-format';
import { paymentPath } from './payment-routes';

export function PaymentReceipt({ id, viewer }: { id: string; viewer: Viewer }) {
  const trpc = useTRPC();
  const payment = useQuery(trpc.payment.byId.queryOptions({ id }));
  if (payment.isPending) return <LoadingRows rows={6} label="Loading receipt" />;
  if (payment.isError) return <ErrorState message={messageOf(payment.error)} onRetry={() => void payment.refetch()} />;
  const data = payment.data;
  const paid = data.status === 'COMPLETED';

  const lines: [string, React.ReactNode][] = [
    ['Paid by', `${data.renter.name} · ${accountText(data.fromAccount)}`],
    ['Paid to', `${data.landlord.name} · ${accountText(data.toAccount)}`],
    ['Property', `${data.lease.property.name}, ${addressText(data.lease.property)}`],
    ['For', data.kind === 'PAYOFF' ? `Rent: ${paysText(data)} (discount ${formatCents(data.discountCents)})` : `${data.installment.label}, due ${formatDate(data.installment.dueDate)}`],
    ['Rail', data.railName],
    ['Initiated', formatDateTime(data.createdAt)],
    [paid ? 'Settled' : 'Status since', data.settledAt ? formatDateTime(data.settledAt) : formatDateTime(data.updatedAt)],
    ['Returns', returnText(data)],
    ['Attempt', String(data.attempt)],
  ];

  return (
    <div className="mx-auto max-w-2xl space-y-4">
      <div className="flex flex-wrap items-center justify-between gap-2 print:hidden">
        <Link href={paymentPath(viewer, data.id)} className="text-sm font-medium text-brand-700 hover:underline">
          ← Back to the payment
        </Link>
        <Button onClick={() => window.print()}>Print</Button>
      </div>
      {!paid && (
        <Alert tone={data.status === 'FAILED' || data.status === 'CANCELLED' || data.status === 'RETURNED' ? 'error' : 'info'}>
          {data.status === 'FAILED' || data.status === 'CANCELLED'
            ? `This payment is ${data.status.toLowerCase()}: no money moved. This page is a record of the attempt, not a receipt of payment.`
            : data.status === 'RETURNED'
              ? `This payment was returned by the sending bank (${data.failureText ?? 'return'}): the money went back. This page is a record of the attempt, not a receipt of payment.`
              : `This payment is still ${data.status.toLowerCase()}. The receipt is final once it settles.`}
        </Alert>
      )}
      <article className="rounded-lg border border-slate-200 bg-white p-6 shadow-sm print:border-0 print:p-0 print:shadow-none" aria-label="Receipt">
        <header className="flex flex-wrap items-start justify-between gap-4 border-b border-slate-200 pb-4">
          <div>
            <p className="text-lg font-bold tracking-tight text-brand-700">DirectPay</p>
            <h1 className="text-xl font-semibold text-slate-900">{paid ? 'Rent payment receipt' : 'Rent payment record'}</h1>
            <p className="mt-1 break-all font-mono text-xs text-slate-500">Payment {data.id}</p>
          </div>
          <StatusBadge status={data.status} className="text-sm" />
        </header>
        <dl className="divide-y divide-slate-100 py-2 text-sm">
          {lines.map(([label, value]) => (
            <div key={label} className="grid grid-cols-[minmax(0,1fr)_minmax(0,2fr)] gap-3 py-2">
              <dt className="text-slate-500">{label}</dt>
              <dd className="text-slate-800">{value}</dd>
            </div>
          ))}
        </dl>
        <table className="mt-2 w-full text-sm" aria-label="Amounts">
          <tbody className="divide-y divide-slate-100">
            <tr>
              <td className="py-2 text-slate-600">Rent</td>
              <td className="py-2 text-right tabular-nums">{formatCents(data.split.rentCents)}</td>
            </tr>
            {data.split.lateFeeCents > 0 && (
              <tr>
                <td className="py-2 text-slate-600">Late fee</td>
                <td className="py-2 text-right tabular-nums">{formatCents(data.split.lateFeeCents)}</td>
              </tr>
            )}
            <tr>
              <td className="py-2 text-slate-600">{data.railName} fee (paid by the renter)</td>
              <td className="py-2 text-right tabular-nums">{formatCents(data.split.feeCents)}</td>
            </tr>
            <tr className="border-t-2 border-slate-300">
              <td className="py-2 font-semibold text-slate-900">Total charged to the renter</td>
              <td className="py-2 text-right text-base font-semibold tabular-nums text-slate-900" data-testid="receipt-total">
                {formatCents(data.split.totalCents)}
              </td>
            </tr>
            <tr>
              <td className="py-2 text-slate-600">Received by {data.landlord.name}</td>
              <td className="py-2 text-right tabular-nums" data-testid="receipt-landlord-receives">
                {formatCents(data.split.landlordReceivesCents)}
              </td>
            </tr>
          </tbody>
        </table>
        <p className="mt-6 text-xs text-slate-500">Every change to this payment is recorded in DirectPay’s append-only history. Amounts in USD.</p>
      </article>
    </div>
  );
}
