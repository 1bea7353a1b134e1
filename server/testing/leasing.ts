// Valid inputs and ready-made records for tests of bank accounts, properties and leases,
// created through the API like a user would.
import { randomInt } from 'node:crypto';
import type { LeaseTermsInput } from '@/server/api/schemas/lease';
import type { ApiClient } from './api';

/** Real ABA routing numbers (they pass the 3-7-1 check). */
export const ROUTING_NUMBERS = ['021000021', '011000015', '121000358', '026009593', '111000025', '122000247'] as const;

export function accountNumber(): string {
  return String(randomInt(10_000_000, 99_999_999)) + String(randomInt(1_000, 9_999));
}

export function bankAccountInput(overrides: Partial<{ nickname: string; bankName: string; type: 'CHECKING' | 'SAVINGS'; routingNumber: string; accountNumber: string }> = {}) {
  return { nickname: 'Everyday', bankName: 'First Test Bank', type: 'CHECKING' as const, routingNumber: ROUTING_NUMBERS[0], accountNumber: accountNumber(), ...overrides };
}

export function propertyInput(overrides: Partial<{ name: string; line1: string; line2: string | null; city: string; state: string; postalCode: string }> = {}) {
  return { name: 'Maple Court', line1: '12 Maple St', line2: 'Apt 3', city: 'Springfield', state: 'IL', postalCode: '62704', ...overrides };
}

export const leaseTerms = { monthlyRentCents: 150_000, startDate: '2027-01-15', termMonths: 12, dueDay: 1, prorateFirstMonth: true };

/** A landlord's property and payout account, ready for leases. */
export async function landlordSetup(landlord: ApiClient) {
  const property = await landlord.property.create.mutate(propertyInput());
  const payout = await landlord.bankAccount.create.mutate(bankAccountInput({ nickname: 'Rent income' }));
  return { property, payout };
}

/**
 * A pending lease on a fresh property of this landlord, offered to `renterEmail`. Tests pick
 * start dates in the past freely, so the past-start warning is confirmed (lease.test.ts tests it).
 */
export async function offerLease(landlord: ApiClient, renterEmail: string, terms: Partial<LeaseTermsInput> & { reminderDaysBeforeDue?: number } = {}) {
  const { property, payout } = await landlordSetup(landlord);
  const lease = await landlord.lease.create.mutate({ ...leaseTerms, ...terms, propertyId: property.id, payoutAccountId: payout.id, renterEmail, confirmPastStart: true });
  return { property, payout, lease };
}
