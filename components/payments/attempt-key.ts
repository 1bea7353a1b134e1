// The idempotency key of one payment attempt, kept in sessionStorage under the attempt's
// scope (e.g. the installment being paid): a double click, a retried request or a page
// refresh all send the same key, so the server answers them with the one payment it made.
// The key is forgotten only after the server confirmed the payment; the next attempt gets a
// new one.
const PREFIX = 'directpay:payment-attempt:';

/** The scope's key, created on first use. */
export function attemptKey(scope: string): string {
  const storageKey = PREFIX + scope;
  const stored = readStorage(storageKey);
  if (stored) return stored;
  const key = randomKey();
  try {
    sessionStorage.setItem(storageKey, key);
  } catch {
    // Storage disabled (private mode): the key still covers double clicks on this page.
  }
  return key;
}

export function endAttempt(scope: string): void {
  try {
    sessionStorage.removeItem(PREFIX + scope);
  } catch {
    // Nothing stored.
  }
}

function readStorage(storageKey: string): string | null {
  try {
    return sessionStorage.getItem(storageKey);
  } catch {
    return null;
  }
}

// getRandomValues works on plain-http origins too, where crypto.randomUUID does not exist.
function randomKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return 'pay_' + Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}
