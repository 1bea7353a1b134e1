// A lease's terms as a card of labelled values, the same for both parties.
import type { ReactNode } from 'react';
import type { RouterOutputs } from '@/components/trpc/types';
import { formatBasisPoints, formatCents, formatDate, formatDateTime } from '@/components/format';
import { Card, CardBody, CardHeader } from '@/components/ui/card';
import { maskedNumber } from '@/components/bank-accounts/masked-number';
import { dueDayText, firstMonthText, renterText, termText } from './lease-format';
import type { Viewer } from './lease-routes';

type LeaseSummary = RouterOutputs['lease']['list']['items'][number];

/** "$25.00 + 5% (at most $70.00) after 5 days' grace", or "None". */
export function lateFeeText(lease: Pick<LeaseSummary, 'lateFeeFlatCents' | 'lateFeeBasisPoints' | 'lateFeeCapCents' | 'graceDays'>): string {
  const parts = [lease.lateFeeFlatCents ? formatCents(lease.lateFeeFlatCents) : '', lease.lateFeeBasisPoints ? formatBasisPoints(lease.lateFeeBasisPoints) : ''].filter(Boolean);
  if (!parts.length) return 'None';
  const cap = lease.lateFeeCapCents !== null ? ` (at most ${formatCents(lease.lateFeeCapCents)})` : '';
  return `${parts.join(' + ')}${cap} after ${lease.graceDays} day${lease.graceDays === 1 ? '' : 's'}’ grace`;
}

/** The terms in a card, or `bare` as the list alone (inside a card of the caller's). */
export function LeaseTerms({ lease, viewer, bare = false }: { lease: LeaseSummary; viewer: Viewer; bare?: boolean }) {
  const terms: [string, ReactNode][] = [
    ['Monthly rent', <span key="rent" className="font-semibold text-slate-900">{formatCents(lease.monthlyRentCents)}</span>],
    // With its last day: a prorated start adds an installment, and "6 months" alone read as six.
    ['Term', `${termText(lease)}, ending ${formatDate(lease.endDate)}`],
    ['Rent due', dueDayText(lease.dueDay)],
    ['First month', firstMonthText(lease)],
    ['Late fee', lateFeeText(lease)],
    ['Early payoff discount', `${formatBasisPoints(lease.payoffDiscountBasisPoints)} of the remaining rent`],
    ['Landlord', lease.landlord.name],
    ['Renter', viewer === 'RENTER' && lease.renter ? `${lease.renter.name} (you)` : renterText(lease)],
    ['Rent is paid to', `${lease.payoutAccount.nickname} ${maskedNumber(lease.payoutAccount.last4)}`],
    ['Offered', formatDateTime(lease.createdAt)],
  ];
  const list = (
    <dl className="grid gap-x-6 gap-y-4 sm:grid-cols-2 lg:grid-cols-4">
      {terms.map(([label, value]) => (
        <div key={label}>
          <dt className="text-xs font-medium uppercase tracking-wide text-slate-500">{label}</dt>
          <dd className="mt-1 text-sm text-slate-800">{value}</dd>
        </div>
      ))}
    </dl>
  );
  if (bare) return list;
  return (
    <Card>
      <CardHeader title="Terms" />
      <CardBody>{list}</CardBody>
    </Card>
  );
}
