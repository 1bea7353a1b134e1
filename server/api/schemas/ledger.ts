// Input of ledger.*.
import { z } from 'zod';
import { asOf, id, text } from './common';

export const tenantLedgerInput = z.strictObject({
  leaseId: id,
  /** The ledger as it stood at this instant: the transactions recorded by then, and the balances then. */
  asOf: asOf.optional(),
});

export const reconcileInput = z.strictObject({ leaseId: id });

export const waiveLateFeeInput = z.strictObject({
  installmentId: id,
  reason: text({ max: 300, missing: 'say why the fee is waived', multiline: true }),
});
