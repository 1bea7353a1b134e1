-- The local Inngest engine's state: apps and functions learnt at sync, received events,
-- runs with their memoized steps, and the due-time queue that drives them. Everything a
-- run needs to continue after a crash lives here; the engine process keeps nothing that
-- matters in memory. Times are written by the engine (its clock), never by defaults, so a
-- test can shift the engine's clock consistently.

CREATE TABLE "inngest_engine"."apps" (
  "id"          text PRIMARY KEY,
  "url"         text NOT NULL,
  "framework"   text,
  "sdk"         text,
  "config_hash" text NOT NULL,
  "synced_at"   timestamptz NOT NULL
);

-- One row per function config (an onFailure handler is its own function `<id>-failure`).
CREATE TABLE "inngest_engine"."functions" (
  "id"           text PRIMARY KEY,
  "app_id"       text NOT NULL REFERENCES "inngest_engine"."apps"("id") ON DELETE CASCADE,
  "name"         text NOT NULL,
  "url"          text NOT NULL,
  "max_attempts" integer NOT NULL CHECK ("max_attempts" >= 1),
  "config"       jsonb NOT NULL,
  "updated_at"   timestamptz NOT NULL
);
CREATE INDEX "functions_app_id_idx" ON "inngest_engine"."functions"("app_id");

-- Event triggers, looked up by event name on every intake (exact names, or `prefix/*`).
CREATE TABLE "inngest_engine"."triggers" (
  "function_id" text NOT NULL REFERENCES "inngest_engine"."functions"("id") ON DELETE CASCADE,
  "position"    integer NOT NULL,
  "event_name"  text NOT NULL,
  "expression"  text,
  PRIMARY KEY ("function_id", "position")
);
CREATE INDEX "triggers_event_name_idx" ON "inngest_engine"."triggers"("event_name");

CREATE TABLE "inngest_engine"."crons" (
  "function_id" text NOT NULL REFERENCES "inngest_engine"."functions"("id") ON DELETE CASCADE,
  "expression"  text NOT NULL,
  "next_at"     timestamptz NOT NULL,
  PRIMARY KEY ("function_id", "expression")
);
CREATE INDEX "crons_next_at_idx" ON "inngest_engine"."crons"("next_at");

-- `id` is the id functions see (the sender's id when given, for de-duplication);
-- `internal_id` is unique per received event.
CREATE TABLE "inngest_engine"."events" (
  "internal_id" text PRIMARY KEY,
  "id"          text NOT NULL,
  "name"        text NOT NULL,
  "payload"     jsonb NOT NULL,
  "received_at" timestamptz NOT NULL
);
CREATE INDEX "events_received_at_idx" ON "inngest_engine"."events"("received_at" DESC);
CREATE INDEX "events_name_received_at_idx" ON "inngest_engine"."events"("name", "received_at" DESC);
CREATE INDEX "events_id_idx" ON "inngest_engine"."events"("id");

-- Sender-given event ids seen in the last 24 hours.
CREATE TABLE "inngest_engine"."event_ids" (
  "id"          text PRIMARY KEY,
  "internal_id" text NOT NULL,
  "expires_at"  timestamptz NOT NULL
);
CREATE INDEX "event_ids_expires_at_idx" ON "inngest_engine"."event_ids"("expires_at");

-- `function_id` is not a foreign key: a run outlives a re-sync that removes its function.
CREATE TABLE "inngest_engine"."runs" (
  "id"                text PRIMARY KEY,
  "function_id"       text NOT NULL,
  "status"            text NOT NULL CHECK ("status" IN ('queued', 'running', 'waiting', 'completed', 'failed', 'cancelled')),
  "event_internal_id" text,
  "event"             jsonb NOT NULL,
  "created_at"        timestamptz NOT NULL,
  "started_at"        timestamptz,
  "ended_at"          timestamptz,
  "output"            jsonb,
  "error"             jsonb,
  -- Attempt number sent with the next call that is not for one planned step.
  "attempt"           integer NOT NULL DEFAULT 0,
  -- The SDK's execution version, echoed back once it has told us.
  "request_version"   integer NOT NULL DEFAULT -1,
  "disable_immediate" boolean NOT NULL DEFAULT false,
  -- Whether the queue entry's due time asks for a call to the app (a retry or a new
  -- memoized step), as opposed to only a timer that may resolve a pending step.
  "call_pending"      boolean NOT NULL DEFAULT true,
  -- [{key, limit}] resolved from the function's concurrency settings at creation.
  "concurrency"       jsonb NOT NULL DEFAULT '[]',
  "parent_run_id"     text,
  "parent_step_id"    text
);
CREATE INDEX "runs_created_at_idx" ON "inngest_engine"."runs"("created_at" DESC);
CREATE INDEX "runs_function_id_created_at_idx" ON "inngest_engine"."runs"("function_id", "created_at" DESC);
CREATE INDEX "runs_status_created_at_idx" ON "inngest_engine"."runs"("status", "created_at" DESC);
CREATE INDEX "runs_event_internal_id_idx" ON "inngest_engine"."runs"("event_internal_id");

