-- An operator's rerun (operator.ts `rerun`) records the run it reran, so the new run's page
-- links back to it and the original's page lists its reruns. Not a foreign key, like
-- `parent_run_id`: retention may delete the original first. The partial index serves the
-- original's "Rerun as" lookup and holds only reruns.
ALTER TABLE "inngest_engine"."runs" ADD COLUMN "rerun_of_run_id" text;
CREATE INDEX "runs_rerun_of_run_id_idx" ON "inngest_engine"."runs"("rerun_of_run_id") WHERE "rerun_of_run_id" IS NOT NULL;
