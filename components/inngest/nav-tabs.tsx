'use client';
import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { cx } from '@/components/ui/cx';

const TABS = [
  { href: '/dev/inngest', label: 'Runs', matches: (path: string) => path === '/dev/inngest' || path.startsWith('/dev/inngest/runs') },
  { href: '/dev/inngest/events', label: 'Events', matches: (path: string) => path.startsWith('/dev/inngest/events') },
  { href: '/dev/inngest/functions', label: 'Apps & functions', matches: (path: string) => path.startsWith('/dev/inngest/functions') },
];

export function InngestNavTabs() {
  const path = usePathname();
  return (
    <nav aria-label="Background runs" className="mb-6 flex gap-1 border-b border-slate-200">
      {TABS.map((tab) => {
        const active = tab.matches(path);
        return (
          <Link
            key={tab.href}
            href={tab.href}
            aria-current={active ? 'page' : undefined}
            className={cx(
              '-mb-px border-b-2 px-3 py-2 text-sm font-medium',
              active ? 'border-brand-600 text-brand-700' : 'border-transparent text-slate-600 hover:border-slate-300 hover:text-slate-800',
            )}
          >
            {tab.label}
          </Link>
        );
      })}
    </nav>
  );
}
