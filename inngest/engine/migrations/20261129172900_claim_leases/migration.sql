-- A claim on a run is a lease, no longer a row lock held across the call to the app: the
-- claiming worker writes its claim id and the lease's end (renewed while the call runs) and
-- commits at once; the run's due time moves to the lease's end, so if the worker dies the run
-- is due again, and claimable by any worker, when the lease lapses. Recording the call's
-- result first checks the claim is still the worker's own (executor.ts), so a result is
-- stored once even if a lease lapsed. Concurrency slots are leased the same way.
ALTER TABLE "inngest_engine"."queue" ADD COLUMN "claimed_by" text;
ALTER TABLE "inngest_engine"."queue" ADD COLUMN "claimed_until" timestamptz;

ALTER TABLE "inngest_engine"."concurrency_slots" ADD COLUMN "run_id" text;
ALTER TABLE "inngest_engine"."concurrency_slots" ADD COLUMN "held_until" timestamptz;
CREATE INDEX "concurrency_slots_run_id_idx" ON "inngest_engine"."concurrency_slots"("run_id") WHERE "run_id" IS NOT NULL;

-- Retention deletes ended runs by age.
CREATE INDEX "runs_ended_at_idx" ON "inngest_engine"."runs"("ended_at") WHERE "ended_at" IS NOT NULL;
