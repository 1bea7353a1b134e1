import type { Metadata } from 'next';
import { HydrateClient } from '@/components/trpc/hydrate';
import { NOTIFICATION_LIST_INPUT } from '@/components/notifications/notification-queries';
import { prefetch, prefetchFirstPage, trpcServer } from '@/server/api/caller';
import { NotificationList } from '@/components/notifications/notification-list';
import { PageHeader } from '@/components/ui/card';
import { requireUser } from '@/server/session';

export const metadata: Metadata = { title: 'Notifications' };

export default async function NotificationsPage() {
  await requireUser(); // the layout has checked too; pages render beside it, not after it
  await Promise.all([
    prefetchFirstPage(trpcServer.notification.list.infiniteQueryKey(NOTIFICATION_LIST_INPUT), trpcServer.notification.list.queryOptions(NOTIFICATION_LIST_INPUT)),
    prefetch(trpcServer.notification.unreadCount.queryOptions()),
  ]);
  return (
    <>
      <PageHeader title="Notifications" description="What happened to your payments and leases that needs your attention, newest first." />
      <HydrateClient>
        <NotificationList />
      </HydrateClient>
    </>
  );
}
