// What each role sees in the header. One list per role; pages add themselves here.
import type { Role } from '@/server/generated/prisma/enums';

export interface NavItem {
  href: string;
  label: string;
}

export const NAVIGATION: Record<Role, NavItem[]> = {
  LANDLORD: [
    { href: '/landlord', label: 'Dashboard' },
    { href: '/settings', label: 'Settings' },
  ],
  RENTER: [
    { href: '/renter', label: 'Dashboard' },
    { href: '/settings', label: 'Settings' },
  ],
};
