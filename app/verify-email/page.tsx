// Where mailed links land (lease invitations and verification mails). Signed out: sign in or
// sign up with the address the mail went to, then come back here. Signed in: the link is
// consumed (me.verifyEmail) and an invitation opens its lease.
import type { Metadata } from 'next';
import Link from 'next/link';
import { Card, CardBody } from '@/components/ui/card';
import { VerifyEmail } from '@/components/settings/verify-email';
import { getSessionUser } from '@/server/session';

export const metadata: Metadata = { title: 'Confirm your email' };

export default async function VerifyEmailPage({ searchParams }: { searchParams: Promise<{ token?: string }> }) {
  const { token } = await searchParams;
  const user = await getSessionUser();
  const here = `/verify-email?${new URLSearchParams({ token: token ?? '' })}`;
  return (
    <div className="mx-auto max-w-md">
      <h1 className="mb-6 text-center text-2xl font-semibold tracking-tight">Confirm your email</h1>
      <Card>
        <CardBody className="space-y-4 text-sm text-slate-700">
          {!token ? (
            <p>This link is not complete. Open the link from the email again.</p>
          ) : user ? (
            <VerifyEmail token={token} role={user.role} />
          ) : (
            <>
              <p>Sign in with the address this email was sent to — or create a renter account with it — to continue.</p>
              <div className="flex gap-3">
                <Link href={`/sign-in?${new URLSearchParams({ next: here })}`} className="font-medium text-brand-600 hover:underline">
                  Sign in
                </Link>
                <Link href={`/sign-up?${new URLSearchParams({ role: 'RENTER', next: here })}`} className="font-medium text-brand-600 hover:underline">
                  Create a renter account
                </Link>
              </div>
            </>
          )}
        </CardBody>
      </Card>
    </div>
  );
}
