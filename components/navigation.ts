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
