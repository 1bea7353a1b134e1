import { z } from 'zod';
import { newPassword } from './auth';

export const changePasswordInput = z.strictObject({
  currentPassword: z.string().min(1, 'enter your current password').max(256, 'must be at most 256 characters'),
  newPassword,
});
export type ChangePasswordInput = z.infer<typeof changePasswordInput>;
