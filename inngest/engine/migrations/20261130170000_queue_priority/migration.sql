-- Inngest's `priority.run`: a run whose function computes a factor of P seconds (0-600) from
-- its event goes ahead of every run queued up to P seconds before it (executor.ts claimSql).
-- The partial index holds only prioritized rows, so the claim's extra probe stays small.
ALTER TABLE "inngest_engine"."queue" ADD COLUMN "priority_s" integer NOT NULL DEFAULT 0 CHECK ("priority_s" BETWEEN 0 AND 600);
CREATE INDEX "queue_priority_due_at_idx" ON "inngest_engine"."queue"("due_at") WHERE "priority_s" > 0;
