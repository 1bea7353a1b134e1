import { authedProcedure, createTRPCRouter } from '@/server/api/trpc';
import { byId } from '@/server/api/schemas/common';
import { listNotificationsInput } from '@/server/api/schemas/notification';
import { listNotifications, markAllNotificationsRead, markNotificationRead, unreadNotificationCount } from '@/server/domain/notifications';

export const notificationRouter = createTRPCRouter({
  /** Newest first, with the unread count. */
  list: authedProcedure.input(listNotificationsInput).query(({ ctx, input }) => listNotifications(ctx.db, ctx.actor, input)),
  unreadCount: authedProcedure.query(({ ctx }) => unreadNotificationCount(ctx.db, ctx.actor)),
  markRead: authedProcedure.input(byId).mutation(({ ctx, input }) => markNotificationRead(ctx.db, ctx.actor, input)),
  markAllRead: authedProcedure.mutation(({ ctx }) => markAllNotificationsRead(ctx.db, ctx.actor)),
});
