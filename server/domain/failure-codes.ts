// The one table of bank failure and return codes: NACHA return codes (ACH) and the ISO 20022
// reason codes RTP and Fedwire rejections use. `words` is what a person reads first, `detail`
// the reason stored on the payment. Pure (no server imports): the portal shows the same words.
import type { ReturnCode } from './calendar';

export interface FailureCode {
  /** A plain sentence fragment: "Insufficient funds". */
  words: string;
  /** The reason stored on the payment and put in its event. */
  detail: string;
}

/** NACHA return codes in plain words, as both parties are told. */
export const ACH_RETURN_CODES: Record<ReturnCode, FailureCode> = {
  R01: { words: 'Insufficient funds', detail: 'Insufficient funds in the sending account' },
  R02: { words: 'Account closed', detail: 'The sending account is closed' },
  R03: { words: 'No account found', detail: 'No account found; unable to locate the account' },
  R10: { words: 'Not authorized by the account holder', detail: 'The account holder says this debit was not authorized' },
  R29: { words: 'ACH debits not authorized on this account', detail: 'The account holder has not authorized ACH debits from this account' },
};

/** ISO 20022 reason codes used by RTP and Fedwire rejections. */
export const INSTANT_REJECTION_CODES = {
  AM04: { words: 'Insufficient funds', detail: 'Insufficient funds in the sending account' },
  AC04: { words: 'Account closed', detail: 'The sending account is closed' },
  AC01: { words: 'Account number not found', detail: 'Incorrect account number; unable to locate the account' },
  AG01: { words: 'Not allowed on this account', detail: 'Transaction forbidden on this account' },
} as const satisfies Record<string, FailureCode>;

const ALL: Record<string, FailureCode> = { ...ACH_RETURN_CODES, ...INSTANT_REJECTION_CODES };

/**
 * A failure as people read it, the code as a detail: "Insufficient funds (R01)". An unknown code
 * shows the stored reason (or a general sentence) with the code.
 */
export function failureText(code: string | null, storedReason?: string | null): string {
  const known = code ? ALL[code] : undefined;
  const words = known?.words ?? storedReason ?? 'The bank refused the payment';
  return code ? `${words} (${code})` : words;
}

/**
 * The account a retry should start from. A failure with a known code is about the sending
 * account (no funds, closed, not found, not authorized), so another active account is picked
 * when there is one (the primary first) and the reason is said; the failing account stays
 * selectable. With no other account, or an unknown code, the same account.
 */
export function pickRetryAccount<A extends { id: string; last4: string; isPrimary: boolean }>(
  failed: { fromAccountId: string; fromLast4: string; failureCode: string | null },
  activeAccounts: A[],
): { accountId: string | null; why: string | null } {
  const same = activeAccounts.find((account) => account.id === failed.fromAccountId);
  const known = failed.failureCode ? ALL[failed.failureCode] : undefined;
  const others = activeAccounts.filter((account) => account.id !== failed.fromAccountId);
  const other = others.find((account) => account.isPrimary) ?? others[0];
  if (known && other) {
    return { accountId: other.id, why: `…${failed.fromLast4} failed with ${known.words.toLowerCase()}; we picked …${other.last4}. You can still choose …${failed.fromLast4}.` };
  }
  return { accountId: same?.id ?? activeAccounts[0]?.id ?? null, why: null };
}
