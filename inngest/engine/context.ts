// What every part of the engine shares: the database pool, the clock, the log and the
// tunables. Times are taken from `now()` everywhere (never from SQL `now()`), so a test can
// run the whole engine on a shifted clock.
import type pg from 'pg';
import type { EngineKeys } from './signing';

export interface EngineTuning {
  /** Multiplies every retry delay (Inngest's schedule, and `retry-after`): 1 by default. */
  backoffScale: number;
  /** Longest a single call to the app may take before it counts as a failed attempt. */
  callTimeoutMs: number;
  /** Wait before calling again when the app could not be reached at all. */
  unreachableRetryMs: number;
  /** Wait before trying again a run whose concurrency limit is full. */
  concurrencyRetryMs: number;
  /** How long an idle worker sleeps before looking at the queue again. */
  pollMs: number;
  /** Most planned (parallel) steps of one run called at the same time. */
  maxParallelSteps: number;
  /**
   * Length of a worker's claim on a run (ms), renewed every quarter of it while calls to the
   * app run. A worker that dies keeps its runs this long at most; then any worker takes them.
   */
  claimLeaseMs: number;
  /**
   * Checkpointing (Inngest SDK v4): a call sends `ctx.fn_id` and `ctx.qi_id` (the claim), so the
   * SDK runs the function's consecutive steps in that one call and POSTs each step's result to
   * /v1/checkpoint/<run>/async (server.ts, recordCheckpoint) instead of answering after each.
   * Off: one call per step, as before.
   */
  checkpointing: boolean;
}

export const DEFAULT_TUNING: EngineTuning = {
  backoffScale: 1,
  callTimeoutMs: 15 * 60_000,
  unreachableRetryMs: 1_000,
  concurrencyRetryMs: 100,
  pollMs: 500,
  maxParallelSteps: 10,
  claimLeaseMs: 5_000,
  checkpointing: true,
};

export interface EngineContext {
  pool: pg.Pool;
  now(): number;
  /** A plain line is a warning; a line with fields is `info` unless `level` says otherwise (log.ts). */
  log(line: string, fields?: Record<string, unknown>, level?: 'info' | 'warn' | 'error'): void;
  tuning: EngineTuning;
  /** Tells this process's idle workers that a run may be due now. */
  wake(): void;
  /** Asks for a re-sync of the app (it answered for a function it does not know). */
  requestResync(): void;
  /** Aborted when the engine stops and in-flight calls must be abandoned. */
  abort: AbortSignal;
}

/**
 * At most `size` holders at once; the rest wait in the queue's order (below). The engine's
 * bound on calls to the app in flight (its `workers`), whether the calls come from separate
 * runs or from one run's parallel steps. While the app reports that its own users' requests
 * are in flight (`setBusy(true)`, from the `X-App-Busy` answer header: protocol.ts), only
 * `whileBusy` holders at once: the engine yields the app to the portal and goes back to `size`
 * when the app says it is free again.
 *
 * Waiters are let in as the queue claims runs (executor.ts claimSql): by arrival, except that
 * a run with a priority factor of P seconds (Inngest's `priority.run`) goes ahead of every
 * waiter that arrived at most P seconds before it. A worker claims its run before it waits
 * here, so without this a settlement claimed while the app was busy waited behind every mail
 * call claimed before it, one at a time (in the bench's app log: about 100 ms of a 167 ms RTP payment).
 */
export class Semaphore {
  private held = 0;
  private busy = false;
  /** Sorted by `order` (arrival in ms less the priority factor), then by arrival. */
  private readonly waiting: { order: number; admit: () => void }[] = [];

  constructor(
    private readonly size: number,
    private readonly whileBusy = 1,
  ) {}

  /** The places there are now. */
  private get limit(): number {
    return this.busy ? Math.min(this.size, this.whileBusy) : this.size;
  }

  /** Whether the app said, on its last answer, that its users' requests are in flight. */
  setBusy(busy: boolean): void {
    if (busy === this.busy) return;
    this.busy = busy;
    this.admit();
  }

  /**
   * Runs `work` once a place is free, and frees it when `work` settles. `prioritySeconds`: the
   * run's priority factor (0–600 s, queue.priority_s), 0 for none (and for a value that is not finite).
   */
  async run<T>(work: () => Promise<T>, prioritySeconds = 0): Promise<T> {
    if (this.held >= this.limit || this.waiting.length) {
      await new Promise<void>((admit) => {
        const order = performance.now() - (Number.isFinite(prioritySeconds) ? prioritySeconds : 0) * 1000;
        // After every waiter whose order is not later: equal orders keep their arrival order.
        let at = this.waiting.length;
        while (at > 0 && this.waiting[at - 1]!.order > order) at--;
        this.waiting.splice(at, 0, { order, admit });
      });
    } else this.held++;
    try {
      return await work();
    } finally {
      this.held--;
      this.admit();
    }
  }

  /** Gives free places to those waiting, in arrival order (the place is taken for them). */
  private admit(): void {
    while (this.waiting.length && this.held < this.limit) {
      this.held++;
      this.waiting.shift()!.admit();
    }
  }
}

/** The context of an engine process that talks to the app (workers, HTTP intake, sync). */
export interface ServingContext extends EngineContext {
  /** Every call to the app runs inside it: at most `workers` calls in flight per engine process. */
  calls: Semaphore;
  /** Signs every call to the app; checks the SDK's sync and event calls. */
  keys: EngineKeys;
  /** The app's serve URL from the engine's configuration: the only URL it calls and syncs. */
  appUrl?: string;
}

export const DAY_MS = 86_400_000;

/** JSON for a jsonb parameter (pg would turn arrays into PostgreSQL arrays). */
export function json(value: unknown): string | null {
  return value === undefined ? null : JSON.stringify(value);
}

/** How deeply a body's JSON may nest (deeper, storing it would overflow the stack in JSON.stringify, and in signing.ts's canonical form of a call's body). */
const MAX_JSON_DEPTH = 256;

/**
 * Why PostgreSQL could not store `value` as JSON or text, or null when it can: a string (or
 * key) holding a NUL character or a lone surrogate, nesting deeper than MAX_JSON_DEPTH, or a
 * number JSON cannot carry (JSON.parse reads `1e999` as Infinity, which JSON.stringify writes as
 * null: the data would change without a word).
 * Walked without recursion, so any depth JSON.parse accepts is checked safely.
 */
export function unstorable(value: unknown): string | null {
  const pending: [unknown, number][] = [[value, 0]];
  while (pending.length) {
    const [item, depth] = pending.pop()!;
    if (typeof item === 'string') {
      if (item.includes('\u0000') || !item.isWellFormed()) return 'a string holds a NUL character or a lone surrogate';
    } else if (typeof item === 'number') {
      if (!Number.isFinite(item)) return 'a number is too large for JSON (send it as a string)';
    } else if (typeof item === 'object' && item !== null) {
      if (depth >= MAX_JSON_DEPTH) return `JSON nests deeper than ${MAX_JSON_DEPTH} levels`;
      for (const [key, child] of Object.entries(item)) pending.push([key, depth], [child, depth + 1]);
    }
  }
  return null;
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
