'use client';
// The sign-up link for a renter invited by email who has no account yet: signing up with
// that email attaches the lease to them. DirectPay sends no email itself, so the landlord
// passes the link on.
import { useState } from 'react';
import { Button } from '@/components/ui/button';

export function InvitationLink({ email }: { email: string }) {
  const href = `/sign-up?${new URLSearchParams({ email, role: 'RENTER' })}`;
  const [copied, setCopied] = useState(false);

  async function copy() {
    await navigator.clipboard.writeText(new URL(href, window.location.href).toString());
    setCopied(true);
  }

  return (
    <div className="flex flex-wrap items-center gap-2 rounded-md border border-slate-200 bg-slate-50 px-3 py-2">
      <a href={href} className="min-w-0 flex-1 truncate font-mono text-xs text-brand-700 hover:underline" data-testid="invitation-link">
        {href}
      </a>
      <Button variant="secondary" size="sm" onClick={() => void copy()}>
        {copied ? 'Copied' : 'Copy link'}
      </Button>
    </div>
  );
}
