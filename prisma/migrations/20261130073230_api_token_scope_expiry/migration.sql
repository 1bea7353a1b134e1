-- CreateEnum
CREATE TYPE "ApiTokenScope" AS ENUM ('READ', 'WRITE');

-- ---------------------------------------------------------------------------------------
-- Hand-written: the generated ADD COLUMN ... NOT NULL fails on a table with rows, so the
-- columns are added nullable, filled for the tokens that exist, then made NOT NULL.
-- ---------------------------------------------------------------------------------------

-- AlterTable
ALTER TABLE "ApiToken" ADD COLUMN     "expiresAt" TIMESTAMPTZ(3),
ADD COLUMN     "scope" "ApiTokenScope";

-- Tokens made before scopes could write, so they keep WRITE; they expire 90 days from now
-- (the default lifetime, server/api/schemas/api-token.ts), so their owners have that long to
-- replace them with tokens of the scope and lifetime they choose.
UPDATE "ApiToken" SET "scope" = 'WRITE', "expiresAt" = now() + interval '90 days';

ALTER TABLE "ApiToken" ALTER COLUMN "expiresAt" SET NOT NULL,
ALTER COLUMN "scope" SET NOT NULL;

-- A token expires after it was made (the backfill above: now() is after every createdAt).
ALTER TABLE "ApiToken"
  ADD CONSTRAINT "ApiToken_expiresAt_after_createdAt" CHECK ("expiresAt" > "createdAt");
