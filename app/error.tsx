'use client';
// What a page shows when rendering it failed — most often the database being away. Next.js
// strips the error's message in production, so nothing internal can show; the digest is the
// reference that the server log carries for the same failure.
import { Button, ButtonLink } from '@/components/ui/button';

export default function PageError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <div className="mx-auto max-w-md py-16 text-center" role="alert">
      <h1 className="text-2xl font-semibold">Temporarily unavailable</h1>
      <p className="mt-2 text-slate-600">DirectPay could not load this page just now. Nothing you entered was lost; try again in a moment.</p>
      {error.digest && <p className="mt-2 text-xs text-slate-500">Reference: {error.digest}</p>}
      <div className="mt-6 flex justify-center gap-3">
        <Button onClick={reset}>Try again</Button>
        <ButtonLink href="/" variant="secondary">
          Go home
        </ButtonLink>
      </div>
    </div>
  );
}
