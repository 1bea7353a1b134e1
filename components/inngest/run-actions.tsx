'use client';
// Cancel an unfinished run, or run a finished one again.
import { useActionState } from 'react';
import { Button } from '@/components/ui/button';
import { Alert } from '@/components/ui/states';
import type { ActionState } from './schemas';

type Action = (state: ActionState, form: FormData) => Promise<ActionState>;

export function RunActions({ runId, ended, cancel, rerun }: { runId: string; ended: boolean; cancel: Action; rerun: Action }) {
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
              if (!window.confirm('Cancel this run? Steps not yet run will never run.')) event.preventDefault();
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
