import Link from 'next/link';
import type { SessionUser } from '@/server/auth';
import { Badge } from '@/components/ui/badge';
import { ButtonLink } from '@/components/ui/button';
import { NAVIGATION, OPERATOR_NAVIGATION } from '@/components/navigation';
import { MobileMenu } from '@/components/mobile-menu';
import { NavLinks } from '@/components/nav-links';
import { NotificationBell } from '@/components/notifications/notification-bell';
import { SignOutButton } from '@/components/sign-out-button';

/** The header: every page of the role from the `sm` breakpoint up (NavLinks), behind a Menu button below it (MobileMenu). `operator`: also the operator's pages, in the phone menu. */
export function AppHeader({ user, operator = false }: { user: SessionUser | null; operator?: boolean }) {
  const roleLabel = user?.role === 'LANDLORD' ? 'Landlord' : 'Renter';
  return (
    <header className="border-b border-slate-200 bg-white print:hidden">
      <div className="mx-auto flex max-w-6xl flex-wrap items-center gap-x-3 gap-y-2 sm:gap-x-6 px-4 py-3 sm:px-6">
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
              <div className="hidden max-w-40 truncate text-right text-sm font-medium text-slate-800 sm:block" title={user.email} data-testid="signed-in-user">
                {user.name}
                <span className="sr-only"> ({user.email})</span>
              </div>
              {/* A wrapper hides it: the Badge's own inline-flex would beat a `hidden` class. The phone menu names the role. */}
              <span className="hidden sm:inline-flex">
                <Badge tone={user.role === 'LANDLORD' ? 'purple' : 'blue'}>{roleLabel}</Badge>
              </span>
              <div className="hidden sm:block">
                <SignOutButton />
              </div>
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
        {/* Its button beside the bell, its panel (order-last) as a full-width row under them. */}
        {user && <MobileMenu items={NAVIGATION[user.role]} operatorItems={operator ? OPERATOR_NAVIGATION : []} user={{ name: user.name, email: user.email, roleLabel }} />}
      </div>
    </header>
  );
}
