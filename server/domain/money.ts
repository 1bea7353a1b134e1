// Money is integer cents everywhere; this is the one place it becomes text. Pure (no server
// imports) so the portal's components use it too, through components/format.ts.
const usd = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });

export function formatCents(amountCents: number): string {
  return usd.format(amountCents / 100);
}

/** 200 → "2%", 250 → "2.5%", 5 → "0.05%": basis points as people read a rate (1 bp = 0.01 %). */
export function formatBasisPoints(basisPoints: number): string {
  return `${basisPoints / 100}%`;
}

/** Cents as a plain decimal number of dollars for files (CSV): 185000 → "1850.00", -5 → "-0.05". Exact (integer arithmetic). */
export function centsToDecimal(amountCents: number): string {
  const sign = amountCents < 0 ? '-' : '';
  const abs = Math.abs(amountCents);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}
