// Input of lease.*: also imported by the portal's forms (the create-lease form validates the
// terms with leaseTermsInput before previewing the schedule), so no server-only imports.
import { z } from 'zod';
import { amountCents, asOf, cursorPage, email, id, isoDate, MAX_CENTS, text } from './common';
import { buildSchedule, ScheduleRangeError } from '@/server/domain/schedule';

export const LEASE_STATUSES = ['PENDING', 'ACTIVE', 'COMPLETED', 'DEFAULTED', 'CANCELLED', 'DECLINED'] as const;

const leaseTerms = z.strictObject({
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
  /** Discount on the remaining rent for an early payoff, in basis points (100 = 1 %); default 200 (2 %). */
  payoffDiscountBasisPoints: z
    .number({ error: 'must be a number of basis points' })
    .int('must be whole basis points')
    .min(0, 'must be 0 or more')
    .max(10_000, 'must be at most 10,000 (100 %)')
    .optional(),
});

/**
 * Terms whose schedule leaves the one date range (server/domain/schedule.ts) are refused here,
 * with the field to change, by the same buildSchedule that lease.preview answers and
 * lease.create stores: the two cannot disagree.
 */
function scheduleInRange(terms: z.infer<typeof leaseTerms>, ctx: z.RefinementCtx): void {
  try {
    buildSchedule(terms);
  } catch (error) {
    // A start date outside the range is startDate's own error (isoDate); reported once, there.
    if (error instanceof ScheduleRangeError) {
      if (error.field !== 'startDate') ctx.addIssue({ code: 'custom', path: [error.field], message: error.message });
    }
    // Any other RangeError is a field that its own schema already reports.
    else if (!(error instanceof RangeError)) throw error;
  }
}

/** What the schedule depends on: lease.preview takes exactly these. */
export const leaseTermsInput = leaseTerms.superRefine(scheduleInRange);
export type LeaseTermsInput = z.infer<typeof leaseTermsInput>;

export const createLeaseInput = leaseTerms
  .extend({
    propertyId: id,
    renterEmail: email,
    payoutAccountId: id,
    /** Renters without autopay are reminded this many calendar days before each due date (default 5). */
    reminderDaysBeforeDue: z.number({ error: 'must be a number of days' }).int('must be whole days').min(0, 'must be 0 or more').max(28, 'must be at most 28 days').optional(),
    /** Create it although the start date is in the past (its installments due before today are overdue at once). */
    confirmPastStart: z.boolean({ error: 'must be true or false' }).optional(),
    /** Create it although the property already has a pending or active lease. */
    confirmOverlap: z.boolean({ error: 'must be true or false' }).optional(),
  })
  .superRefine(scheduleInRange);

/** lease.createWarnings: the terms and the property, before lease.create. */
export const leaseCreateWarningsInput = leaseTerms.extend({ propertyId: id }).superRefine(scheduleInRange);
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
  reason: text({ max: 500, missing: 'say why the lease is cancelled', multiline: true }),
});

export const declineLeaseInput = z.strictObject({
  id,
  reason: text({ max: 500, missing: 'say why you decline this lease', multiline: true }),
});

export const changePayoutInput = z.strictObject({ id, payoutAccountId: id });

export const payoffQuoteInput = z.strictObject({ leaseId: id });

export const leaseHistoryInput = z.strictObject({
  id,
  /** Also rebuild the lease as it was at this instant (a Date, or an ISO 8601 string with offset). */
  asOf: asOf.optional(),
});
