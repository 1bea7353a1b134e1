'use client';
// What a party can do to a PENDING lease: the renter reads the terms that bind them, agrees
// and accepts, or declines with a reason; the landlord cancels it with a reason. Each reason
// form is an inline step that states the consequence; Escape closes it. Refusals (e.g. the
// lease changed meanwhile) are shown as the server says them.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useState, type FormEvent, type KeyboardEvent } from 'react';
import { useTRPC } from '@/components/trpc/react';
import type { RouterOutputs } from '@/components/trpc/types';
import { formErrors, messageOf, zodFieldErrors, type FieldErrors } from '@/components/forms';
import { formatBasisPoints, formatCents, formatDate } from '@/components/format';
import { maskedNumber } from '@/components/bank-accounts/masked-number';
import { Button } from '@/components/ui/button';
import { Textarea } from '@/components/ui/field';
import { Alert } from '@/components/ui/states';
import { cancelLeaseInput, declineLeaseInput } from '@/server/api/schemas/lease';
import { lateFeeText } from './lease-terms';

type LeaseDetail = RouterOutputs['lease']['byId'];

/** Every lease query (lists, counts, details, history) and the dashboards read the changed lease afresh. */
function useInvalidateLeases() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return () => Promise.all([queryClient.invalidateQueries(trpc.lease.pathFilter()), queryClient.invalidateQueries(trpc.dashboard.pathFilter())]);
}

/**
 * What accepting commits the renter to, in one place: the total of the term, the first and last
 * due dates, the end date, where the money goes, the late fee and the payoff discount.
 */
export function LeaseCommitment({ lease }: { lease: LeaseDetail }) {
  const total = lease.installments.reduce((sum, installment) => sum + installment.amountCents, 0);
  const first = lease.installments[0];
  const last = lease.installments.at(-1);
  const rows: [string, string][] = [
    ['Total of the term', `${formatCents(total)} in ${lease.installments.length} installment${lease.installments.length === 1 ? '' : 's'}`],
    ['First rent due', first ? `${formatDate(first.dueDate)} (${formatCents(first.amountCents)})` : '—'],
    ['Last rent due', last ? `${formatDate(last.dueDate)} (${formatCents(last.amountCents)})` : '—'],
    ['Lease ends', formatDate(lease.endDate)],
    ['Rent is paid to', `${lease.landlord.name}: ${lease.payoutAccount.nickname} ${maskedNumber(lease.payoutAccount.last4)}`],
    ['Late fee', lateFeeText(lease)],
    ['Early payoff discount', `${formatBasisPoints(lease.payoffDiscountBasisPoints)} of the remaining rent`],
  ];
  return (
    <dl className="grid gap-x-6 gap-y-3 rounded-md border border-slate-200 bg-slate-50 p-4 sm:grid-cols-2" data-testid="lease-commitment">
      {rows.map(([label, value]) => (
        <div key={label}>
          <dt className="text-xs font-medium uppercase tracking-wide text-slate-600">{label}</dt>
          <dd className="mt-0.5 text-sm font-medium text-slate-900">{value}</dd>
        </div>
      ))}
    </dl>
  );
}

/**
 * The renter's decision on an invitation: the terms they commit to, an "I agree" box that
 * enables Accept, and Decline with a reason that the landlord is told.
 */
export function LeaseDecision({ lease, onAccepted, onDeclined }: { lease: LeaseDetail; onAccepted?: () => void; onDeclined?: () => void }) {
  const trpc = useTRPC();
  const invalidate = useInvalidateLeases();
  const agreeId = useId();
  const [agreed, setAgreed] = useState(false);
  const [declining, setDeclining] = useState(false);
  const accept = useMutation(
    trpc.lease.accept.mutationOptions({
      onSuccess: async () => {
        onAccepted?.();
        await invalidate();
      },
    }),
  );
  return (
    <div className="space-y-4">
      <LeaseCommitment lease={lease} />
      {accept.error && <Alert tone="error">{messageOf(accept.error)}</Alert>}
      {declining ? (
        <DeclineLeaseForm leaseId={lease.id} onClose={() => setDeclining(false)} onDeclined={onDeclined} />
      ) : (
        <>
          <div className="flex items-start gap-2">
            <input
              id={agreeId}
              type="checkbox"
              checked={agreed}
              onChange={(event) => setAgreed(event.target.checked)}
              className="mt-0.5 h-4 w-4 rounded border-slate-400 text-brand-600 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-500"
            />
            <label htmlFor={agreeId} className="text-sm text-slate-800">
              I agree to these terms: I will pay {formatCents(lease.monthlyRentCents)} a month until {formatDate(lease.endDate)} as scheduled.
            </label>
          </div>
          <div className="flex flex-wrap gap-2">
            <Button pending={accept.isPending} disabled={!agreed} onClick={() => accept.mutate({ id: lease.id })}>
              Accept lease
            </Button>
            <Button variant="secondary" disabled={accept.isPending} onClick={() => setDeclining(true)}>
              Decline…
            </Button>
          </div>
        </>
      )}
    </div>
  );
}

