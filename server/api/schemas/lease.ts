// Input of lease.*: also imported by the portal's forms (the create-lease form validates the
// terms with leaseTermsInput before previewing the schedule), so no server-only imports.
import { z } from 'zod';
import { amountCents, cursorPage, email, id, isoDate, MAX_CENTS } from './common';

export const LEASE_STATUSES = ['PENDING', 'ACTIVE', 'COMPLETED', 'DEFAULTED', 'CANCELLED'] as const;

/** What the schedule depends on: lease.preview takes exactly these. */
export const leaseTermsInput = z.strictObject({
  monthlyRentCents: amountCents,
  startDate: isoDate,
  termMonths: z.number({ error: 'must be a number of months' }).int('must be whole months').min(1, 'must be at least 1 month').max(60, 'must be at most 60 months'),
  dueDay: z.number({ error: 'must be a day of the month' }).int('must be a day of the month').min(1, 'must be between 1 and 31').max(31, 'must be between 1 and 31'),
  prorateFirstMonth: z.boolean({ error: 'must be true or false' }).optional(),
  /** Days after the due date an installment can still be paid without a late fee. */
  graceDays: z.number({ error: 'must be a number of days' }).int('must be whole days').min(0, 'must be 0 or more').max(60, 'must be at most 60 days').optional(),
  /** Flat late fee in cents. */
  lateFeeFlatCents: z.number({ error: 'must be a number of cents' }).int('must be whole cents').min(0, 'must be 0 or more').max(MAX_CENTS, 'must be at most $1,000,000').optional(),
  /** Late fee as a share of the installment, in basis points (100 = 1 %). */
  lateFeeBasisPoints: z.number({ error: 'must be a number of basis points' }).int('must be whole basis points').min(0, 'must be 0 or more').max(10_000, 'must be at most 10,000 (100 %)').optional(),
  /** Largest late fee in cents; null: no cap. */
  lateFeeCapCents: z.number({ error: 'must be a number of cents' }).int('must be whole cents').min(0, 'must be 0 or more').max(MAX_CENTS, 'must be at most $1,000,000').nullable().optional(),
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
