import { z } from 'zod';
import { newPassword, signUpInput } from './auth';

export const changePasswordInput = z.strictObject({
  // eslint-disable-next-line no-restricted-syntax -- not prose: a password, compared, never stored or shown
  currentPassword: z.string().min(1, 'enter your current password').max(256, 'must be at most 256 characters'),
  newPassword,
});
export type ChangePasswordInput = z.infer<typeof changePasswordInput>;

/** The same name rule as sign-up. */
export const updateNameInput = signUpInput.pick({ name: true });

export const setEmailPreferencesInput = z.strictObject({
  /** Notice kind → whether it comes by email; kinds not named keep their setting. */
  // eslint-disable-next-line no-restricted-syntax -- not prose: notice kinds, keys checked against the known kinds
  email: z.record(z.string().max(60), z.boolean({ error: 'must be true or false' })),
});

export const verifyEmailInput = z.strictObject({
  // eslint-disable-next-line no-restricted-syntax -- not prose: a one-time link token, looked up, never stored or shown
  token: z.string({ error: 'the link has no token' }).trim().min(20, 'this link is not complete').max(200, 'this link is not valid'),
});
