// Formatting at the edge: money stays integer cents everywhere else. Money's one formatter
// lives with the domain (its refusals name amounts too), and so do the dates' (mails name them).
import { formatBasisPoints, formatCents } from '@/server/domain/money';

export { formatBasisPoints, formatCents };
export { formatDate, formatDateTime, formatEastern, formatEasternBy, formatMonth } from '@/server/domain/date-text';

/** A status word as people read it: 'PROCESSING' → "Processing", 'IN_PROGRESS' → "In progress". */
export function statusLabel(status: string): string {
  return status.charAt(0) + status.slice(1).toLowerCase().replaceAll('_', ' ');
}

/**
 * A renter's balance (cents owed, negative when they paid ahead) as people read it: "Balance"
 * and what they owe, or "Credit" and what they paid ahead, never a minus sign on money.
 */
export function balanceWords(balanceCents: number): { label: 'Balance' | 'Credit'; amount: string } {
  return balanceCents < 0 ? { label: 'Credit', amount: formatCents(-balanceCents) } : { label: 'Balance', amount: formatCents(balanceCents) };
}
