'use client';
// One lease as either party sees it: its terms, what they can do now, the schedule and the
// history of everything that happened to it.
import Link from 'next/link';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTRPC } from '@/components/trpc/react';
import type { RouterOutputs } from '@/components/trpc/types';
import { messageOf } from '@/components/forms';
import { HistoryCard } from '@/components/events/history-card';
import { StatusBadge } from '@/components/ui/badge';
import { Card, CardBody, CardHeader, PageHeader } from '@/components/ui/card';
import { Alert, ErrorState, LoadingRows } from '@/components/ui/states';
import { AcceptLeaseButton, CancelLeaseForm } from './lease-actions';
import { addressText, dueDayText, withProration } from './lease-format';
import { LeaseTerms } from './lease-terms';
import { leaseListPath, type Viewer } from './lease-routes';
import { InvitationLink } from './invitation-link';
import { LeaseLedger } from './lease-ledger';
import { ScheduleWithPayments } from '@/components/payments/installment-payments';

type Lease = RouterOutputs['lease']['byId'];

export function LeaseDetail({ id, viewer }: { id: string; viewer: Viewer }) {
  const trpc = useTRPC();
  const lease = useQuery(trpc.lease.byId.queryOptions({ id }));
  const history = useQuery(trpc.lease.history.queryOptions({ id }));
  const [accepted, setAccepted] = useState(false);
  const back = leaseListPath(viewer);

  if (lease.isPending) return <LoadingRows rows={6} label="Loading lease" />;
  if (lease.isError) {
    return (
      <div className="space-y-4">
        <ErrorState message={messageOf(lease.error)} onRetry={() => void lease.refetch()} />
        <Link href={back} className="text-sm font-medium text-brand-700 hover:underline">
          ← All leases
        </Link>
      </div>
    );
  }
  const data = lease.data;
  const names = new Map<string, string>([[data.landlord.id, data.landlord.name]]);
  if (data.renter) names.set(data.renter.id, data.renter.name);

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
        {accepted && data.status === 'ACTIVE' && <Alert tone="success">You accepted this lease. Rent is due {dueDayText(data.dueDay)}.</Alert>}
        <StatusNote lease={data} viewer={viewer} onAccepted={() => setAccepted(true)} />
        <LeaseTerms lease={data} viewer={viewer} />
        <Card>
          <CardHeader
            title="Schedule"
            description={
              data.status === 'CANCELLED'
                ? 'The schedule this lease was offered with. It was cancelled, so every installment is waived.'
                : 'Every installment of this lease, generated when it was offered.'
            }
          />
          <CardBody className="px-0 py-0 sm:px-0">
            <ScheduleWithPayments lease={data} viewer={viewer} rows={withProration(data.installments, data)} />
          </CardBody>
        </Card>
        {data.status !== 'PENDING' && data.status !== 'CANCELLED' && <LeaseLedger leaseId={data.id} viewer={viewer} />}
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

/** What the lease's status means for this party, and what they can do about it now. */
function StatusNote({ lease, viewer, onAccepted }: { lease: Lease; viewer: Viewer; onAccepted: () => void }) {
  if (lease.status === 'PENDING' && viewer === 'RENTER') {
    return (
      <Card>
        <CardHeader title="Review and accept" description={`${lease.landlord.name} offers you this lease. Check the terms and the schedule below.`} />
        <CardBody>
          <AcceptLeaseButton leaseId={lease.id} onAccepted={onAccepted} />
        </CardBody>
      </Card>
    );
  }
  if (lease.status === 'PENDING' && viewer === 'LANDLORD') {
    return (
      <Card>
        <CardHeader
          title="Waiting for the renter"
          description={lease.renter ? `${lease.renter.name} has not accepted yet.` : `${lease.renterEmail} has no DirectPay account yet. Send them this link to sign up; the lease will be waiting.`}
        />
        <CardBody className="space-y-4">
          {!lease.renter && <InvitationLink email={lease.renterEmail} />}
          <CancelLeaseForm leaseId={lease.id} />
        </CardBody>
      </Card>
    );
  }
  if (lease.status === 'CANCELLED') {
    return <Alert tone="error">This lease was cancelled{lease.statusReason ? `: “${lease.statusReason}”` : '.'}</Alert>;
  }
  return null;
}
