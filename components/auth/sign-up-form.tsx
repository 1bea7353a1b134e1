'use client';
import { useMutation } from '@tanstack/react-query';
import { signIn } from 'next-auth/react';
import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { PASSWORD_MIN_LENGTH, signUpInput } from '@/server/api/schemas/auth';
import { useTRPC } from '@/components/trpc/react';
import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/field';
import { Alert } from '@/components/ui/states';
import { cx } from '@/components/ui/cx';
import { formErrors, zodFieldErrors, type FieldErrors } from '@/components/forms';

type Role = 'LANDLORD' | 'RENTER';

export function SignUpForm({ initialEmail, initialRole, next }: { initialEmail: string; initialRole?: Role; next?: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const [role, setRole] = useState<Role | undefined>(initialRole);
  const [clientErrors, setClientErrors] = useState<FieldErrors>({});
  const signUp = useMutation(trpc.auth.signUp.mutationOptions());
  const [signingIn, setSigningIn] = useState(false);

  const { errors, topMessage } = formErrors(signUp.error, clientErrors);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const input = { name: form.get('name'), email: form.get('email'), password: form.get('password'), role };
    const parsed = signUpInput.safeParse(input);
    if (!parsed.success) {
      setClientErrors(zodFieldErrors(parsed.error.issues));
      return;
    }
    setClientErrors({});
    signUp.reset();
    try {
      await signUp.mutateAsync(parsed.data);
    } catch {
      return;
    }
    setSigningIn(true);
    await signIn('credentials', { email: parsed.data.email, password: parsed.data.password, redirect: false });
    router.replace(next ?? '/');
    router.refresh();
  }

  return (
    // method="post": a form submitted before the page's script runs must not put the password in the URL.
    <form method="post" onSubmit={onSubmit} noValidate className="space-y-4">
      {topMessage && <Alert tone="error">{topMessage}</Alert>}
      <fieldset>
        <legend className="mb-1 block text-sm font-medium text-slate-700">I am a</legend>
        <div className="grid grid-cols-2 gap-2">
          {(
            [
              ['LANDLORD', 'Landlord', 'I list properties and get paid'],
              ['RENTER', 'Renter', 'I pay rent'],
            ] as const
          ).map(([value, label, description]) => (
            <label
              key={value}
              className={cx(
                'cursor-pointer rounded-md border p-3 text-sm',
                role === value ? 'border-brand-500 bg-brand-50 ring-1 ring-brand-500' : 'border-slate-300 bg-white hover:bg-slate-50',
              )}
            >
              <input type="radio" name="role" value={value} checked={role === value} onChange={() => setRole(value)} className="sr-only" />
              <span className="block font-semibold text-slate-900">{label}</span>
              <span className="block text-xs text-slate-600">{description}</span>
            </label>
          ))}
        </div>
        {errors.role && (
          <p role="alert" className="mt-1 text-sm text-red-600">
            {errors.role[0]}
          </p>
        )}
      </fieldset>
      <Input label="Full name" name="name" autoComplete="name" required maxLength={100} error={errors.name} />
      <Input label="Email" name="email" type="email" autoComplete="email" required defaultValue={initialEmail} error={errors.email} />
      <Input
        label="Password"
        name="password"
        type="password"
        autoComplete="new-password"
        required
        error={errors.password}
        hint={`At least ${PASSWORD_MIN_LENGTH} characters. A passphrase works well.`}
      />
      <Button type="submit" pending={signUp.isPending || signingIn} className="w-full">
        Create account
      </Button>
    </form>
  );
}
