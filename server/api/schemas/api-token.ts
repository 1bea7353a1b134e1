// Input of apiToken.create: also read by the Settings form, so the form offers what the API accepts.
import { z } from 'zod';
import { ApiTokenScope } from '@/server/generated/prisma/enums';
import { text } from './common';

/** What a new token may call unless the caller asks for more: queries only (least privilege). */
export const DEFAULT_API_TOKEN_SCOPE = ApiTokenScope.READ;

/**
 * How long a new token works, in days of 24 hours counted from its creation: at least 1, at
 * most 365, 90 unless the caller says. (The migration that added expiry gave existing tokens
 * the same 90.)
 */
export const API_TOKEN_LIFETIME_DAYS = { min: 1, max: 365, default: 90 } as const;

const LIFETIME = `must be a whole number of days from ${API_TOKEN_LIFETIME_DAYS.min} to ${API_TOKEN_LIFETIME_DAYS.max}`;

export const createApiTokenInput = z.strictObject({
  name: text({ max: 100, missing: 'name the token after the program that uses it' }),
  scope: z.enum(ApiTokenScope, { error: `must be one of ${Object.values(ApiTokenScope).join(', ')}` }).default(DEFAULT_API_TOKEN_SCOPE),
  expiresInDays: z
    .number({ error: LIFETIME })
    .int(LIFETIME)
    .min(API_TOKEN_LIFETIME_DAYS.min, LIFETIME)
    .max(API_TOKEN_LIFETIME_DAYS.max, LIFETIME)
    .default(API_TOKEN_LIFETIME_DAYS.default),
});
export type CreateApiTokenInput = z.output<typeof createApiTokenInput>;
