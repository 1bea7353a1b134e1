import { describe, expect, it } from 'vitest';
import { cancelWarning } from './run-actions';

describe('cancelWarning', () => {
  it("says a settlement's payment outlives its cancelled run", () => {
    expect(cancelWarning('directpay-settle-payment')).toMatch(/^Cancel this run\? Steps not yet run will never run\.\n\nThe payment is not cancelled\. The recovery sweep .* while it is PENDING, an hour after its expected settlement while it is PROCESSING, .*Rerun takes it up at once/);
    expect(cancelWarning('directpay-send-email')).toBe('Cancel this run? Steps not yet run will never run.');
    expect(cancelWarning('directpay-settle-payment-failure')).toBe('Cancel this run? Steps not yet run will never run.');
  });
});
