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
              <div className="text-right leading-tight" data-testid="signed-in-user">
                <div className="text-sm font-medium text-slate-800">{user.name}</div>
                <div className="text-xs text-slate-500">{user.email}</div>
              </div>
              <Badge tone={user.role === 'LANDLORD' ? 'purple' : 'blue'}>{user.role === 'LANDLORD' ? 'Landlord' : 'Renter'}</Badge>
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
