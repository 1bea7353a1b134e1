-- Concurrency slot rows are now made when a run is created (runs.ts createRun), no longer
-- at each call to the app; unfinished runs created before that get theirs here.
INSERT INTO "inngest_engine"."concurrency_slots" ("key", "slot")
SELECT c."key", generate_series(0, c."limit" - 1)
  FROM "inngest_engine"."queue" q
  JOIN "inngest_engine"."runs" r ON r."id" = q."run_id"
  CROSS JOIN LATERAL jsonb_to_recordset(r."concurrency") AS c("key" text, "limit" integer)
ON CONFLICT DO NOTHING;
