import { z } from 'zod';
import { email, text } from './common';

export const PASSWORD_MIN_LENGTH = 12;

/** A password being chosen (sign-up, password change); the domain adds the rules beyond length. */
export const newPassword = z
  .string()
  .min(PASSWORD_MIN_LENGTH, `must be at least ${PASSWORD_MIN_LENGTH} characters`)
  .max(256, 'must be at most 256 characters');

export const signUpInput = z.strictObject({
  name: text({ max: 100, missing: 'enter your name' }),
  email,
  password: newPassword,
  role: z.enum(['LANDLORD', 'RENTER'], { error: 'choose landlord or renter' }),
});
export type SignUpInput = z.infer<typeof signUpInput>;

export const signInInput = z.strictObject({
  email,
  password: z.string().min(1, 'enter your password').max(256),
});
