// How lease terms read in the portal, shared by lists, details and the create form.
import { formatDate } from '@/components/format';

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

/** The renter as the landlord knows them: their name once they signed up, else the invited email. */
export function renterText(lease: { renter: { name: string } | null; renterEmail: string }): string {
  return lease.renter ? lease.renter.name : `${lease.renterEmail} (invited)`;
}

export function addressText(property: { line1: string; line2: string | null; city: string; state: string; postalCode: string }): string {
  return [property.line1, property.line2, `${property.city}, ${property.state} ${property.postalCode}`].filter(Boolean).join(', ');
}
