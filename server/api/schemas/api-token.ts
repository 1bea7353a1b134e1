import { z } from 'zod';
import { text } from './common';

export const createApiTokenInput = z.strictObject({
  name: text({ max: 100, missing: 'name the token after the program that uses it' }),
});
