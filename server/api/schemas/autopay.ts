// Input of autopay.*: also imported by the Autopay card's form, so no server-only imports.
import { z } from 'zod';
import { id } from './common';
import { rail } from './payment';

/** The largest daysBeforeDue (server/domain/autopay.ts MAX_DAYS_BEFORE_DUE; the database checks it too). */
export const MAX_AUTOPAY_DAYS_BEFORE_DUE = 10;

export const enableAutopayInput = z.strictObject({
  leaseId: id,
  fromAccountId: id,
  rail,
  /** The pull settles by this many calendar days before each due date (0–10). */
  daysBeforeDue: z
    .number({ error: 'must be a number of days' })
    .int('must be whole days')
    .min(0, 'must be 0 or more')
    .max(MAX_AUTOPAY_DAYS_BEFORE_DUE, `must be at most ${MAX_AUTOPAY_DAYS_BEFORE_DUE} days`),
});
export type EnableAutopayInput = z.infer<typeof enableAutopayInput>;

export const autopayByLease = z.strictObject({ leaseId: id });
export const skipAutopayInput = z.strictObject({ installmentId: id });
