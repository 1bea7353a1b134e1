import Link from 'next/link';
import type { SessionUser } from '@/server/auth';
import { Badge } from '@/components/ui/badge';
import { ButtonLink } from '@/components/ui/button';
import { NAVIGATION } from '@/components/navigation';
import { NavLinks } from '@/components/nav-links';
import { NotificationBell } from '@/components/notifications/notification-bell';
import { SignOutButton } from '@/components/sign-out-button';

export function AppHeader({ user }: { user: SessionUser | null }) {
  return (
    <header className="border-b border-slate-200 bg-white print:hidden">
      <div className="mx-auto flex max-w-6xl flex-wrap items-center gap-x-6 gap-y-2 px-4 py-3 sm:px-6">
        <Link href="/" className="flex items-center gap-2 text-lg font-bold tracking-tight text-brand-700">
          <span aria-hidden className="grid h-7 w-7 place-items-center rounded-md bg-brand-600 text-sm text-white">
            D
          </span>
          DirectPay
        </Link>
        {user && <NavLinks items={NAVIGATION[user.role]} />}
        <div className="ml-auto flex items-center gap-3">
          {user ? (
            <>
              <NotificationBell />
              {/* The email only as a tooltip: long addresses pushed the header onto two lines. */}
              <div className="max-w-40 truncate text-right text-sm font-medium text-slate-800" title={user.email} data-testid="signed-in-user">
                {user.name}
                <span className="sr-only"> ({user.email})</span>
              </div>
              <Badge tone={user.role === 'LANDLORD' ? 'purple' : 'blue'} className="hidden sm:inline-flex">
                {user.role === 'LANDLORD' ? 'Landlord' : 'Renter'}
              </Badge>
              <SignOutButton />
            </>
          ) : (
            <>
              <ButtonLink href="/sign-in" variant="ghost" size="sm">
                Sign in
              </ButtonLink>
              <ButtonLink href="/sign-up" size="sm">
                Create account
              </ButtonLink>
            </>
          )}
        </div>
      </div>
    </header>
  );
}
