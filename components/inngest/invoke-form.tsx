'use client';
// Invokes one function directly with a payload (its event is `inngest/function.invoked`).
import { useActionState, useState } from 'react';
import { Button } from '@/components/ui/button';
import { Textarea } from '@/components/ui/field';
import { Alert } from '@/components/ui/states';
import { zodFieldErrors } from '@/components/forms';
import { invokeInput, type ActionState } from './schemas';

export function InvokeForm({ functionId, action }: { functionId: string; action: (state: ActionState, form: FormData) => Promise<ActionState> }) {
  const [state, formAction, pending] = useActionState(action, {});
  const [data, setData] = useState('{}');
  const check = invokeInput.safeParse({ functionId, data });
  const errors = check.success ? (state.fieldErrors ?? {}) : zodFieldErrors(check.error.issues);
  return (
    <form action={formAction} onSubmit={(event) => !check.success && event.preventDefault()} className="space-y-3" aria-label={`Invoke ${functionId}`}>
      <input type="hidden" name="functionId" value={functionId} />
      <Textarea label="Payload data (JSON object)" name="data" rows={4} value={data} onChange={(event) => setData(event.target.value)} error={errors.data} spellCheck={false} />
      <Button type="submit" size="sm" pending={pending} disabled={!check.success}>
        Invoke
      </Button>
      {state.message && !pending && !state.ok && <Alert tone="error">{state.message}</Alert>}
    </form>
  );
}
