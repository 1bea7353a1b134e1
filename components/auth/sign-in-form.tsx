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
    const result = await signIn('credentials', { ...parsed.data, redirect: false });
    if (!result || result.error) {
      setPending(false);
      setMessage(
        result?.error === 'TooManyAttempts'
          ? 'Too many sign-in attempts. Wait 15 minutes and try again.'
          : result?.error === 'SignInUnavailable'
            ? 'Signing in is temporarily unavailable. Try again in a moment.'
            : 'Email or password is incorrect.',
      );
      return;
    }
    router.replace(next ?? '/');
    router.refresh();
  }

  return (
    <form onSubmit={onSubmit} noValidate className="space-y-4">
      {message && <Alert tone="error">{message}</Alert>}
      <Input label="Email" name="email" type="email" autoComplete="email" required error={errors.email} />
      <Input label="Password" name="password" type="password" autoComplete="current-password" required error={errors.password} />
      <Button type="submit" pending={pending} className="w-full">
        Sign in
      </Button>
    </form>
  );
}
