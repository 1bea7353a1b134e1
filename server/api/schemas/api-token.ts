import { z } from 'zod';

export const createApiTokenInput = z.strictObject({
  name: z.string().trim().min(1, 'name the token after the program that uses it').max(100, 'must be at most 100 characters'),
});