/** Escape closes an inline confirm step, as it would a dialog. */
function closeOnEscape(close: () => void) {
  return (event: KeyboardEvent) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      close();
    }
  };
}

interface ReasonStepProps {
  /** The form's accessible name: "Decline this lease". */
  name: string;
  /** What happens, said before the reason is asked; none where the hint says it. */
  consequence?: string;
  /** The reason field's label and hint (who reads the reason). */
  label: string;
  hint: string;
  submitLabel: string;
  backLabel: string;
  /** The mutation's input schema (cancelLeaseInput, declineLeaseInput): checked here first, as the server will. */
  schema: typeof cancelLeaseInput | typeof declineLeaseInput;
  leaseId: string;
  mutation: { mutate: (input: { id: string; reason: string }) => void; reset: () => void; isPending: boolean; error: unknown };
  onClose: () => void;
}

/**
 * The one inline step that ends a PENDING lease with a reason (the renter declining, the
 * landlord cancelling): it states the consequence, asks the reason the other party is told,
 * and sends it; Escape or the back button closes it, changing nothing.
 */
function ReasonStep({ name, consequence, label, hint, submitLabel, backLabel, schema, leaseId, mutation, onClose }: ReasonStepProps) {
  const [reason, setReason] = useState('');
  const [clientErrors, setClientErrors] = useState<FieldErrors>({});
  const { errors, topMessage } = formErrors(mutation.error, clientErrors);

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    // A new try starts clean: an earlier refusal is not shown over this try's field errors.
    mutation.reset();
    const parsed = schema.safeParse({ id: leaseId, reason });
    if (!parsed.success) {
      setClientErrors(zodFieldErrors(parsed.error.issues));
      return;
    }
    setClientErrors({});
    mutation.mutate(parsed.data);
  }

  return (
    <form onSubmit={onSubmit} onKeyDown={closeOnEscape(onClose)} noValidate className="space-y-3" aria-label={name}>
      {topMessage && <Alert tone="error">{topMessage}</Alert>}
      {consequence && <p className="text-sm font-medium text-red-800">{consequence}</p>}
      <Textarea
        label={label}
        name="reason"
        rows={3}
        maxLength={500}
        autoFocus
        value={reason}
        onChange={(event) => setReason(event.target.value)}
        error={errors.reason}
        hint={hint}
        className="font-sans"
      />
      <div className="flex flex-wrap gap-2">
        <Button type="submit" variant="danger" pending={mutation.isPending}>
          {submitLabel}
        </Button>
        <Button variant="ghost" disabled={mutation.isPending} onClick={onClose}>
          {backLabel}
        </Button>
      </div>
    </form>
  );
}

function DeclineLeaseForm({ leaseId, onClose, onDeclined }: { leaseId: string; onClose: () => void; onDeclined?: () => void }) {
  const trpc = useTRPC();
  const invalidate = useInvalidateLeases();
  const decline = useMutation(
    trpc.lease.decline.mutationOptions({
      onSuccess: async () => {
        onDeclined?.();
        await invalidate();
      },
    }),
  );
  return (
    <ReasonStep
      name="Decline this lease"
      label="Why do you decline this lease?"
      hint="The landlord is told, with this reason. Declining is final: to rent this place after all, ask them for a new invitation."
      submitLabel="Decline lease"
      backLabel="Back to the terms"
      schema={declineLeaseInput}
      leaseId={leaseId}
      mutation={decline}
      onClose={onClose}
    />
  );
}

export function CancelLeaseForm({ leaseId }: { leaseId: string }) {
  const trpc = useTRPC();
  const invalidate = useInvalidateLeases();
  const [open, setOpen] = useState(false);
  const cancel = useMutation(trpc.lease.cancel.mutationOptions({ onSuccess: invalidate }));

  if (!open) {
    return (
      <Button variant="secondary" onClick={() => setOpen(true)}>
        Cancel lease…
      </Button>
    );
  }
  return (
    <ReasonStep
      name="Cancel this lease"
      consequence="The renter will no longer be able to accept or pay this lease, and its whole schedule is waived. This cannot be undone."
      label="Why are you cancelling this lease?"
      hint="The renter sees this reason, and it stays in the lease’s history."
      submitLabel="Cancel lease"
      backLabel="Keep it"
      schema={cancelLeaseInput}
      leaseId={leaseId}
      mutation={cancel}
      onClose={() => setOpen(false)}
    />
  );
}
