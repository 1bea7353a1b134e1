// fast-check arbitraries shared by the property tests.
import fc from 'fast-check';
import type { ScheduleTerms } from '@/server/domain/schedule';

/**
 * Lease terms a schedule can be built from: a start date in 1990–2100, any due day (1–31), a
 * term of 1–`maxTermMonths` months, with or without a prorated first month; rent $1,500.00.
 */
export function anyScheduleTerms(maxTermMonths: number): fc.Arbitrary<ScheduleTerms> {
  return fc
    .record({
      start: fc.date({ min: new Date('1990-01-01T00:00:00Z'), max: new Date('2100-12-31T00:00:00Z'), noInvalidDate: true }),
      dueDay: fc.integer({ min: 1, max: 31 }),
      termMonths: fc.integer({ min: 1, max: maxTermMonths }),
      prorateFirstMonth: fc.boolean(),
    })
    .map(({ start, ...terms }) => ({ monthlyRentCents: 150_000, startDate: start.toISOString().slice(0, 10), ...terms }));
}
