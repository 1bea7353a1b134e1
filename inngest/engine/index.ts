// The local Inngest engine: a small stand-in for Inngest's Dev Server (which cannot be
// installed here), speaking the protocol the unchanged `inngest` SDK speaks in cloud mode
// (../shared/INNGEST_PROTOCOL.md). The app reaches it through the SDK's own variables:
//
//   INNGEST_BASE_URL=<url returned here> INNGEST_SIGNING_KEY=<key> INNGEST_EVENT_KEY=<key>
//
// with INNGEST_DEV unset, so the SDK checks the signature of every request, exactly as on
// Inngest Cloud: the engine signs each call to the app with the signing key (signing.ts),
// takes syncs only with the SDK's token for that key and events only with the event key, and
// calls only the app URL it was started with. Point the same variables at Inngest Cloud (keys
// from its dashboard, INNGEST_BASE_URL unset) and the app does not change. INNGEST_DEV is only
// for the real `npx inngest-cli dev`, which signs nothing.
//
// State lives in PostgreSQL, schema `inngest_engine` (migrations/): events, runs, memoized
// steps, sleeps and waits, and a due-time queue that any number of engine processes drain
// together (executor.ts explains the locking). Killing the engine at any moment loses
// nothing: a restart continues every run from its last stored step.
//
// Keeping functions in sync with the app (e.g. Next dev hot reload): the engine syncs
// when asked (`syncApp()`, on start), re-syncs by itself when the app answers a call for a
// function it does not know (a renamed or removed function), and re-syncs every
// `resyncIntervalMs` (5 s by default, the interval at which Inngest's Dev Server polls its
// apps). A sync is one PUT to the app plus a hash compare when nothing changed, so the
// periodic one is cheap; it is what picks up functions added by a reload, which no call to
// the app would reveal. A sync whose functions use settings the
// engine does not implement is refused, loudly: `syncApp()` throws and the log says why.
import { startEngine, type RunningEngine } from './engine';
import type { EngineLog } from './log';
import type { EngineKeys } from './signing';

export type { RunningEngine } from './engine';
export { generateEngineKeys, type EngineKeys } from './signing';

export interface LocalEngineOptions extends EngineKeys {
  databaseUrl: string;
  /** The app's serve URL, e.g. http://127.0.0.1:3000/api/inngest: the only URL the engine calls. */
  appUrl: string;
  /** 0 (default) picks a free port. */
  port?: number;
  host?: string;
  /** Calls to the app in flight at once (INNGEST_ENGINE_WORKERS); default 8. */
  workers?: number;
  /** Ended runs (with their steps and attempts) and events older than this are deleted (INNGEST_ENGINE_RETENTION_DAYS); default 7. */
  retentionDays?: number;
  log?: EngineLog;
  /** Periodic re-sync (ms); 0 disables it. Default 5 000. */
  resyncIntervalMs?: number;
  /** Lets a call run consecutive steps, checkpointing each (INNGEST_ENGINE_CHECKPOINTING; EngineTuning.checkpointing); default true. */
  checkpointing?: boolean;
}

/** Starts the engine beside the app (`npm run dev`, `npm start`). Call `syncApp()` once the app answers. */
export function startLocalEngine({ checkpointing = true, ...options }: LocalEngineOptions): Promise<RunningEngine> {
  return startEngine({ ...options, resyncIntervalMs: options.resyncIntervalMs ?? 5_000, tuning: { checkpointing } });
}
