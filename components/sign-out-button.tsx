'use client';
import { signOut } from 'next-auth/react';
import { useState } from 'react';
import { Button } from '@/components/ui/button';

/** What the user reads when this browser's session could not be ended. */
const SIGN_OUT_FAILED = 'DirectPay could not confirm your sign-out just now, so you may still be signed in. Try again in a moment.';

/**
 * Ends this browser's session on the server and goes to the sign-in page. When the server could
 * not confirm it (503 while the database is away: the cookie is kept, and the session stays live
 * unless the database ends it on waking, README "Sessions end on the server"), stays on the page
 * and returns SIGN_OUT_FAILED, where
 * next-auth's own signOut went to /sign-in all the same and, still signed in, the user was sent
 * home as if nothing had happened.
 */
export async function signOutHere(): Promise<string | null> {
  try {
    const answer = await signOut({ redirect: false, callbackUrl: '/sign-in' });
    // next-auth answers { url } once it has ended the session; anything else is a refusal.
    if (answer && typeof answer.url === 'string') {
      window.location.href = answer.url;
      return null;
    }
  } catch {
    // The request did not complete: nothing says the session ended.
  }
  return SIGN_OUT_FAILED;
}

export function SignOutButton() {
  const [pending, setPending] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  return (
    <span className="relative inline-flex">
      <Button
        variant="secondary"
        size="sm"
        pending={pending}
        onClick={async () => {
          setPending(true);
          setFailure(null);
          const failed = await signOutHere();
          if (failed) {
            setFailure(failed);
            setPending(false);
          }
        }}
      >
        Sign out
      </Button>
      {failure && (
        <span role="alert" className="absolute right-0 top-full z-30 mt-2 w-64 rounded-md border border-red-200 bg-red-50 px-3 py-2 text-left text-sm text-red-800 shadow-md">
          {failure}
        </span>
      )}
    </span>
  );
}
