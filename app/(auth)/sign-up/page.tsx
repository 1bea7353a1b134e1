import type { Metadata } from 'next';
import Link from 'next/link';
import { redirect } from 'next/navigation';
import { Card, CardBody } from '@/components/ui/card';
import { SignUpForm } from '@/components/auth/sign-up-form';
import { getSessionUser, homeFor } from '@/server/session';
import { nextPath } from '@/components/auth/next-path';

export const metadata: Metadata = { title: 'Create an account' };

export default async function SignUpPage({ searchParams }: { searchParams: Promise<{ email?: string; role?: string; next?: string }> }) {
  const { email, role, next: rawNext } = await searchParams;
  const next = nextPath(rawNext);
  const user = await getSessionUser();
  if (user) redirect(next ?? homeFor(user.role));
  return (
    <div className="mx-auto max-w-md">
      <h1 className="mb-6 text-center text-2xl font-semibold tracking-tight">Create your DirectPay account</h1>
      <Card>
        <CardBody>
          <SignUpForm initialEmail={email ?? ''} initialRole={role === 'LANDLORD' ? 'LANDLORD' : role === 'RENTER' ? 'RENTER' : undefined} next={next} />
        </CardBody>
      </Card>
      <p className="mt-4 text-center text-sm text-slate-600">
        Already have an account?{' '}
        <Link href={next ? `/sign-in?${new URLSearchParams({ next })}` : '/sign-in'} className="font-medium text-brand-600 hover:underline">
          Sign in
        </Link>
      </p>
    </div>
  );
}