-- The due-time queue: exactly one row per unfinished run. A worker claims a row with
-- FOR UPDATE SKIP LOCKED and holds it while it talks to the app, so no two workers (in
-- any number of engine processes) ever drive the same run at once, and a crashed
-- worker's lock disappears with its connection.
CREATE TABLE "inngest_engine"."queue" (
  "run_id" text PRIMARY KEY REFERENCES "inngest_engine"."runs"("id") ON DELETE CASCADE,
  "due_at" timestamptz NOT NULL
);
CREATE INDEX "queue_due_at_idx" ON "inngest_engine"."queue"("due_at");

-- Steps the app reported, keyed by the SDK's hashed step id. Completed and failed steps
-- are the memoized state sent back on every call, in `position` order.
CREATE TABLE "inngest_engine"."steps" (
  "run_id"       text NOT NULL REFERENCES "inngest_engine"."runs"("id") ON DELETE CASCADE,
  "step_id"      text NOT NULL,
  "name"         text NOT NULL,
  "op"           text NOT NULL,
  "status"       text NOT NULL CHECK ("status" IN ('retrying', 'sleeping', 'waiting', 'invoking', 'completed', 'failed')),
  "opts"         jsonb,
  "data"         jsonb,
  "error"        jsonb,
  "attempts"     integer NOT NULL DEFAULT 0,
  "position"     integer,
  -- Sleep end, wait or invoke timeout, or next retry, by status.
  "due_at"       timestamptz,
  "child_run_id" text,
  "started_at"   timestamptz NOT NULL,
  "ended_at"     timestamptz,
  PRIMARY KEY ("run_id", "step_id")
);

-- Every request that ran code in the app, for the dashboard's trace.
CREATE TABLE "inngest_engine"."attempts" (
  "id"         bigserial PRIMARY KEY,
  "run_id"     text NOT NULL REFERENCES "inngest_engine"."runs"("id") ON DELETE CASCADE,
  "step_id"    text,
  "attempt"    integer NOT NULL,
  "outcome"    text NOT NULL CHECK ("outcome" IN ('ok', 'error', 'failed')),
  "error"      jsonb,
  "started_at" timestamptz NOT NULL,
  "ended_at"   timestamptz NOT NULL
);
CREATE INDEX "attempts_run_id_idx" ON "inngest_engine"."attempts"("run_id");

-- Runs waiting for an event: a step.waitForEvent, or a cancelOn setting.
CREATE TABLE "inngest_engine"."waiters" (
  "id"         bigserial PRIMARY KEY,
  "run_id"     text NOT NULL REFERENCES "inngest_engine"."runs"("id") ON DELETE CASCADE,
  "kind"       text NOT NULL CHECK ("kind" IN ('step', 'cancel')),
  "step_id"    text,
  "event_name" text NOT NULL,
  "expression" text,
  "expires_at" timestamptz
);
CREATE INDEX "waiters_event_name_idx" ON "inngest_engine"."waiters"("event_name");
CREATE INDEX "waiters_run_id_idx" ON "inngest_engine"."waiters"("run_id");
CREATE INDEX "waiters_expires_at_idx" ON "inngest_engine"."waiters"("expires_at");

-- Things that happened to a run while someone else may hold it (an awaited event, an
-- invoked function's result, a cancellation). The worker that next holds the run
-- applies them, so nobody ever waits for a run's lock.
CREATE TABLE "inngest_engine"."signals" (
  "id"         bigserial PRIMARY KEY,
  "run_id"     text NOT NULL REFERENCES "inngest_engine"."runs"("id") ON DELETE CASCADE,
  "kind"       text NOT NULL CHECK ("kind" IN ('event', 'invoke-result', 'cancel')),
  "step_id"    text,
  "payload"    jsonb,
  "created_at" timestamptz NOT NULL
);
CREATE INDEX "signals_run_id_idx" ON "inngest_engine"."signals"("run_id");

CREATE TABLE "inngest_engine"."idempotency_keys" (
  "function_id" text NOT NULL,
  "key"         text NOT NULL,
  "run_id"      text NOT NULL,
  "expires_at"  timestamptz NOT NULL,
  PRIMARY KEY ("function_id", "key")
);
CREATE INDEX "idempotency_keys_expires_at_idx" ON "inngest_engine"."idempotency_keys"("expires_at");

-- One row per concurrency slot; a worker holds a slot's row lock while it calls the app.
CREATE TABLE "inngest_engine"."concurrency_slots" (
  "key"  text NOT NULL,
  "slot" integer NOT NULL,
  PRIMARY KEY ("key", "slot")
);
