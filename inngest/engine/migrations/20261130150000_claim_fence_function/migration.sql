-- The fence that starts every transaction recording a call or a checkpoint (executor.ts):
-- the run's claim must still be the worker's own, and the queue row stays locked until the
-- transaction ends, so a claim cannot lapse and be taken over half-way through a recording.
-- A function, so that the run and claim ids reach it as SQL literals (escaped by the caller)
-- and never inside a DO block's dollar-quoted body, where a `$tag$` in a value would end it.
CREATE FUNCTION "inngest_engine"."fence"(p_run_id text, p_claimed_by text) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM 1 FROM "inngest_engine"."queue" WHERE run_id = p_run_id AND claimed_by = p_claimed_by FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'inngest-engine: claim lost' USING ERRCODE = 'P0001';
  END IF;
END
$$;
