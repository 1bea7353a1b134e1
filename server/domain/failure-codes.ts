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
