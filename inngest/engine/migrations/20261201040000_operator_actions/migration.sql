-- What operators did from the runs dashboard (operator.ts): who, which action, on what, and
-- the runs or events it made. Each row is written in the transaction of the action it records,
-- so no action goes unrecorded and no record names an action that rolled back. Kept whatever
-- the engine's retention deletes (the runs it names may be gone; the ids stay as text), and
-- append-only: the trigger refuses UPDATE, DELETE and TRUNCATE, and the app's role may only
-- read and insert (scripts/lib/migrate-all.ts APPEND_ONLY_TABLES).
CREATE TABLE "inngest_engine"."operator_actions" (
  "id"             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  "at"             timestamptz NOT NULL,
  -- The app's user id and email of the operator (the engine knows no users: opaque text).
  "operator_id"    text NOT NULL,
  "operator_email" text NOT NULL,
  "action"         text NOT NULL CHECK ("action" IN ('send-event', 'invoke', 'cancel', 'rerun')),
  -- What it acted on: the run (cancel, rerun), the function (invoke) or the event's name (send-event).
  "run_id"         text,
  "function_id"    text,
  "event_name"     text,
  -- What it made: the runs it started and the events it sent.
  "new_run_ids"    text[] NOT NULL DEFAULT '{}',
  "event_ids"      text[] NOT NULL DEFAULT '{}'
);
CREATE INDEX "operator_actions_at_idx" ON "inngest_engine"."operator_actions"("at" DESC, "id" DESC);

CREATE FUNCTION "inngest_engine"."operator_actions_are_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the operator actions record is append-only: % on "operator_actions" is not allowed', TG_OP
    USING ERRCODE = 'P0001';
END
$$;
CREATE TRIGGER "operator_actions_append_only_rows" BEFORE UPDATE OR DELETE ON "inngest_engine"."operator_actions"
  FOR EACH ROW EXECUTE FUNCTION "inngest_engine"."operator_actions_are_append_only"();
CREATE TRIGGER "operator_actions_append_only_truncate" BEFORE TRUNCATE ON "inngest_engine"."operator_actions"
  FOR EACH STATEMENT EXECUTE FUNCTION "inngest_engine"."operator_actions_are_append_only"();
