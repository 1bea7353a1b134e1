'use client';
// Sends a test event, with its data typed as JSON and checked before it is sent.
import Link from 'next/link';
import { useActionState, useState } from 'react';
import { Button } from '@/components/ui/button';
import { Input, Textarea } from '@/components/ui/field';
import { Alert } from '@/components/ui/states';
import { zodFieldErrors } from '@/components/forms';
import { sendEventInput, type ActionState } from './schemas';

const EXAMPLE = '{\n  "paymentId": "00000000-0000-4000-8000-000000000000"\n}';

export function SendEventForm({ action }: { action: (state: ActionState, form: FormData) => Promise<ActionState> }) {
  const [state, formAction, pending] = useActionState(action, {});
  const [name, setName] = useState('');
  const [data, setData] = useState('{}');
  // Checked as the user types, once they have typed or tried to send; the server checks again.
  const [checking, setChecking] = useState(false);
  const check = sendEventInput.safeParse({ name, data });
  const errors = checking && !check.success ? zodFieldErrors(check.error.issues) : (state.fieldErrors ?? {});

  return (
    <form
      action={formAction}
      onSubmit={(event) => {
        setChecking(true);
        if (!check.success) event.preventDefault();
      }}
      className="grid gap-4 lg:grid-cols-[1fr_2fr]"
      aria-label="Send a test event"
    >
      <div className="space-y-4">
        <Input label="Event name" name="name" placeholder="payment/created" value={name} onChange={(event) => setName(event.target.value)} error={errors.name} autoComplete="off" />
        <div className="flex flex-wrap items-center gap-3">
          <Button type="submit" pending={pending}>
            Send event
          </Button>
          <Button type="button" variant="ghost" size="sm" onClick={() => setData(EXAMPLE)}>
            Use example data
          </Button>
        </div>
      </div>
      <Textarea
        label="Data (JSON object)"
        name="data"
        rows={5}
        value={data}
        onChange={(event) => {
          setData(event.target.value);
          setChecking(true);
        }}
        error={errors.data}
        spellCheck={false}
      />
      {state.message && !pending && (
        <div className="lg:col-span-2">
          <Alert tone={state.ok ? 'success' : 'error'}>
            {state.message}
            {state.ok && state.eventId && (
              <>
                {' '}
                <Link className="font-medium underline" href={`/dev/inngest/events/${state.eventId}`}>
                  See the event
                </Link>
              </>
            )}
            {state.runIds?.map((runId) => (
              <span key={runId}>
                {' · '}
                <Link className="font-medium underline" href={`/dev/inngest/runs/${runId}`}>
                  run {runId.slice(-6)}
                </Link>
              </span>
            ))}
          </Alert>
        </div>
      )}
    </form>
  );
}
