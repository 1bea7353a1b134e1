'use client';
// Consumes a mailed link once the person is signed in, and says what it proved.
import Link from 'next/link';
import { useMutation } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { useTRPC } from '@/components/trpc/react';
import { fieldErrorsOf, messageOf } from '@/components/forms';
import { leasePath } from '@/components/leases/lease-routes';
import { Alert, LoadingRows } from '@/components/ui/states';
import type { Role } from '@/server/generated/prisma/enums';

export function VerifyEmail({ token, role }: { token: string; role: Role }) {
  const trpc = useTRPC();
  const verify = useMutation(trpc.me.verifyEmail.mutationOptions());
  const started = useRef(false);
  useEffect(() => {
    // Once: a link works only once, and React's strict mode runs effects twice in development.
    if (started.current) return;
    started.current = true;
    verify.mutate({ token });
  }, [token, verify]);

  if (verify.isError) {
    // A malformed link: say what is wrong with it in words, not the validator's "Invalid input: token: …".
    const malformed = fieldErrorsOf(verify.error).token?.[0];
    return <Alert tone="error">{malformed ? `${malformed[0]!.toUpperCase()}${malformed.slice(1)}. Open the link in the latest mail, or ask for a new one.` : messageOf(verify.error)}</Alert>;
  }
  if (!verify.data) return <LoadingRows rows={1} label="Confirming your address" />;
  const { email, leaseId } = verify.data;
  return (
    <div className="space-y-3">
      <Alert tone="success">Your address {email} is confirmed.</Alert>
      {leaseId && role === 'RENTER' ? (
        <Link href={leasePath('RENTER', leaseId)} className="font-medium text-brand-600 hover:underline">
          Review the lease you were invited to
        </Link>
      ) : (
        <Link href="/" className="font-medium text-brand-600 hover:underline">
          Go to your dashboard
        </Link>
      )}
    </div>
  );
}
