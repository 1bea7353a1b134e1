'use client';
import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { isCurrentNavItem, type NavItem } from '@/components/navigation';
import { cx } from '@/components/ui/cx';

/** The header's links from the `lg` breakpoint (1024 px) up; below it the Menu (mobile-menu.tsx) holds them: six links, the name and Sign out do not fit one row narrower. */
export function NavLinks({ items }: { items: NavItem[] }) {
  const pathname = usePathname();
  return (
    <nav aria-label="Main" className="order-last hidden w-full gap-1 overflow-x-auto lg:order-none lg:flex lg:w-auto">
      {items.map((item) => {
        const active = isCurrentNavItem(pathname, item.href);
        return (
          <Link
            key={item.href}
            href={item.href}
            aria-current={active ? 'page' : undefined}
            className={cx('whitespace-nowrap rounded-md px-3 py-1.5 text-sm font-medium', active ? 'bg-brand-50 text-brand-700' : 'text-slate-600 hover:bg-slate-100 hover:text-slate-900')}
          >
            {item.label}
          </Link>
        );
      })}
    </nav>
  );
}
