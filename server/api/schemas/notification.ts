import { z } from 'zod';
import { cursorPage } from './common';

export const listNotificationsInput = z.strictObject({ ...cursorPage, unreadOnly: z.boolean().optional() }).prefault({});
