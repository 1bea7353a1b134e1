// In-portal notifications: what happened to a person's money while they were away. Each
// notice is also mailed to its person unless they opted out of its kind (mail.ts).
import type { Tx } from '@/server/db';
import { insertRows, type ColumnTypes } from '@/server/insert-rows';
import type { Actor } from './actor';
import { notFound } from './errors';
import { queueNoticeEmails } from './mail';
import { pageArgs, toPage, type Page, type PageInput } from './pagination';

export interface NewNotification {
  userId: string;
  type: string;
  title: string;
  body: string;
  link?: string;
}

const NOTIFICATION_COLUMNS: ColumnTypes<NewNotification> = { userId: 'uuid', type: 'text', title: 'text', body: 'text', link: 'text' };

/** Writes the notices and queues their emails, in the caller's transaction. */
export async function notify(tx: Tx, notifications: NewNotification[]): Promise<void> {
  if (!notifications.length) return;
  await insertRows(tx, 'Notification', NOTIFICATION_COLUMNS, notifications, { computed: { id: 'gen_random_uuid()' } });
  await queueNoticeEmails(tx, notifications);
}

const view = { id: true, type: true, title: true, body: true, link: true, readAt: true, createdAt: true } as const;

export interface NotificationView {
  id: string;
  type: string;
  title: string;
  body: string;
  link: string | null;
  readAt: Date | null;
  createdAt: Date;
}

export async function listNotifications(tx: Tx, actor: Actor, input: PageInput & { unreadOnly?: boolean }): Promise<Page<NotificationView> & { unreadCount: number }> {
  const [rows, unreadCount] = await Promise.all([
    tx.notification.findMany({ where: { userId: actor.id, ...(input.unreadOnly ? { readAt: null } : {}) }, select: view, ...pageArgs(input) }),
    unreadNotificationCount(tx, actor),
  ]);
  return { ...toPage(rows, input.limit), unreadCount };
}

export function unreadNotificationCount(tx: Tx, actor: Actor): Promise<number> {
  return tx.notification.count({ where: { userId: actor.id, readAt: null } });
}

export async function markNotificationRead(tx: Tx, actor: Actor, input: { id: string }): Promise<NotificationView> {
  await tx.notification.updateMany({ where: { id: input.id, userId: actor.id, readAt: null }, data: { readAt: new Date() } });
  const notification = await tx.notification.findFirst({ where: { id: input.id, userId: actor.id }, select: view });
  if (!notification) throw notFound('Notification');
  return notification;
}

export async function markAllNotificationsRead(tx: Tx, actor: Actor): Promise<{ count: number }> {
  return tx.notification.updateMany({ where: { userId: actor.id, readAt: null }, data: { readAt: new Date() } });
}
