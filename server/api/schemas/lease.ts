// Input of lease.*: also imported by the portal's forms (the create-lease form validates the
// terms with leaseTermsInput before previewing the schedule), so no server-only imports.
import { z } from 'zod';
import { amountCents, cursorPage, email, id, isoDate } from './common';

export const LEASE_STATUSES = ['PENDING', 'ACTIVE', 'COMPLETED', 'DEFAULTED', 'CANCELLED'] as const;

/** What the schedule depends on: lease.preview takes exactly these. */
export const leaseTermsInput = z.strictObject({
  monthlyRentCents: amountCents,
  startDate: isoDate,
  termMonths: z.number({ error: 'must be a number of months' }).int('must be whole months').min(1, 'must be at least 1 month').max(60, 'must be at most 60 months'),
  dueDay: z.number({ error: 'must be a day of the month' }).int('must be a day of the month').min(1, 'must be between 1 and 31').max(31, 'must be between 1 and 31'),
  prorateFirstMonth: z.boolean({ error: 'must be true or false' }).optional(),
});
export type LeaseTermsInput = z.infer<typeof leaseTermsInput>;

export const createLeaseInput = leaseTermsInput.extend({
  propertyId: id,
  renterEmail: email,
  payoutAccountId: id,
});
export type CreateLeaseInput = z.infer<typeof createLeaseInput>;

export const listLeasesInput = z
  .strictObject({
    ...cursorPage,
    status: z.enum(LEASE_STATUSES, { error: `must be one of ${LEASE_STATUSES.join(', ')}` }).optional(),
    propertyId: id.optional(),
  })
  .prefault({});

export const cancelLeaseInput = z.strictObject({
  id,
  reason: z.string({ error: 'say why the lease is cancelled' }).trim().min(1, 'say why the lease is cancelled').max(500, 'must be at most 500 characters'),
});

export const leaseHistoryInput = z.strictObject({
  id,
  /** Also rebuild the lease as it was at this instant (a Date, or an ISO 8601 string with offset). */
  asOf: z
    .union([z.date(), z.iso.datetime({ offset: true }).transform((value) => new Date(value))], {
      error: 'must be a date and time, e.g. 2027-01-31T12:00:00Z',
    })
    .optional(),
});
