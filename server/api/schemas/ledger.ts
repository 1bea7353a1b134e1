// Input of ledger.*.
import { z } from 'zod';
import { asOf, id } from './common';

export const tenantLedgerInput = z.strictObject({
  leaseId: id,
  /** The ledger as it stood at this instant: the transactions recorded by then, and the balances then. */
  asOf: asOf.optional(),
});

export const reconcileInput = z.strictObject({ leaseId: id });

export const waiveLateFeeInput = z.strictObject({
  installmentId: id,
  reason: z.string({ error: 'say why the fee is waived' }).trim().min(1, 'say why the fee is waived').max(300, 'must be at most 300 characters'),
});
