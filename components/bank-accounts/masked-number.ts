/** An account number as the portal shows it: only the last 4 digits, which is all the server keeps. */
export function maskedNumber(last4: string): string {
  return `••••${last4}`;
}
