'use client';
// What a route segment shows while its page renders on the server (`loading.tsx`) and when
// rendering it failed (`error.tsx`): a skeleton, or a plain message with a retry. Next strips
// a server error's message in production and we show none of it anyway — never internals;
// the digest is the reference the server log carries for the same failure.
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useTransition } from 'react';
import { Button, ButtonLink } from './button';
import { PageHeader } from './card';
import { LoadingRows } from './states';

/** The skeleton of a page of `what` ("leases", "payments", …) while it loads. */
export function SegmentLoading({ what }: { what: string }) {
  return (
    <div aria-busy="true">
      <div className="mb-6 space-y-2">
        <div className="h-7 w-56 animate-pulse rounded bg-slate-200" />
        <div className="h-4 w-80 max-w-full animate-pulse rounded bg-slate-100" />
      </div>
      <div className="rounded-lg border border-slate-200 bg-white shadow-sm">
        <LoadingRows rows={5} label={`Loading ${what}`} />
      </div>
    </div>
  );
}

/** `error.tsx` of a segment about `what`: says it could not load, and tries again (asking the server afresh). */
export function SegmentError({ error, reset, what }: { error: Error & { digest?: string }; reset: () => void; what: string }) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  return (
    <div className="mx-auto max-w-md py-16 text-center" role="alert">
      <h1 className="text-2xl font-semibold">Could not load {what}</h1>
      <p className="mt-2 text-slate-600">Something went wrong on our side. Nothing you entered was lost; try again in a moment.</p>
      {error.digest && <p className="mt-2 text-xs text-slate-500">Reference: {error.digest}</p>}
      <div className="mt-6 flex justify-center gap-3">
        <Button
          pending={pending}
          onClick={() =>
            startTransition(() => {
              router.refresh();
              reset();
            })
          }
        >
          Try again
        </Button>
        <ButtonLink href="/" variant="secondary">
          Go home
        </ButtonLink>
      </div>
    </div>
  );
}

/**
 * A segment's `not-found.tsx` for a record (a lease, a payment, a property) that does not exist or
 * is not the caller's: nothing to retry, a heading that says so and the way back to the list.
 */
export function RecordNotFound({ title, back }: { title: string; back: { href: string; label: string } }) {
  return (
    <div className="space-y-4">
      <PageHeader title={title} description="It does not exist, or it is not one of yours." />
      <Link href={back.href} className="text-sm font-medium text-brand-700 hover:underline">
        {back.label}
      </Link>
    </div>
  );
}
