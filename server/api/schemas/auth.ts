import { z } from 'zod';
import { email, text } from './common';
import { textProblem } from '@/server/domain/text';

export const PASSWORD_MIN_LENGTH = 12;

/**
 * A password being chosen (sign-up, password change); the domain adds the rules beyond length.
 * It must be text a person can type back into the sign-in form: the one text rule's characters
 * (server/domain/text.ts: no control characters or line breaks, no bidirectional overrides, no
 * half surrogate pairs) are refused, but it is never normalized or trimmed (a password is
 * compared as sent). Passwords already set and sign-in are not checked against it.
 */
// eslint-disable-next-line no-restricted-syntax -- not prose: a password: any characters the user can type back (newPassword checks them)
export const newPassword = z
  .string()
  .min(PASSWORD_MIN_LENGTH, `must be at least ${PASSWORD_MIN_LENGTH} characters`)
  .max(256, 'must be at most 256 characters')
  .superRefine((value, ctx) => {
    const problem = textProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

export const signUpInput = z.strictObject({
  name: text({ max: 100, missing: 'enter your name' }),
  email,
  password: newPassword,
  role: z.enum(['LANDLORD', 'RENTER'], { error: 'choose landlord or renter' }),
});
export type SignUpInput = z.infer<typeof signUpInput>;

export const signInInput = z.strictObject({
  email,
  // eslint-disable-next-line no-restricted-syntax -- not prose: a password, compared, never stored or shown
  password: z.string().min(1, 'enter your password').max(256),
});
