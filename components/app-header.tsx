import Link from 'next/link';
import type { SessionUser } from '@/server/auth';
import { ButtonLink } from '@/components/ui/button';
import { NAVIGATION, OPERATOR_NAVIGATION } from '@/components/navigation';
import { MobileMenu } from '@/components/mobile-menu';
import { NavLinks } from '@/components/nav-links';
import { NotificationBell } from '@/components/notifications/notification-bell';
import { SignOutButton } from '@/components/sign-out-button';

/** The header, on one row at every width: every page of the role from the `lg` breakpoint up (NavLinks), behind a Menu button below it (MobileMenu). `operator`: also the operator's pages, in the phone menu. */
export function AppHeader({ user, operator = false }: { user: SessionUser | null; operator?: boolean }) {
  const roleLabel = user?.role === 'LANDLORD' ? 'Landlord' : 'Renter';
  return (
    <header className="border-b border-slate-200 bg-white print:hidden">
      <div className="mx-auto flex max-w-6xl flex-wrap items-center gap-x-3 gap-y-2 lg:gap-x-4 px-4 py-3 sm:px-6">
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
              {/* The name and role from xl up (the Menu names both below lg), the email only as a tooltip: more pushed the header onto two lines. */}
              <div className="hidden max-w-32 text-right leading-tight xl:block" title={user.email} data-testid="signed-in-user">
                <div className="truncate text-sm font-medium text-slate-800">
                  {user.name}
                  <span className="sr-only"> ({user.email})</span>
                </div>
                <div className="text-xs text-slate-500">{roleLabel}</div>
              </div>
              <div className="hidden lg:block">
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
