// The arithmetic of an early payoff, in one place: the lease's discount on the rent still to
// pay, and how that discount is spread over the installments it covers. Pure functions over
// integer cents; server/domain/payoff.ts applies them and the README states the rule.

/** The payoff discount a lease gets unless its terms say otherwise: 200 basis points = 2 %. */
export const DEFAULT_PAYOFF_DISCOUNT_BASIS_POINTS = 200;

/**
 * The discount, in cents, on `remainingRentCents` (the rent of every installment still unpaid)
 * at `basisPoints` (1 bp = 0.01 %, 0–10,000): floor(remaining × bp / 10,000) — rounded DOWN to
 * the cent, so the discount never exceeds the stated rate and the renter pays the odd cent —
 * and never more than `notYetDueRentCents` (the rent of the unpaid installments whose due date
 * is after today, ET): rent already due is paid in full, whatever the rate and however far
 * behind the renter is. Late fees are never discounted (they are not part of `remainingRentCents`).
 * Examples: 3 × $1,000.01 = $3,000.03 at 2 %, none due yet → 6,000.06 cents → $60.00;
 * the same at 99.99 % with the first installment already due → at most $2,000.02.
 */
export function payoffDiscountCents(remainingRentCents: number, basisPoints: number, notYetDueRentCents: number): number {
  if (!Number.isSafeInteger(remainingRentCents) || remainingRentCents < 0) throw new RangeError('remainingRentCents must be whole cents, 0 or more');
  if (!Number.isSafeInteger(notYetDueRentCents) || notYetDueRentCents < 0 || notYetDueRentCents > remainingRentCents) {
    throw new RangeError('notYetDueRentCents must be whole cents, 0 to remainingRentCents');
  }
  if (!Number.isInteger(basisPoints) || basisPoints < 0 || basisPoints > 10_000) throw new RangeError('basisPoints must be 0–10,000');
  // BigInt: 60 installments of $1,000,000 × 10,000 bp would pass 2^53.
  const atRate = Number((BigInt(remainingRentCents) * BigInt(basisPoints)) / 10_000n);
  return Math.min(atRate, notYetDueRentCents);
}

/**
 * Spreads a discount over installments (in schedule order), taking it off the LAST ones first,
 * each at most its rent: [100, 100, 100] with 150 → [0, 50, 100]. With a discount no larger than
 * the rent not yet due (payoffDiscountCents), the installments already due are paid in full.
 * The parts sum to `discountCents` (which must not exceed the total rent).
 */
export function allocatePayoffDiscount(rentCents: readonly number[], discountCents: number): number[] {
  const total = rentCents.reduce((sum, cents) => sum + cents, 0);
  if (discountCents < 0 || discountCents > total) throw new RangeError('the discount must be between 0 and the total rent');
  const parts = rentCents.map(() => 0);
  let left = discountCents;
  for (let i = rentCents.length - 1; i >= 0 && left > 0; i--) {
    parts[i] = Math.min(rentCents[i]!, left);
    left -= parts[i]!;
  }
  return parts;
}
