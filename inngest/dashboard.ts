// The operator dashboard's (app/dev/inngest) access to the engine's tables, from the Next
// server: reads, and the operator actions, on a small pool of its own (the engine may run in
// another process; its workers poll the queue, so work written here starts within one poll).
import 'server-only';
import pg from 'pg';
import { appPool, db } from '@/server/db';
import { logger } from '@/server/logger';
import { cancelRun, invoke, operatorContext, rerun, sendEvent, type Operator, type ReservedEvent } from '@/inngest/engine/operator';
import { PAYMENT_CANCELLED } from '@/inngest/payments';
import { getEvent, getRunTrace, listApps, listEvents, listOperatorActions, listRuns, type EventFilter, type RunFilter } from '@/inngest/engine/read';

export { OperatorError, type Operator } from '@/inngest/engine/operator';
export { FUNCTION_FINISHED } from '@/inngest/engine/runs';
export { RUN_STATUSES, type OperatorActionName, type OperatorActionView, type RunStatus } from '@/inngest/engine/read';

// Kept on globalThis so Next's hot reload does not open a new pool on every edit.
const globalForDashboard = globalThis as unknown as { inngestDashboardPool?: pg.Pool };

function pool(): pg.Pool {
  if (!globalForDashboard.inngestDashboardPool) {
    // The app's sessions and answer deadline (server/db.ts): a frozen database fails a page 503, not hangs it.
    const created = appPool({ max: 3, applicationName: 'directpay-engine-dashboard' });
    // An idle connection the server ends is dropped and replaced; unhandled, its 'error' event would end the Next process.
    created.on('error', (error) => logger.warn({ err: error }, 'engine dashboard: database connection error'));
    globalForDashboard.inngestDashboardPool = created;
  }
  return globalForDashboard.inngestDashboardPool;
}

/**
 * Events an operator may not send from the dashboard, nor invoke a function on (OperatorContext's
 * `reservedEvent`), and who alone sends each:
 * - `bank/…` the bank's answers and `bank-simulator/…` its simulator's: a return sent or started
 *   by hand, or rerun, would reverse a settled payment (found by a stranger); not rerunnable.
 * - `autopay/…` the app's autopay schedule: its data says when to pull the renter's money, so one
 *   sent by hand with a `pullAt` of now pulled an installment months early and without its notice
 *   (found by a stranger's read); a failed run is rerun as the app sent it (it re-checks first).
 * - `payment/cancelled` the app, when a renter cancels: it ends the payment's settlement run.
 */
export function reservedEvent(name: string): ReservedEvent | null {
  if (name.startsWith('bank/')) return { by: 'the bank', rerunnable: false };
  if (name.startsWith('bank-simulator/')) return { by: 'the bank simulator', rerunnable: false };
  if (name.startsWith('autopay/')) return { by: "DirectPay's autopay schedule", rerunnable: true };
  if (name === PAYMENT_CANCELLED) return { by: 'DirectPay, when a renter cancels a payment', rerunnable: true };
  return null;
}

const context = () => operatorContext(pool(), (line) => logger.warn({}, line), { reservedEvent });

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The ids whose runs the search for `id` should list: the id itself; for a lease, also its
 * payments and installments (the app's events name a payment or, for autopay, an installment,
 * never the lease); for a payment, also its installment (the autopay run that made it). One
 * statement on the app's tables.
 */
async function concernedIds(id: string): Promise<string[]> {
  if (!UUID.test(id)) return [id];
  const rows = await db.$queryRaw<{ id: string }[]>`
    SELECT id::text AS id FROM "Payment" WHERE "leaseId" = ${id}::uuid
    UNION SELECT id::text FROM "Installment" WHERE "leaseId" = ${id}::uuid
    UNION SELECT "installmentId"::text FROM "Payment" WHERE id = ${id}::uuid`;
  return [id.toLowerCase(), ...rows.map((row) => row.id)];
}

/** Time ranges the runs list offers, ending now. */
export const RUN_RANGES = { '15m': 15 * 60_000, '1h': 3_600_000, '24h': 86_400_000, '7d': 7 * 86_400_000 } as const;
export type RunRange = keyof typeof RUN_RANGES;

export const engineDashboard = {
  apps: () => listApps(pool()),
  /** Runs matching the filter; a `range` counts back from the moment of the query (`asOf`). */
  runs: async ({ range, concerns, ...filter }: Omit<RunFilter, 'concerns'> & { range?: RunRange; concerns?: string }) => {
    const asOf = new Date();
    const from = range ? new Date(asOf.getTime() - RUN_RANGES[range]) : filter.from;
    const ids = concerns ? await concernedIds(concerns) : undefined;
    return { runs: await listRuns(pool(), { ...filter, concerns: ids, from, to: range ? undefined : filter.to }), asOf };
  },
  /** A run's trace, and when it was read (for durations of steps still running). */
  run: async (runId: string) => ({ trace: await getRunTrace(pool(), runId), asOf: new Date() }),
  events: (filter: EventFilter) => listEvents(pool(), filter),
  event: (internalId: string) => getEvent(pool(), internalId),
  /** The most recent operator actions, newest first. */
  operatorActions: (limit?: number) => listOperatorActions(pool(), limit),
  // Each action is recorded with `by` in its own transaction (operator_actions).
  sendEvent: (by: Operator, event: { name: string; data: Record<string, unknown> }) => sendEvent(context(), by, event),
  invoke: (by: Operator, functionId: string, data: Record<string, unknown>) => invoke(context(), by, functionId, data),
  cancel: (by: Operator, runId: string) => cancelRun(context(), by, runId),
  rerun: (by: Operator, runId: string) => rerun(context(), by, runId),
};
