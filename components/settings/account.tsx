'use client';
// Settings → Account: change your name, change the password (ends every other session) and
// sign out everywhere (ends every session, this one included, then leaves for the sign-in page).
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { signOut } from 'next-auth/react';
import { useState, type FormEvent } from 'react';
import { PASSWORD_MIN_LENGTH } from '@/server/api/schemas/auth';
import { changePasswordInput, updateNameInput } from '@/server/api/schemas/me';
import { useTRPC } from '@/components/trpc/react';
import { Button } from '@/components/ui/button';
import { Card, CardBody, CardHeader } from '@/components/ui/card';
import { Input } from '@/components/ui/field';
import { Alert, ErrorState } from '@/components/ui/states';
import { formErrors, messageOf, zodFieldErrors, type FieldErrors } from '@/components/forms';

const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;

export function AccountSettings() {
  return (
    <Card>
      <CardHeader title="Account" description="Your name, your password and where you are signed in." />
      <CardBody className="space-y-8">
        <ChangeName />
        <ChangePassword />
        <SignOutEverywhere />
      </CardBody>
    </Card>
  );
}

function ChangeName() {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const me = useQuery(trpc.me.get.queryOptions());
  const [draft, setDraft] = useState<string | null>(null);
  const change = useMutation(
    trpc.me.updateName.mutationOptions({
      onSuccess: async () => {
        setDraft(null);
        await queryClient.invalidateQueries(trpc.me.pathFilter());
        // The header is rendered on the server from the account: read it afresh.
        router.refresh();
      },
    }),
  );
  const [clientErrors, setClientErrors] = useState<FieldErrors>({});
  const { errors, topMessage } = formErrors(change.error, clientErrors);
  const name = draft ?? me.data?.name ?? '';

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    change.reset();
    const parsed = updateNameInput.safeParse({ name });
    if (!parsed.success) {
      setClientErrors(zodFieldErrors(parsed.error.issues));
      return;
    }
    setClientErrors({});
    change.mutate(parsed.data);
  }

  return (
    <form onSubmit={onSubmit} noValidate className="max-w-md space-y-4" aria-labelledby="change-name-title">
      <h3 id="change-name-title" className="text-sm font-semibold text-slate-900">
        Your name
      </h3>
      {topMessage && <Alert tone="error">{topMessage}</Alert>}
      {change.isSuccess && <Alert tone="success">Saved: you appear as {change.data.name}{change.data.name.endsWith('.') ? '' : '.'}</Alert>}
      <Input
        label="Name"
        name="name"
        autoComplete="name"
        maxLength={100}
        value={name}
        onChange={(event) => setDraft(event.target.value)}
        error={errors.name}
        hint="Shown to the other party of your leases and payments."
      />
      <Button type="submit" variant="secondary" pending={change.isPending} disabled={!me.data}>
        Save name
      </Button>
    </form>
  );
}

function ChangePassword() {
  const trpc = useTRPC();
  const change = useMutation(trpc.me.changePassword.mutationOptions());
  const [clientErrors, setClientErrors] = useState<FieldErrors>({});
  const { errors, topMessage } = formErrors(change.error, clientErrors);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    const parsed = changePasswordInput.safeParse({ currentPassword: data.get('currentPassword'), newPassword: data.get('newPassword') });
    if (!parsed.success) {
      setClientErrors(zodFieldErrors(parsed.error.issues));
      return;
    }
    setClientErrors({});
    change.reset();
    try {
      await change.mutateAsync(parsed.data);
    } catch {
      return;
    }
    form.reset();
  }

  return (
    // method="post": a form submitted before the page's script runs must not put a password in the URL.
    <form method="post" onSubmit={onSubmit} noValidate className="max-w-md space-y-4" aria-labelledby="change-password-title">
      <h3 id="change-password-title" className="text-sm font-semibold text-slate-900">
        Change password
      </h3>
      {topMessage && <Alert tone="error">{topMessage}</Alert>}
      {change.data && (
        <Alert tone="success">
          Password changed. {change.data.sessionsEnded ? `Signed out ${plural(change.data.sessionsEnded, 'other session')}; ` : ''}this browser stays signed in.
        </Alert>
      )}
      <Input label="Current password" name="currentPassword" type="password" autoComplete="current-password" error={errors.currentPassword} />
      <Input
        label="New password"
        name="newPassword"
        type="password"
        autoComplete="new-password"
        hint={`At least ${PASSWORD_MIN_LENGTH} characters. Every other browser signed in as you is signed out.`}
        error={errors.newPassword}
      />
      <Button type="submit" pending={change.isPending}>
        Change password
      </Button>
    </form>
  );
}

function SignOutEverywhere() {
  const trpc = useTRPC();
  const [confirming, setConfirming] = useState(false);
  const everywhere = useMutation(
    trpc.me.signOutEverywhere.mutationOptions({
      // The server has ended this session too; next-auth then drops the cookie here.
      onSuccess: () => void signOut({ callbackUrl: '/sign-in' }),
    }),
  );
  return (
    <section className="space-y-3" aria-labelledby="sign-out-everywhere-title">
      <h3 id="sign-out-everywhere-title" className="text-sm font-semibold text-slate-900">
        Sign out everywhere
      </h3>
      <p className="text-sm text-slate-600">Ends every session signed in as you, on every device, this one included. API tokens keep working; revoke them under{' '}
        <a href="#api-tokens" className="font-medium text-brand-700 hover:underline">
          API tokens
        </a>
        .
      </p>
      {everywhere.error && <ErrorState message={messageOf(everywhere.error)} />}
      {confirming ? (
        <div className="flex flex-wrap gap-2">
          <Button variant="danger" pending={everywhere.isPending || everywhere.isSuccess} onClick={() => everywhere.mutate()}>
            Yes, sign out everywhere
          </Button>
          <Button variant="secondary" disabled={everywhere.isPending} onClick={() => setConfirming(false)}>
            Keep me signed in
          </Button>
        </div>
      ) : (
        <Button variant="secondary" onClick={() => setConfirming(true)}>
          Sign out everywhere…
        </Button>
      )}
    </section>
  );
}
