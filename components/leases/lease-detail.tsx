'use client';
// One lease as either party sees it: its terms, what they can do now, the schedule and the
// history of everything that happened to it.
import Link from 'next/link';
import { useQuery, type UseQueryResult } from '@tanstack/react-query';
import { useState } from 'react';
import { useTRPC } from '@/components/trpc/react';
import type { RouterOutputs } from '@/components/trpc/types';
import { errorCodeOf, messageOf } from '@/components/forms';
import { HistoryCard } from '@/components/events/history-card';
import { StatusBadge } from '@/components/ui/badge';
import { Card, CardBody, CardHeader, PageHeader } from '@/components/ui/card';
import { Alert, EmptyState, ErrorState, LoadingRows } from '@/components/ui/states';
import { formatEastern } from '@/components/format';
import { asOfHref } from '@/components/events/as-of';
import { AsOfPicker } from '@/components/events/as-of-picker';
import { paymentPath } from '@/components/payments/payment-routes';
import { RAILS } from '@/server/domain/rails';
import { ScheduleTable, type ScheduleColumn } from './schedule-table';
import { leaseDetailInputs } from './lease-queries';
import { CancelLeaseForm, LeaseDecision } from './lease-actions';
import { ChangePayoutForm } from './change-payout-form';
import { addressText, dueDayText } from './lease-format';
import { LeaseTerms } from './lease-terms';
import { leaseListPath, type Viewer } from './lease-routes';
import { LeaseLedger } from './lease-ledger';
import { PayoffCard } from './payoff-card';
import { ScheduleWithPayments } from '@/components/payments/installment-payments';
import { AutopayCard } from '@/components/autopay/autopay-card';

type Lease = RouterOutputs['lease']['byId'];

/** States of a lease that never ran: no ledger, no payments. */
const NEVER_RAN: readonly string[] = ['PENDING', 'CANCELLED', 'DECLINED'];
type LeaseHistory = RouterOutputs['lease']['history'];
type InstallmentThen = NonNullable<LeaseHistory['asOf']>['installments'][number];

/** `asOf` (ISO instant, from `?asOf=`): show the lease as it was then, with no actions. */
export function LeaseDetail({ id, viewer, asOf }: { id: string; viewer: Viewer; asOf?: string | null }) {
  const trpc = useTRPC();
  const at = asOf ? new Date(asOf) : null;
  const inputs = leaseDetailInputs(id, at);
  const lease = useQuery(trpc.lease.byId.queryOptions(inputs.lease));
  const history = useQuery(trpc.lease.history.queryOptions(inputs.history));
  const [decided, setDecided] = useState<'accepted' | 'declined' | null>(null);
  const back = leaseListPath(viewer);

  if (lease.isPending) return <LoadingRows rows={6} label="Loading lease" />;
  if (lease.isError) {
    return (
      <div className="space-y-4">
        {errorCodeOf(lease.error) === 'NOT_FOUND' ? (
          // Nothing to retry: a heading that says so, and the way back.
          <PageHeader title="Lease not found" description="It does not exist, or it is not one of yours." />
        ) : (
          <ErrorState message={messageOf(lease.error)} onRetry={() => void lease.refetch()} />
        )}
        <Link href={back} className="text-sm font-medium text-brand-700 hover:underline">
          ← All leases
        </Link>
      </div>
    );
  }
  const data = lease.data;
  const names = new Map<string, string>([[data.landlord.id, data.landlord.name]]);
  if (data.renter) names.set(data.renter.id, data.renter.name);
  if (at) return <LeaseAsOf lease={data} viewer={viewer} at={at} history={history} names={names} />;

  return (
    <>
      <Link href={back} className="mb-2 inline-block text-sm font-medium text-brand-700 hover:underline">
        ← All leases
      </Link>
      <PageHeader
        title={
          <span className="flex flex-wrap items-center gap-3">
            {data.property.name} <StatusBadge status={data.status} className="text-sm" />
          </span>
        }
        description={addressText(data.property)}
      />
      <div className="space-y-6">
        <AsOfPicker asOf={null} />
        {decided === 'accepted' && data.status === 'ACTIVE' && <Alert tone="success">You accepted this lease. Rent is due {dueDayText(data.dueDay)}.</Alert>}
        {decided === 'declined' && data.status === 'DECLINED' && <Alert tone="success">You declined this lease. The landlord has been told.</Alert>}
        <StatusNote lease={data} viewer={viewer} onDecided={setDecided} />
        <LeaseTerms lease={data} viewer={viewer} />
        {viewer === 'LANDLORD' && <ChangePayoutForm lease={data} />}
        {data.status === 'ACTIVE' && <AutopayCard leaseId={data.id} viewer={viewer} />}
        {viewer === 'RENTER' && data.status === 'ACTIVE' && <PayoffCard leaseId={data.id} />}
        <Card>
          <CardHeader
            title="Schedule"
            description={
              data.status === 'CANCELLED' || data.status === 'DECLINED'
                ? `The schedule this lease was offered with. It was ${data.status === 'CANCELLED' ? 'cancelled' : 'declined'}, so every installment is waived.`
                : 'Every installment of this lease, generated when it was offered.'
            }
          />
          <CardBody className="px-0 py-0 sm:px-0">
            <ScheduleWithPayments lease={data} viewer={viewer} rows={data.installments} />
          </CardBody>
        </Card>
        {!NEVER_RAN.includes(data.status) && <LeaseLedger leaseId={data.id} viewer={viewer} />}
        <HistoryCard
          history={history}
          description="Every change to this lease, as recorded in its append-only, hash-chained history."
          actorName={(actorId) => names.get(actorId)}
          aggregate={{ type: 'Lease', id: data.id }}
        />
      </div>
    </>
  );
}

