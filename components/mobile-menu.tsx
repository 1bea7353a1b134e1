'use client';
// The header's menu below the `sm` breakpoint (640 px): a phone has no room for the role's
// links, the user's name and "Sign out" in one row, so a Menu button opens them as a panel
// under the header. It closes on navigation, on Escape (focus back on the button) and on a
// click outside; opening it moves focus to its first link. From `sm` up it is not rendered
// (NavLinks shows the links).
import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { useEffect, useId, useRef, useState } from 'react';
import { isCurrentNavItem, type NavItem } from '@/components/navigation';
import { SignOutButton } from '@/components/sign-out-button';
import { cx } from '@/components/ui/cx';

export function MobileMenu({ items, operatorItems, user }: { items: NavItem[]; operatorItems: NavItem[]; user: { name: string; email: string; roleLabel: string } }) {
  const pathname = usePathname();
  // Open for the page it was opened on: navigating elsewhere closes it without an effect.
  const [openOn, setOpenOn] = useState<string | null>(null);
  const open = openOn === pathname;
  const panelId = useId();
  const buttonRef = useRef<HTMLButtonElement>(null);
  const panelRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!open) return;
    panelRef.current?.querySelector<HTMLElement>('a, button')?.focus();
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== 'Escape') return;
      setOpenOn(null);
      buttonRef.current?.focus();
    };
    const onPointer = (event: PointerEvent) => {
      const target = event.target as Node;
      if (!panelRef.current?.contains(target) && !buttonRef.current?.contains(target)) setOpenOn(null);
    };
    document.addEventListener('keydown', onKey);
    document.addEventListener('pointerdown', onPointer);
    return () => {
      document.removeEventListener('keydown', onKey);
      document.removeEventListener('pointerdown', onPointer);
    };
  }, [open]);

  const link = (item: NavItem) => {
    const active = isCurrentNavItem(pathname, item.href);
    return (
      <li key={item.href}>
        <Link
          href={item.href}
          aria-current={active ? 'page' : undefined}
          // The current page's link does not navigate, so it closes the menu itself.
          onClick={() => setOpenOn(null)}
          className={cx('block rounded-md px-3 py-2.5 text-base font-medium', active ? 'bg-brand-50 text-brand-700' : 'text-slate-700 hover:bg-slate-100 hover:text-slate-900')}
        >
          {item.label}
        </Link>
      </li>
    );
  };

  return (
    <>
      <button
        ref={buttonRef}
        type="button"
        aria-expanded={open}
        aria-controls={panelId}
        onClick={() => setOpenOn(open ? null : pathname)}
        className="inline-flex h-10 items-center gap-2 rounded-md border border-slate-300 bg-white px-3 text-sm font-medium text-slate-800 shadow-sm hover:bg-slate-50 lg:hidden"
        data-testid="menu-button"
      >
        <svg aria-hidden viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" className="h-5 w-5">
          {open ? <path strokeLinecap="round" d="M6 6l12 12M18 6 6 18" /> : <path strokeLinecap="round" d="M4 7h16M4 12h16M4 17h16" />}
        </svg>
        Menu
      </button>
      <div ref={panelRef} id={panelId} hidden={!open} className="order-last w-full border-t border-slate-200 pt-2 lg:hidden" data-testid="menu-panel">
        <nav aria-label="Main">
          <ul className="space-y-1">{items.map(link)}</ul>
          {operatorItems.length > 0 && (
            <>
              <p className="mt-3 px-3 text-xs font-semibold uppercase tracking-wide text-slate-600">Operator</p>
              <ul className="mt-1 space-y-1">{operatorItems.map(link)}</ul>
            </>
          )}
        </nav>
        <div className="mt-3 flex items-center justify-between gap-3 border-t border-slate-200 px-3 py-3">
          <div className="min-w-0 text-sm">
            <div className="truncate font-medium text-slate-900">{user.name}</div>
            <div className="truncate text-slate-600">
              {user.roleLabel} · {user.email}
            </div>
          </div>
          <SignOutButton />
        </div>
      </div>
    </>
  );
}
