import type { Metadata } from 'next';
import Link from 'next/link';
import { redirect } from 'next/navigation';
import { Card, CardBody } from '@/components/ui/card';
import { SignInForm } from '@/components/auth/sign-in-form';
import { getSessionUser, homeFor } from '@/server/session';
import { nextPath } from '@/components/auth/next-path';

export const metadata: Metadata = { title: 'Sign in' };

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ next?: string }> }) {
  const next = nextPath((await searchParams).next);
  const user = await getSessionUser();
  if (user) redirect(next ?? homeFor(user.role));
  return (
    <div className="mx-auto max-w-md">
      <h1 className="mb-6 text-center text-2xl font-semibold tracking-tight">Sign in to DirectPay</h1>
      <Card>
        <CardBody>
          <SignInForm next={next} />
        </CardBody>
      </Card>
      <p className="mt-4 text-center text-sm text-slate-600">
        New here?{' '}
        <Link href={next ? `/sign-up?${new URLSearchParams({ next })}` : '/sign-up'} className="font-medium text-brand-600 hover:underline">
          Create an account
        </Link>
      </p>
    </div>
  );
}
