// Money is integer cents everywhere; this is the one place it becomes text. Pure (no server
// imports) so the portal's components use it too, through components/format.ts.
const usd = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });

export function formatCents(amountCents: number): string {
  return usd.format(amountCents / 100);
}
