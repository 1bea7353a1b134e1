-- The queue is served per function, as Inngest serves one partition per function fairly:
-- a worker picks at random among the functions with a due run and takes that function's
-- oldest (executor.ts claimSql), so a backlog of one function (a thousand reminder mails)
-- delays another's next run (a payment's settlement) by about one call, not the backlog.
ALTER TABLE "inngest_engine"."queue" ADD COLUMN "function_id" text;
UPDATE "inngest_engine"."queue" q SET "function_id" = r."function_id" FROM "inngest_engine"."runs" r WHERE r."id" = q."run_id";
ALTER TABLE "inngest_engine"."queue" ALTER COLUMN "function_id" SET NOT NULL;
CREATE INDEX "queue_function_id_due_at_idx" ON "inngest_engine"."queue"("function_id", "due_at");
