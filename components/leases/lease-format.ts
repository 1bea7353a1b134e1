// How lease terms read in the portal, shared by lists, details and the create form.
import { formatDate } from '@/components/format';
import { buildSchedule, isProratedDueDate, type ScheduleTerms } from '@/server/domain/schedule';

export function ordinal(day: number): string {
  const tens = day % 100;
  const suffix = tens >= 11 && tens <= 13 ? 'th' : ({ 1: 'st', 2: 'nd', 3: 'rd' } as Record<number, string>)[day % 10] ?? 'th';
  return `${day}${suffix}`;
}

/** "the 1st of each month"; days past the 28th say what happens in shorter months. */
export function dueDayText(dueDay: number): string {
  const clamp = dueDay > 28 ? ' (the last day in shorter months)' : '';
  return `the ${ordinal(dueDay)} of each month${clamp}`;
}

/** "12 months from Jan 15, 2027" */
export function termText(lease: { termMonths: number; startDate: string }): string {
  return `${lease.termMonths} month${lease.termMonths === 1 ? '' : 's'} from ${formatDate(lease.startDate)}`;
}

/**
 * The lease's first month: "Prorated by days" only when its schedule has a prorated first
 * installment (buildSchedule decides: asked for, the start date is not a due date, and the
 * prorated amount is at least a cent). A lease asked to prorate that starts on its due day has
 * none and reads so.
 */
export function firstMonthText(lease: ScheduleTerms): string {
  if (!lease.prorateFirstMonth) return 'Full rent';
  if (buildSchedule(lease).some((installment) => installment.prorated)) return 'Prorated by days';
  return isProratedDueDate(lease.startDate, lease.dueDay) ? 'Full rent (the prorated days come to less than a cent)' : 'Full rent (the lease starts on its due day)';
}

/** The renter as the landlord knows them: their name once they signed up, else the invited email. */
export function renterText(lease: { renter: { name: string } | null; renterEmail: string }): string {
  return lease.renter ? lease.renter.name : `${lease.renterEmail} (invited)`;
}

export function addressText(property: { line1: string; line2: string | null; city: string; state: string; postalCode: string }): string {
  return [property.line1, property.line2, `${property.city}, ${property.state} ${property.postalCode}`].filter(Boolean).join(', ');
}
