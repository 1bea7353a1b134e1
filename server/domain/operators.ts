// Operators: people who run DirectPay itself (the background-runs dashboard, operator-only
// procedures). Not a role of the account (that stays LANDLORD or RENTER) but a grant by
// configuration, so it can be given and taken away without touching the database:
// OPERATOR_EMAILS lists them, and in development the demo operator is one too.
import { env } from '@/server/env';
import { DEMO_OPERATOR_EMAIL } from './demo';

/** Whether the account with this (lower-case) email is an operator. */
export function isOperator(email: string): boolean {
  const normalized = email.toLowerCase();
  if (env.NODE_ENV === 'development' && normalized === DEMO_OPERATOR_EMAIL) return true;
  return env.OPERATOR_EMAILS.includes(normalized);
}
