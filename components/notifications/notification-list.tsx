'use client';
// The signed-in user's notifications, newest first: open one (which marks it read), mark one
// read, or mark all read. The header's unread count follows, since it reads the same queries.
import Link from 'next/link';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTRPC, useTRPCClient } from '@/components/trpc/react';
import { useCursorPages } from '@/components/trpc/use-cursor-pages';
import { messageOf } from '@/components/forms';
import { formatDateTime } from '@/components/format';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card, CardBody, CardHeader } from '@/components/ui/card';
import { cx } from '@/components/ui/cx';
import { LoadMore } from '@/components/ui/load-more';
import { NOTIFICATION_LIST_INPUT } from './notification-queries';
import { Alert, EmptyState, ErrorState, LoadingRows } from '@/components/ui/states';

const LIST_INPUT = NOTIFICATION_LIST_INPUT;

export function NotificationList() {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const queryClient = useQueryClient();
  const notifications = useCursorPages(trpc.notification.list.infiniteQueryKey(LIST_INPUT), (cursor) => client.notification.list.query({ ...LIST_INPUT, cursor }));
  const invalidate = () => queryClient.invalidateQueries(trpc.notification.pathFilter());
  const markRead = useMutation(trpc.notification.markRead.mutationOptions({ onSuccess: invalidate }));
  const markAllRead = useMutation(trpc.notification.markAllRead.mutationOptions({ onSuccess: invalidate }));
  // The same query as the header's bell, so both move together.
  const unread = useQuery(trpc.notification.unreadCount.queryOptions());
  const unreadCount = unread.data ?? 0;
  const failure = markRead.error ?? markAllRead.error;

  return (
    <Card>
      <CardHeader
        title={unreadCount ? `${unreadCount} unread` : 'All caught up'}
        description="What happened to your payments and leases while you were away."
        actions={
          <Button variant="secondary" size="sm" disabled={unreadCount === 0} pending={markAllRead.isPending} onClick={() => markAllRead.mutate()}>
            Mark all read
          </Button>
        }
      />
      <CardBody className="space-y-3">
        {failure && <Alert tone="error">{messageOf(failure)}</Alert>}
        {notifications.isPending ? (
          <LoadingRows label="Loading notifications" />
        ) : notifications.isError ? (
          <ErrorState message={messageOf(notifications.error)} onRetry={() => void notifications.refetch()} />
        ) : notifications.items.length === 0 ? (
          <EmptyState title="No notifications yet" description="Settled and failed payments, and changes to your leases, show up here." />
        ) : (
          <ul className="divide-y divide-slate-100" aria-label="Notifications">
            {notifications.items.map((notification) => (
              <li key={notification.id} className={cx('flex flex-wrap items-start gap-3 py-3', !notification.readAt && 'font-medium')} data-testid="notification">
                <span aria-hidden className={cx('mt-1.5 h-2 w-2 shrink-0 rounded-full', notification.readAt ? 'bg-transparent' : 'bg-brand-500')} />
                <div className="min-w-0 flex-1">
                  <div className="flex flex-wrap items-center gap-2">
                    {notification.link ? (
                      <Link
                        href={notification.link}
                        // Opening it is reading it; the mutation finishes after the page changes.
                        onClick={() => !notification.readAt && markRead.mutate({ id: notification.id })}
                        className="text-slate-900 hover:text-brand-700 hover:underline"
                      >
                        {notification.title}
                      </Link>
                    ) : (
                      <span className="text-slate-900">{notification.title}</span>
                    )}
                    {!notification.readAt && <Badge tone="blue">New</Badge>}
                  </div>
                  <p className="mt-0.5 text-sm font-normal text-slate-600">{notification.body}</p>
                  <p className="mt-0.5 text-xs font-normal text-slate-600">{formatDateTime(notification.createdAt)}</p>
                </div>
                {!notification.readAt && (
                  <Button
                    variant="ghost"
                    size="sm"
                    pending={markRead.isPending && markRead.variables?.id === notification.id}
                    onClick={() => markRead.mutate({ id: notification.id })}
                  >
                    Mark read
                  </Button>
                )}
              </li>
            ))}
          </ul>
        )}
        <LoadMore pages={notifications} />
      </CardBody>
    </Card>
  );
}
