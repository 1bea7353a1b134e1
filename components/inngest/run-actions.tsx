'use client';
// Cancel an unfinished run, or run a finished one again.
import { useActionState } from 'react';
import { Button } from '@/components/ui/button';
import { Alert } from '@/components/ui/states';
import type { ActionState } from './schemas';

type Action = (state: ActionState, form: FormData) => Promise<ActionState>;

/**
 * What cancelling a run does, in the confirmation. A settlement's payment outlives its run: the
 * recovery sweep (recover-stale-payments, every minute) sends a payment still PENDING a minute
 * past its submission time to a new run, so cancelling the run does not cancel the payment.
 */
export function cancelWarning(functionId: string): string {
  const base = 'Cancel this run? Steps not yet run will never run.';
  return /(^|-)settle-payment$/.test(functionId)
    ? `${base}\n\nThe payment is not cancelled. The recovery sweep starts a new settlement run for it a minute after its submission time while it is PENDING, an hour after its expected settlement while it is PROCESSING, and records an ACH payment's finality an hour after its return window; Rerun takes it up at once. Only its renter can cancel a payment (while it is PENDING).`
    : base;
}

export function RunActions({ runId, functionId, ended, cancel, rerun }: { runId: string; functionId: string; ended: boolean; cancel: Action; rerun: Action }) {
  const [cancelState, cancelAction, cancelling] = useActionState(cancel, {});
  const [rerunState, rerunAction, rerunning] = useActionState(rerun, {});
  const message = [cancelState, rerunState].find((state) => state.message);
  return (
    <div className="flex flex-col items-end gap-2">
      <div className="flex gap-2">
        {ended ? (
          <form action={rerunAction}>
            <input type="hidden" name="runId" value={runId} />
            <Button type="submit" variant="secondary" pending={rerunning}>
              Rerun
            </Button>
          </form>
        ) : (
          <form
            action={cancelAction}
            onSubmit={(event) => {
              if (!window.confirm(cancelWarning(functionId))) event.preventDefault();
            }}
          >
            <input type="hidden" name="runId" value={runId} />
            <Button type="submit" variant="danger" pending={cancelling}>
              Cancel run
            </Button>
          </form>
        )}
      </div>
      {message?.message && <Alert tone={message.ok ? 'success' : 'error'}>{message.message}</Alert>}
    </div>
  );
}
