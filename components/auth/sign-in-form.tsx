'use client';
import { signIn } from 'next-auth/react';
import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { signInInput } from '@/server/api/schemas/auth';
import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/field';
import { Alert } from '@/components/ui/states';
import { zodFieldErrors, type FieldErrors } from '@/components/forms';

export function SignInForm({ next }: { next?: string } = {}) {
  const router = useRouter();
  const [errors, setErrors] = useState<FieldErrors>({});
  const [message, setMessage] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const parsed = signInInput.safeParse({ email: form.get('email'), password: form.get('password') });
    setMessage(null);
    if (!parsed.success) {
      setErrors(zodFieldErrors(parsed.error.issues));
      return;
    }
    setErrors({});
    setPending(true);
    // next-auth's client throws when the answer is not next-auth's own (the server's 503 when the
    // database failed as the session was started, a lost connection): the button came back
    // never (found by a stranger), so that is "unavailable" too, as is any 503.
    const result = await signIn('credentials', { ...parsed.data, redirect: false }).catch(() => null);
    if (!result || result.error) {
      setPending(false);
      setMessage(
        result?.error === 'TooManyAttempts'
          ? 'Too many sign-in attempts. Wait 15 minutes and try again.'
          : !result || result.error === 'SignInUnavailable' || result.status === 503
            ? 'Signing in is temporarily unavailable. Try again in a moment.'
            : 'Email or password is incorrect.',
      );
      return;
    }
    router.replace(next ?? '/');
    router.refresh();
  }

  return (
    // method="post": a form submitted before the page's script runs must not put the password in the URL.
    <form method="post" onSubmit={onSubmit} noValidate className="space-y-4">
      {message && <Alert tone="error">{message}</Alert>}
      <Input label="Email" name="email" type="email" autoComplete="email" required error={errors.email} />
      <Input label="Password" name="password" type="password" autoComplete="current-password" required error={errors.password} />
      <Button type="submit" pending={pending} className="w-full">
        Sign in
      </Button>
    </form>
  );
}
