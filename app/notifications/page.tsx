import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { NotificationList } from '@/components/notifications/notification-list';
import { PageHeader } from '@/components/ui/card';
import { getSessionUser } from '@/server/session';

export const metadata: Metadata = { title: 'Notifications' };

export default async function NotificationsPage() {
  const user = await getSessionUser();
  if (!user) redirect('/sign-in');
  return (
    <>
      <PageHeader title="Notifications" description="Payments that settled or failed, and changes to your leases." />
      <NotificationList />
    </>
  );
}
