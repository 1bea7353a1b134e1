import { z } from 'zod';
import { email } from './common';

export const PASSWORD_MIN_LENGTH = 12;

/** A password being chosen (sign-up, password change); the domain adds the rules beyond length. */
export const newPassword = z
  .string()
  .min(PASSWORD_MIN_LENGTH, `must be at least ${PASSWORD_MIN_LENGTH} characters`)
  .max(256, 'must be at most 256 characters');

export const signUpInput = z.strictObject({
  name: z.string().trim().min(1, 'enter your name').max(100, 'must be at most 100 characters'),
  email,
  password: newPassword,
  role: z.enum(['LANDLORD', 'RENTER'], { error: 'choose landlord or renter' }),
});
export type SignUpInput = z.infer<typeof signUpInput>;

export const signInInput = z.strictObject({
  email,
  password: z.string().min(1, 'enter your password').max(256),
});
