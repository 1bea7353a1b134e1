'use client';
// The header's bell: how many notifications are unread, asked again every 10 seconds (and
// whenever a page marks some read, through the shared query).
import Link from 'next/link';
import { useQuery } from '@tanstack/react-query';
import { useTRPC } from '@/components/trpc/react';

export const UNREAD_POLL_MS = 10_000;

export function NotificationBell() {
  const trpc = useTRPC();
  const unread = useQuery(trpc.notification.unreadCount.queryOptions(undefined, { refetchInterval: UNREAD_POLL_MS }));
  const count = unread.data ?? 0;
  return (
    <Link
      href="/notifications"
      aria-label={count ? `Notifications, ${count} unread` : 'Notifications'}
      className="relative grid h-9 w-9 place-items-center rounded-md text-slate-600 hover:bg-slate-100 hover:text-slate-900"
      data-testid="notification-bell"
    >
      <svg aria-hidden viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="1.8" className="h-5 w-5">
        <path strokeLinecap="round" strokeLinejoin="round" d="M14.5 18a2.5 2.5 0 0 1-5 0M18 16V11a6 6 0 1 0-12 0v5l-1.5 2h15L18 16Z" />
      </svg>
      {count > 0 && (
        <span data-testid="unread-count" className="absolute -right-0.5 -top-0.5 min-w-5 rounded-full bg-red-600 px-1 text-center text-xs font-semibold leading-5 text-white">
          {count > 99 ? '99+' : count}
        </span>
      )}
    </Link>
  );
}
