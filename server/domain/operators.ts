// Operators: people who run DirectPay itself (the background-runs dashboard, operator-only
// procedures). Not a role of the account (that stays LANDLORD or RENTER) but a grant by
// configuration, so it can be given and taken away without touching the database:
// OPERATOR_EMAILS lists them, and in development the demo operator is one too.
import { env } from '@/server/env';
import { DEMO_OPERATOR_EMAIL } from './demo';

/**
 * Whether this account is an operator: its address is listed (or is the demo operator's, in
 * development) and it has proved it holds that address. Without the proof, anyone could sign up
 * with a listed address that has no account yet (an operator named before they sign up, or a
 * typo) and read every user's mail and events.
 */
export function isOperator(user: { email: string; emailVerified: boolean }): boolean {
  if (!user.emailVerified) return false;
  const normalized = user.email.toLowerCase();
  if (env.NODE_ENV === 'development' && normalized === DEMO_OPERATOR_EMAIL) return true;
  return env.OPERATOR_EMAILS.includes(normalized);
}
