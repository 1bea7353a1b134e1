'use client';
// The renter's pending lease offers, each with everything needed to decide: property,
// landlord, rent, term and the full schedule, what accepting commits them to with an "I agree"
// step, and Decline with a reason. Invitations to the
// renter's address show only once they confirmed it (the invitation's link, or a
// verification mail asked for here).
import Link from 'next/link';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTRPC } from '@/components/trpc/react';
import type { RouterOutputs } from '@/components/trpc/types';
import { messageOf } from '@/components/forms';
import { Button } from '@/components/ui/button';
import { Card, CardBody, CardHeader } from '@/components/ui/card';
import { Alert, EmptyState, ErrorState, LoadingRows } from '@/components/ui/states';
import { formatCents } from '@/components/format';
import { dayInNewYork, formatDay } from '@/server/domain/calendar';
import { LeaseDecision } from './lease-actions';
import { addressText } from './lease-format';
import { leasePath } from './lease-routes';
import { LeaseTerms } from './lease-terms';
import { ScheduleTable } from './schedule-table';

type LeaseSummary = RouterOutputs['lease']['list']['items'][number];

export function LeaseInvitations() {
  const trpc = useTRPC();
  const invitations = useQuery(trpc.lease.list.queryOptions({ status: 'PENDING', limit: 20 }));
  const [decided, setDecided] = useState<{ lease: LeaseSummary; decision: 'accepted' | 'declined' }[]>([]);

  return (
    <section aria-labelledby="invitations" className="space-y-4">
      <h2 id="invitations" className="text-lg font-semibold text-slate-900">
        Lease invitations
      </h2>
      <VerifyAddressNotice />
      {decided.map(({ lease, decision }) => (
        <Alert key={lease.id} tone="success">
          You {decision} the lease for {lease.property.name}.{decision === 'declined' ? ' The landlord has been told.' : ''}{' '}
          <Link href={leasePath('RENTER', lease.id)} className="font-semibold underline">
            View the lease
          </Link>
        </Alert>
      ))}
      {invitations.isPending ? (
        <LoadingRows label="Loading invitations" />
      ) : invitations.isError ? (
        <ErrorState message={messageOf(invitations.error)} onRetry={() => void invitations.refetch()} />
      ) : invitations.data.items.length === 0 ? (
        <EmptyState
          title="No invitations waiting"
          description="When a landlord offers you a lease at this email address, it appears here for you to review and accept."
        />
      ) : (
        invitations.data.items.map((lease) => <Invitation key={lease.id} lease={lease} onDecided={(decision) => setDecided((current) => [...current, { lease, decision }])} />)
      )}
    </section>
  );
}

/** For a renter whose address is not confirmed yet: invitations to it stay hidden until it is. */
function VerifyAddressNotice() {
  const trpc = useTRPC();
  const me = useQuery(trpc.me.get.queryOptions());
  const send = useMutation(trpc.me.sendVerificationEmail.mutationOptions());
  if (!me.data || me.data.emailVerified) return null;
  return (
    <Alert tone="info">
      <span className="block">
        Confirm that {me.data.email} is yours to see the lease invitations sent to it: follow the link in an invitation email, or have us send you one.
      </span>
      {send.isSuccess ? (
        <span className="mt-2 block font-medium">Sent — open the email and follow its link.</span>
      ) : (
        <span className="mt-2 block">
          <Button size="sm" variant="secondary" pending={send.isPending} onClick={() => send.mutate()}>
            Send me a verification email
          </Button>
        </span>
      )}
      {send.error && <span className="mt-2 block text-red-700">{messageOf(send.error)}</span>}
    </Alert>
  );
}

function Invitation({ lease, onDecided }: { lease: LeaseSummary; onDecided: (decision: 'accepted' | 'declined') => void }) {
  const trpc = useTRPC();
  const detail = useQuery(trpc.lease.byId.queryOptions({ id: lease.id }));
  return (
    <Card data-testid="lease-invitation">
      <CardHeader title={`${lease.property.name} — from ${lease.landlord.name}`} description={addressText(lease.property)} />
      <CardBody className="space-y-4">
        <LeaseTerms lease={lease} viewer="RENTER" bare />
        <div>
          <h3 className="mb-2 text-sm font-semibold text-slate-800">Schedule</h3>
          {detail.isPending ? (
            <LoadingRows label="Loading schedule" />
          ) : detail.isError ? (
            <ErrorState message={messageOf(detail.error)} onRetry={() => void detail.refetch()} />
          ) : (
            <div className="rounded-md border border-slate-200">
              <ScheduleTable rows={detail.data.installments} />
            </div>
          )}
        </div>
        {detail.data && (
          <div>
            <h3 className="mb-2 text-sm font-semibold text-slate-800">What accepting commits you to</h3>
            <PastDueNotice installments={detail.data.installments} graceDays={detail.data.graceDays} />
            <LeaseDecision lease={detail.data} onAccepted={() => onDecided('accepted')} onDeclined={() => onDecided('declined')} />
          </div>
        )}
      </CardBody>
    </Card>
  );
}

/**
 * A lease that started in the past: the installments already due (before today in New York)
 * are owed the moment the renter accepts, and those past their grace period are overdue at once
 * (the landlord confirmed the same when offering it). Said before "I agree", not after.
 */
function PastDueNotice({ installments, graceDays }: { installments: { dueDate: string; amountCents: number }[]; graceDays: number }) {
  const today = formatDay(dayInNewYork(new Date()));
  const pastDue = installments.filter((installment) => installment.dueDate < today);
  if (!pastDue.length) return null;
  const total = pastDue.reduce((sum, installment) => sum + installment.amountCents, 0);
  const count = pastDue.length === 1 ? 'One installment' : `${pastDue.length} installments`;
  return (
    <div className="mb-3" data-testid="past-due-notice">
      <Alert tone="warning">
        This lease started in the past. {count} fell due before today ({formatCents(total)} in all): accepting makes {pastDue.length === 1 ? 'it' : 'them'} owed at once.
        An installment unpaid {graceDays === 0 ? 'after its due date' : `${graceDays} day${graceDays === 1 ? '' : 's'} after its due date`} is overdue and may be charged the late fee.
      </Alert>
    </div>
  );
}
