'use client';
// A lease's statement, printable: every line that changed what the renter owes (charges, late
// fees and waivers, payments sent, failed, cancelled or returned) with the running balance,
// from the lease's ledger (ledger.tenant). Settlements and rail fees move money without
// changing that balance, so they are left out here; the lease page's ledger shows them.
// Navigation and buttons are hidden in print (print:hidden), so the printout is the statement.
import Link from 'next/link';
import { useQuery } from '@tanstack/react-query';
import { useTRPC } from '@/components/trpc/react';
import { messageOf } from '@/components/forms';
import { balanceWords, formatCents, formatEastern } from '@/components/format';
import { Button } from '@/components/ui/button';
import { ErrorState, LoadingRows } from '@/components/ui/states';
import { STACKED_CELL, StackedCell } from '@/components/ui/table';
import { KIND_LABELS } from './lease-ledger';
import { leasePath } from './lease-routes';

export function LeaseStatement({ leaseId, csvHref }: { leaseId: string; csvHref: string }) {
  const trpc = useTRPC();
  const lease = useQuery(trpc.lease.byId.queryOptions({ id: leaseId }));
  const ledger = useQuery(trpc.ledger.tenant.queryOptions({ leaseId }));
  const failed = [lease, ledger].find((query) => query.isError);
  if (failed) return <ErrorState message={messageOf(failed.error)} onRetry={() => [lease, ledger].forEach((query) => void query.refetch())} />;
  if (!lease.data || !ledger.data) return <LoadingRows rows={6} label="Loading statement" />;
  const { property } = lease.data;
  const lines = ledger.data.lines.filter((line) => line.amountCents !== 0);
  const closing = ledger.data.lines.at(-1)?.balanceCents ?? 0;
  const closingWords = balanceWords(closing);
  const charges = lines.filter((line) => line.amountCents > 0).reduce((sum, line) => sum + line.amountCents, 0);
  const credits = lines.filter((line) => line.amountCents < 0).reduce((sum, line) => sum - line.amountCents, 0);
  return (
    <div className="mx-auto max-w-3xl space-y-4">
      <div className="flex flex-wrap items-center justify-between gap-2 print:hidden">
        <Link href={leasePath('RENTER', leaseId)} className="text-sm font-medium text-brand-700 hover:underline">
          ← Back to the lease
        </Link>
        <div className="flex gap-2">
          <a href={csvHref} className="inline-flex items-center rounded-md border border-slate-300 bg-white px-4 py-2 text-sm font-medium text-slate-800 shadow-sm hover:bg-slate-50" download>
            Download CSV
          </a>
          <Button onClick={() => window.print()}>Print</Button>
        </div>
      </div>
      <article className="rounded-lg border border-slate-200 bg-white p-6 shadow-sm print:border-0 print:p-0 print:shadow-none" aria-labelledby="statement-title">
        <header className="flex flex-wrap items-start justify-between gap-4 border-b border-slate-200 pb-4">
          <div>
            <p className="text-sm font-semibold text-brand-700">DirectPay</p>
            <h1 id="statement-title" className="text-xl font-semibold text-slate-900">
              Lease statement
            </h1>
            <p className="mt-1 text-sm text-slate-600">
              {property.name}, {property.line1}
              {property.line2 ? `, ${property.line2}` : ''}, {property.city}, {property.state} {property.postalCode}
            </p>
            <p className="text-sm text-slate-600">
              Renter {lease.data.renter?.name ?? lease.data.renterEmail} · landlord {lease.data.landlord.name}
            </p>
          </div>
          <dl className="text-right text-sm">
            <dt className="text-slate-500">{closingWords.label === 'Credit' ? 'Credit (paid ahead)' : 'Balance'}</dt>
            <dd className="text-2xl font-semibold tabular-nums text-slate-900" data-testid="statement-balance">
              {closingWords.amount}
            </dd>
            <dd className="text-xs text-slate-500">as of {formatEastern(new Date())}</dd>
          </dl>
        </header>
        {lines.length === 0 ? (
          <p className="py-6 text-sm text-slate-500">Nothing has fallen due on this lease yet.</p>
        ) : (
          <table className="stacked-table mt-4 w-full text-sm" aria-label="Statement lines">
            <thead>
              <tr className="border-b border-slate-200 text-left text-xs uppercase tracking-wide text-slate-500">
                <th scope="col" className="py-2 pr-2">Date (ET)</th>
                <th scope="col" className="py-2 pr-2">Description</th>
                <th scope="col" className="py-2 pr-2 text-right">Charges</th>
                <th scope="col" className="py-2 pr-2 text-right">Payments and credits</th>
                <th scope="col" className="py-2 text-right">Balance</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {lines.map((line) => (
                <tr key={line.id} data-testid="statement-line" className="break-inside-avoid">
                  <td className={`${STACKED_CELL} whitespace-nowrap py-2 pr-2 text-slate-600`}>
                    <StackedCell label="Date (ET)">{formatEastern(line.createdAt, { year: true })}</StackedCell>
                  </td>
                  <td className="py-2 pr-2">
                    <span className="font-medium text-slate-900">{KIND_LABELS[line.kind]}</span>
                    {line.installmentLabel !== null && <span className="text-slate-600"> · {line.installmentLabel}</span>}
                    <span className="block text-xs text-slate-500">{line.reason}</span>
                  </td>
                  <td className={`${STACKED_CELL} py-2 pr-2 text-right tabular-nums`}>
                    <StackedCell label="Charges">{line.amountCents > 0 ? formatCents(line.amountCents) : ''}</StackedCell>
                  </td>
                  <td className={`${STACKED_CELL} py-2 pr-2 text-right tabular-nums`}>
                    <StackedCell label="Payments and credits">{line.amountCents < 0 ? formatCents(-line.amountCents) : ''}</StackedCell>
                  </td>
                  <td className={`${STACKED_CELL} py-2 text-right font-medium tabular-nums text-slate-900`}>
                    <StackedCell label="Balance">{formatCents(line.balanceCents)}</StackedCell>
                  </td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr className="border-t border-slate-300 font-semibold text-slate-900">
                <th scope="row" colSpan={2} className="py-2 pr-2 text-left">
                  Totals
                </th>
                <td className={`${STACKED_CELL} py-2 pr-2 text-right tabular-nums`}>
                  <StackedCell label="Charges">{formatCents(charges)}</StackedCell>
                </td>
                <td className={`${STACKED_CELL} py-2 pr-2 text-right tabular-nums`}>
                  <StackedCell label="Payments and credits">{formatCents(credits)}</StackedCell>
                </td>
                <td className={`${STACKED_CELL} py-2 text-right tabular-nums`}>
                  <StackedCell label="Balance">{formatCents(closing)}</StackedCell>
                </td>
              </tr>
            </tfoot>
          </table>
        )}
        <p className="mt-4 text-xs text-slate-500">
          Charges are rent as it falls due and late fees; payments count from when they are sent, and a failed, cancelled or returned payment is owed again. Dates are New York time.
        </p>
      </article>
    </div>
  );
}
