'use client';
// The last resort when even the root layout fails (it reads the session, which may need the
// database): a page of its own, with no internals, saying the service is temporarily unavailable.
import './globals.css';

export default function GlobalError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <html lang="en">
      <body className="flex min-h-screen items-center justify-center">
        <div className="max-w-md px-4 text-center" role="alert">
          <h1 className="text-2xl font-semibold">DirectPay is temporarily unavailable</h1>
          <p className="mt-2 text-slate-600">We could not load this page just now. Try again in a moment.</p>
          {error.digest && <p className="mt-2 text-xs text-slate-500">Reference: {error.digest}</p>}
          <button type="button" onClick={reset} className="mt-6 rounded-md bg-slate-900 px-4 py-2 text-sm font-medium text-white">
            Try again
          </button>
        </div>
      </body>
    </html>
  );
}
