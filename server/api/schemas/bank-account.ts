// Input of bankAccount.*: also imported by the portal's forms, so it must stay free of
// server-only imports.
import { z } from 'zod';
import { isValidRoutingNumber } from '@/server/domain/routing-number';
import { cursorPage, queryBoolean, text } from './common';

// eslint-disable-next-line no-restricted-syntax -- not prose: digits only, checked by the regex
export const routingNumber = z
  .string({ error: 'enter the 9-digit routing number' })
  .trim()
  .superRefine((value, ctx) => {
    if (!/^\d{9}$/.test(value)) ctx.addIssue({ code: 'custom', message: 'must be 9 digits' });
    else if (!isValidRoutingNumber(value)) ctx.addIssue({ code: 'custom', message: 'is not a valid ABA routing number; check the digits' });
  });

export const createBankAccountInput = z.strictObject({
  nickname: text({ max: 50, missing: 'give the account a nickname' }),
  bankName: text({ max: 100, missing: 'enter the bank’s name' }),
  type: z.enum(['CHECKING', 'SAVINGS'], { error: 'choose checking or savings' }),
  routingNumber,
  // eslint-disable-next-line no-restricted-syntax -- not prose: digits only, checked by the regex
  accountNumber: z
    .string({ error: 'enter the account number' })
    .trim()
    .regex(/^\d{4,17}$/, 'must be 4 to 17 digits'),
});
export type CreateBankAccountInput = z.infer<typeof createBankAccountInput>;

export const listBankAccountsInput = z
  .strictObject({
    ...cursorPage,
    /** Only active (true) or only deactivated (false) accounts; both when left out. */
    active: queryBoolean({ error: 'must be true or false' }).optional(),
  })
  .prefault({});
