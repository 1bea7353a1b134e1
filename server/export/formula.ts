// Spreadsheet formula escaping for every CSV DirectPay writes (OWASP "CSV injection"), and its
// exact inverse for a reader that needs the text as stored (scripts/verify-export.ts rehashes
// each event from its cells). Imports nothing, so the offline verifier can carry it.

/**
 * A text cell a spreadsheet would run as a formula (starting with = + - @, a tab or a carriage
 * return) gets a leading apostrophe, and so does one that already starts with an apostrophe, so
 * `formulaUnescape` gives back exactly the text. Numbers such as -1500.00 stay numbers.
 */
export function formulaSafe(value: string): string {
  const formula = /^[=+\-@\t\r]/.test(value) && !/^[+-]?\d+(\.\d+)?$/.test(value);
  return formula || value.startsWith("'") ? `'${value}` : value;
}

/** The text a `formulaSafe` cell was made from: one leading apostrophe removed. */
export function formulaUnescape(cell: string): string {
  return cell.startsWith("'") ? cell.slice(1) : cell;
}
