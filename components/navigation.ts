// What each role sees in the header. One list per role; pages add themselves here.
import type { Role } from '@/server/generated/prisma/enums';

export interface NavItem {
  href: string;
  label: string;
}

export const NAVIGATION: Record<Role, NavItem[]> = {
  LANDLORD: [
    { href: '/landlord', label: 'Dashboard' },
    { href: '/landlord/properties', label: 'Properties' },
    { href: '/landlord/leases', label: 'Leases' },
    { href: '/landlord/payments', label: 'Payments' },
    { href: '/landlord/bank-accounts', label: 'Bank accounts' },
    { href: '/settings', label: 'Settings' },
  ],
  RENTER: [
    { href: '/renter', label: 'Dashboard' },
    { href: '/renter/leases', label: 'Leases' },
    { href: '/renter/payments', label: 'Payments' },
    { href: '/renter/bank-accounts', label: 'Bank accounts' },
    { href: '/settings', label: 'Settings' },
  ],
};

/** What an operator (app/dev/inngest/access.ts) also reaches: from the footer on a desktop, from the phone menu. */
export const OPERATOR_NAVIGATION: NavItem[] = [
  { href: '/dev/inngest', label: 'Background runs' },
  { href: '/dev/mail', label: 'Caught mail' },
];

/** Whether `href` is the page at `pathname` or one of its sub-pages (a role's dashboard only itself). */
export function isCurrentNavItem(pathname: string, href: string): boolean {
  return pathname === href || (href.split('/').length > 2 && pathname.startsWith(href + '/'));
}
