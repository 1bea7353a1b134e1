// The input the notifications page reads with, shared by its server prefetch and the list.

/** notification.list, first page. */
export const NOTIFICATION_LIST_INPUT = { limit: 20 };
