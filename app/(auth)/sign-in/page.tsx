import type { Metadata } from 'next';
import Link from 'next/link';
import { redirect } from 'next/navigation';
import { Card, CardBody } from '@/components/ui/card';
import { SignInForm } from '@/components/auth/sign-in-form';
import { getSessionUser, homeFor } from '@/server/session';

export const metadata: Metadata = { title: 'Sign in' };

export default async function SignInPage() {
  const user = await getSessionUser();
  if (user) redirect(homeFor(user.role));
  return (
    <div className="mx-auto max-w-md">
      <h1 className="mb-6 text-center text-2xl font-semibold tracking-tight">Sign in to DirectPay</h1>
      <Card>
        <CardBody>
          <SignInForm />
        </CardBody>
      </Card>
      <p className="mt-4 text-center text-sm text-slate-600">
        New here?{' '}
        <Link href="/sign-up" className="font-medium text-brand-600 hover:underline">
          Create an account
        </Link>
      </p>
    </div>
  );
}