/**
 * The lease as it was at `at`, from `lease.history({ asOf })`: its status, its schedule with
 * each installment's latest payment then, its ledger then, and the events up to then. The
 * terms never change after the offer, so they are the live ones. No actions.
 */
function LeaseAsOf({ lease, viewer, at, history, names }: { lease: Lease; viewer: Viewer; at: Date; history: UseQueryResult<LeaseHistory, unknown>; names: Map<string, string> }) {
  const back = (
    <Link href={leaseListPath(viewer)} className="mb-2 inline-block text-sm font-medium text-brand-700 hover:underline">
      ← All leases
    </Link>
  );
  const then = history.data?.asOf;
  const status = then?.lease?.status;
  return (
    <>
      {back}
      <PageHeader
        title={
          <span className="flex flex-wrap items-center gap-3">
            {lease.property.name} {status && <StatusBadge status={status} className="text-sm" />}
          </span>
        }
        description={addressText(lease.property)}
      />
      <div className="space-y-6">
        <AsOfPicker asOf={at} />
        {history.isPending ? (
          <LoadingRows rows={6} label="Rebuilding the lease as it was" />
        ) : history.isError ? (
          <ErrorState message={messageOf(history.error)} onRetry={() => void history.refetch()} />
        ) : !then?.lease ? (
          <EmptyState title="This lease did not exist yet" description={`It was offered ${formatEastern(lease.createdAt)}. Choose a later instant, or Now.`} />
        ) : (
          <>
            <LeaseTerms lease={{ ...lease, status: then.lease.status, statusReason: then.lease.statusReason, renter: then.lease.renterId ? lease.renter : null }} viewer={viewer} />
            <Card>
              <CardHeader title="Schedule" description={`Every installment of this lease as it stood ${formatEastern(at)}.`} />
              <CardBody className="px-0 py-0 sm:px-0">
                <ScheduleTable rows={then.installments} extraColumn={NEVER_RAN.includes(then.lease.status) ? undefined : paymentThenColumn(viewer, at)} />
              </CardBody>
            </Card>
            {!NEVER_RAN.includes(then.lease.status) && <LeaseLedger leaseId={lease.id} viewer={viewer} asOf={at} />}
          </>
        )}
        <HistoryCard history={history} until={at} description={`The changes to this lease up to ${formatEastern(at)}.`} actorName={(actorId) => names.get(actorId)} />
      </div>
    </>
  );
}

/** Each installment's latest payment as it stood at `at`, linking to that payment as of `at`. */
function paymentThenColumn(viewer: Viewer, at: Date): ScheduleColumn<InstallmentThen> {
  return {
    header: 'Payment',
    cell: ({ latestPayment }) =>
      latestPayment ? (
        <Link href={asOfHref(paymentPath(viewer, latestPayment.id), at)} className="inline-flex items-center gap-1 text-sm text-brand-700 hover:underline">
          <StatusBadge status={latestPayment.status} />
          {RAILS[latestPayment.rail].name}
        </Link>
      ) : (
        <span className="text-xs text-slate-600">No payment yet</span>
      ),
  };
}

/** What the lease's status means for this party, and what they can do about it now. */
function StatusNote({ lease, viewer, onDecided }: { lease: Lease; viewer: Viewer; onDecided: (decision: 'accepted' | 'declined') => void }) {
  if (lease.status === 'PENDING' && viewer === 'RENTER') {
    return (
      <Card>
        <CardHeader title="Review and accept" description={`${lease.landlord.name} offers you this lease. Accepting commits you to the whole term: read what you agree to, and the schedule below.`} />
        <CardBody>
          <LeaseDecision lease={lease} onAccepted={() => onDecided('accepted')} onDeclined={() => onDecided('declined')} />
        </CardBody>
      </Card>
    );
  }
  if (lease.status === 'PENDING' && viewer === 'LANDLORD') {
    return (
      <Card>
        <CardHeader
          title="Waiting for the renter"
          description={`The invitation was emailed to ${lease.renterEmail} with a link to review and accept the lease. The renter appears here once they accept.`}
        />
        <CardBody className="space-y-4">
          <CancelLeaseForm leaseId={lease.id} />
        </CardBody>
      </Card>
    );
  }
  if (lease.status === 'CANCELLED') {
    return <Alert tone="error">This lease was cancelled{lease.statusReason ? `: “${lease.statusReason}”` : '.'}</Alert>;
  }
  if (lease.status === 'DECLINED') {
    const who = viewer === 'RENTER' ? 'You' : `The renter (${lease.renterEmail})`;
    return <Alert tone="error">{`${who} declined this lease${lease.statusReason ? `: “${lease.statusReason}”` : '.'}`}</Alert>;
  }
  return null;
}
