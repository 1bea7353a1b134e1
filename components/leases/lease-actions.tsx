'use client';
// What a party can do to a PENDING lease: the renter accepts it, the landlord cancels it
// with a reason. Refusals (e.g. the lease changed meanwhile) are shown as the server says them.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTRPC } from '@/components/trpc/react';
import { formErrors, messageOf, zodFieldErrors, type FieldErrors } from '@/components/forms';
import { Button } from '@/components/ui/button';
import { Textarea } from '@/components/ui/field';
import { Alert } from '@/components/ui/states';
import { cancelLeaseInput } from '@/server/api/schemas/lease';

/** Every lease query (lists, counts, details, history) and the dashboards read the changed lease afresh. */
function useInvalidateLeases() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return () => Promise.all([queryClient.invalidateQueries(trpc.lease.pathFilter()), queryClient.invalidateQueries(trpc.dashboard.pathFilter())]);
}

export function AcceptLeaseButton({ leaseId, onAccepted }: { leaseId: string; onAccepted?: () => void }) {
  const trpc = useTRPC();
  const invalidate = useInvalidateLeases();
  const accept = useMutation(
    trpc.lease.accept.mutationOptions({
      onSuccess: async () => {
        onAccepted?.();
        await invalidate();
      },
    }),
  );
  return (
    <div className="space-y-2">
      {accept.error && <Alert tone="error">{messageOf(accept.error)}</Alert>}
      <Button pending={accept.isPending} onClick={() => accept.mutate({ id: leaseId })}>
        Accept lease
      </Button>
    </div>
  );
}

export function CancelLeaseForm({ leaseId }: { leaseId: string }) {
  const trpc = useTRPC();
  const invalidate = useInvalidateLeases();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [clientErrors, setClientErrors] = useState<FieldErrors>({});
  const cancel = useMutation(trpc.lease.cancel.mutationOptions({ onSuccess: invalidate }));
  const { errors, topMessage } = formErrors(cancel.error, clientErrors);

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    // A new try starts clean: an earlier refusal is not shown over this try's field errors.
    cancel.reset();
    const parsed = cancelLeaseInput.safeParse({ id: leaseId, reason });
    if (!parsed.success) {
      setClientErrors(zodFieldErrors(parsed.error.issues));
      return;
    }
    setClientErrors({});
    cancel.mutate(parsed.data);
  }

  if (!open) {
    return (
      <Button variant="secondary" onClick={() => setOpen(true)}>
        Cancel lease…
      </Button>
    );
  }
  return (
    <form onSubmit={onSubmit} noValidate className="space-y-3">
      {topMessage && <Alert tone="error">{topMessage}</Alert>}
      <Textarea
        label="Why are you cancelling this lease?"
        name="reason"
        rows={3}
        maxLength={500}
        value={reason}
        onChange={(event) => setReason(event.target.value)}
        error={errors.reason}
        hint="The renter sees this reason, and it stays in the lease’s history."
        className="font-sans"
      />
      <div className="flex flex-wrap gap-2">
        <Button type="submit" variant="danger" pending={cancel.isPending}>
          Cancel lease
        </Button>
        <Button variant="ghost" disabled={cancel.isPending} onClick={() => setOpen(false)}>
          Keep it
        </Button>
      </div>
    </form>
  );
}
