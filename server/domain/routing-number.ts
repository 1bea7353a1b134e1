// ABA routing transit numbers. PURE (no server-only imports): the bank-account form and the
// API's input schema check numbers with the same function the domain does.

/**
 * Nine digits whose first two name a Federal Reserve routing symbol (00–12, 21–32, 61–72,
 * 80) and whose 3-7-1 weighted sum is a multiple of 10 — the check digit catches every
 * single-digit typo and most swaps of neighbouring digits.
 */
export function isValidRoutingNumber(value: string): boolean {
  if (!/^\d{9}$/.test(value)) return false;
  const prefix = Number(value.slice(0, 2));
  const knownPrefix = prefix <= 12 || (prefix >= 21 && prefix <= 32) || (prefix >= 61 && prefix <= 72) || prefix === 80;
  if (!knownPrefix) return false;
  const weights = [3, 7, 1, 3, 7, 1, 3, 7, 1];
  const sum = weights.reduce((total, weight, index) => total + weight * Number(value[index]), 0);
  return sum % 10 === 0;
}
