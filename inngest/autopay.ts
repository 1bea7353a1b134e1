// How autopay hands its runs to background work: one `autopay/scheduled` event per installment,
// generation and attempt, its id (and the function's idempotency key) derived from those, so a
// repeated send starts no second run. A send lost after commit is logged: the next enable,
// skip or pull of the lease schedules again, and every run re-checks before it acts.
import { inngest } from '@/inngest/client';
import { logger } from '@/server/logger';
import { autopayRunKey, type AutopayRunRequest } from '@/server/domain/autopay';

export const AUTOPAY_SCHEDULED = 'autopay/scheduled';

/** Starts the autopay-installment run for `run` (null: nothing to do). Call after the transaction that decided it committed. */
export async function requestAutopayRun(run: AutopayRunRequest | null | undefined): Promise<void> {
  if (!run) return;
  const key = autopayRunKey(run);
  try {
    await inngest.send({ id: key, name: AUTOPAY_SCHEDULED, data: { ...run, key } });
  } catch (error) {
    logger.warn({ ...run, err: error }, 'could not schedule an autopay run');
  }
}
