-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "Role" AS ENUM ('LANDLORD', 'RENTER');

-- CreateEnum
CREATE TYPE "AccountType" AS ENUM ('CHECKING', 'SAVINGS');

-- CreateEnum
CREATE TYPE "LeaseStatus" AS ENUM ('PENDING', 'ACTIVE', 'COMPLETED', 'DEFAULTED', 'CANCELLED');

-- CreateEnum
CREATE TYPE "InstallmentStatus" AS ENUM ('DUE', 'PAID', 'FAILED', 'WAIVED');

-- CreateEnum
CREATE TYPE "PaymentStatus" AS ENUM ('PENDING', 'PROCESSING', 'COMPLETED', 'FAILED', 'CANCELLED', 'RETURNED');

-- CreateEnum
CREATE TYPE "Rail" AS ENUM ('RTP', 'WIRE', 'SAME_DAY_ACH', 'STANDARD_ACH');

-- CreateEnum
CREATE TYPE "IdempotencyStatus" AS ENUM ('IN_PROGRESS', 'COMPLETED');

-- CreateTable
CREATE TABLE "User" (
    "id" UUID NOT NULL,
    "email" VARCHAR(254) NOT NULL,
    "name" VARCHAR(100) NOT NULL,
    "role" "Role" NOT NULL,
    "passwordHash" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "User_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "BankAccount" (
    "id" UUID NOT NULL,
    "userId" UUID NOT NULL,
    "nickname" VARCHAR(50) NOT NULL,
    "bankName" VARCHAR(100) NOT NULL,
    "type" "AccountType" NOT NULL,
    "routingNumber" CHAR(9) NOT NULL,
    "last4" CHAR(4) NOT NULL,
    "accountToken" CHAR(64) NOT NULL,
    "isPrimary" BOOLEAN NOT NULL DEFAULT false,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "BankAccount_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Property" (
    "id" UUID NOT NULL,
    "landlordId" UUID NOT NULL,
    "name" VARCHAR(100) NOT NULL,
    "line1" VARCHAR(100) NOT NULL,
    "line2" VARCHAR(100),
    "city" VARCHAR(60) NOT NULL,
    "state" CHAR(2) NOT NULL,
    "postalCode" VARCHAR(10) NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Property_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Lease" (
    "id" UUID NOT NULL,
    "propertyId" UUID NOT NULL,
    "landlordId" UUID NOT NULL,
    "renterId" UUID,
    "renterEmail" VARCHAR(254) NOT NULL,
    "monthlyRentCents" INTEGER NOT NULL,
    "startDate" DATE NOT NULL,
    "termMonths" INTEGER NOT NULL,
    "dueDay" INTEGER NOT NULL,
    "prorateFirstMonth" BOOLEAN NOT NULL DEFAULT false,
    "payoutAccountId" UUID NOT NULL,
    "status" "LeaseStatus" NOT NULL DEFAULT 'PENDING',
    "statusReason" VARCHAR(500),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Lease_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Installment" (
    "id" UUID NOT NULL,
    "leaseId" UUID NOT NULL,
    "number" INTEGER NOT NULL,
    "dueDate" DATE NOT NULL,
    "amountCents" INTEGER NOT NULL,
    "status" "InstallmentStatus" NOT NULL DEFAULT 'DUE',
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Installment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Payment" (
    "id" UUID NOT NULL,
    "installmentId" UUID NOT NULL,
    "leaseId" UUID NOT NULL,
    "renterId" UUID NOT NULL,
    "landlordId" UUID NOT NULL,
    "fromAccountId" UUID NOT NULL,
    "toAccountId" UUID NOT NULL,
    "rail" "Rail" NOT NULL,
    "amountCents" INTEGER NOT NULL,
    "feeCents" INTEGER NOT NULL DEFAULT 0,
    "status" "PaymentStatus" NOT NULL DEFAULT 'PENDING',
    "failureCode" VARCHAR(10),
    "failureReason" VARCHAR(500),
    "attempt" INTEGER NOT NULL DEFAULT 1,
    "submitAt" TIMESTAMPTZ(3) NOT NULL,
    "expectedSettlementAt" TIMESTAMPTZ(3) NOT NULL,
    "submittedAt" TIMESTAMPTZ(3),
    "settledAt" TIMESTAMPTZ(3),
    "returnableUntil" TIMESTAMPTZ(3),
    "idempotencyKey" VARCHAR(255),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Payment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Event" (
    "id" BIGSERIAL NOT NULL,
    "aggregateType" VARCHAR(30) NOT NULL,
    "aggregateId" UUID NOT NULL,
    "sequence" INTEGER NOT NULL,
    "type" VARCHAR(60) NOT NULL,
    "actorId" UUID,
    "actorRole" VARCHAR(20) NOT NULL,
    "reason" VARCHAR(500),
    "data" JSONB NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "prevHash" CHAR(64),
    "hash" CHAR(64) NOT NULL,

    CONSTRAINT "Event_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "IdempotencyRecord" (
    "id" UUID NOT NULL,
    "userId" UUID NOT NULL,
    "procedure" VARCHAR(100) NOT NULL,
    "key" VARCHAR(255) NOT NULL,
    "requestHash" CHAR(64) NOT NULL,
    "status" "IdempotencyStatus" NOT NULL DEFAULT 'IN_PROGRESS',
    "response" JSONB,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "IdempotencyRecord_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ApiToken" (
    "id" UUID NOT NULL,
    "userId" UUID NOT NULL,
    "name" VARCHAR(100) NOT NULL,
    "prefix" VARCHAR(16) NOT NULL,
    "tokenHash" CHAR(64) NOT NULL,
    "lastUsedAt" TIMESTAMPTZ(3),
    "revokedAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ApiToken_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Notification" (
    "id" UUID NOT NULL,
    "userId" UUID NOT NULL,
    "type" VARCHAR(60) NOT NULL,
    "title" VARCHAR(200) NOT NULL,
    "body" VARCHAR(1000) NOT NULL,
    "link" VARCHAR(300),
    "readAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Notification_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "User_email_key" ON "User"("email");

-- CreateIndex
CREATE INDEX "BankAccount_userId_createdAt_idx" ON "BankAccount"("userId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "BankAccount_userId_routingNumber_accountToken_key" ON "BankAccount"("userId", "routingNumber", "accountToken");

-- CreateIndex
CREATE INDEX "Property_landlordId_createdAt_idx" ON "Property"("landlordId", "createdAt");

-- CreateIndex
CREATE INDEX "Lease_landlordId_createdAt_idx" ON "Lease"("landlordId", "createdAt");

-- CreateIndex
CREATE INDEX "Lease_renterId_createdAt_idx" ON "Lease"("renterId", "createdAt");

-- CreateIndex
CREATE INDEX "Lease_renterEmail_idx" ON "Lease"("renterEmail");

-- CreateIndex
CREATE INDEX "Lease_propertyId_idx" ON "Lease"("propertyId");

-- CreateIndex
CREATE INDEX "Lease_payoutAccountId_idx" ON "Lease"("payoutAccountId");

-- CreateIndex
CREATE UNIQUE INDEX "Installment_leaseId_number_key" ON "Installment"("leaseId", "number");

-- CreateIndex
CREATE INDEX "Payment_renterId_createdAt_idx" ON "Payment"("renterId", "createdAt");

-- CreateIndex
CREATE INDEX "Payment_landlordId_createdAt_idx" ON "Payment"("landlordId", "createdAt");

-- CreateIndex
CREATE INDEX "Payment_leaseId_createdAt_idx" ON "Payment"("leaseId", "createdAt");

-- CreateIndex
CREATE INDEX "Payment_installmentId_idx" ON "Payment"("installmentId");

-- CreateIndex
CREATE INDEX "Payment_status_createdAt_idx" ON "Payment"("status", "createdAt");

-- CreateIndex
CREATE INDEX "Payment_fromAccountId_idx" ON "Payment"("fromAccountId");

-- CreateIndex
CREATE INDEX "Payment_toAccountId_idx" ON "Payment"("toAccountId");

-- CreateIndex
CREATE INDEX "Event_createdAt_idx" ON "Event"("createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "Event_aggregateType_aggregateId_sequence_key" ON "Event"("aggregateType", "aggregateId", "sequence");

-- CreateIndex
CREATE INDEX "IdempotencyRecord_expiresAt_idx" ON "IdempotencyRecord"("expiresAt");

-- CreateIndex
CREATE UNIQUE INDEX "IdempotencyRecord_userId_procedure_key_key" ON "IdempotencyRecord"("userId", "procedure", "key");

-- CreateIndex
CREATE UNIQUE INDEX "ApiToken_tokenHash_key" ON "ApiToken"("tokenHash");

-- CreateIndex
CREATE INDEX "ApiToken_userId_createdAt_idx" ON "ApiToken"("userId", "createdAt");

-- CreateIndex
CREATE INDEX "Notification_userId_createdAt_idx" ON "Notification"("userId", "createdAt");

-- AddForeignKey
ALTER TABLE "BankAccount" ADD CONSTRAINT "BankAccount_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Property" ADD CONSTRAINT "Property_landlordId_fkey" FOREIGN KEY ("landlordId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Lease" ADD CONSTRAINT "Lease_propertyId_fkey" FOREIGN KEY ("propertyId") REFERENCES "Property"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Lease" ADD CONSTRAINT "Lease_landlordId_fkey" FOREIGN KEY ("landlordId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Lease" ADD CONSTRAINT "Lease_renterId_fkey" FOREIGN KEY ("renterId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Lease" ADD CONSTRAINT "Lease_payoutAccountId_fkey" FOREIGN KEY ("payoutAccountId") REFERENCES "BankAccount"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Installment" ADD CONSTRAINT "Installment_leaseId_fkey" FOREIGN KEY ("leaseId") REFERENCES "Lease"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Payment" ADD CONSTRAINT "Payment_installmentId_fkey" FOREIGN KEY ("installmentId") REFERENCES "Installment"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Payment" ADD CONSTRAINT "Payment_leaseId_fkey" FOREIGN KEY ("leaseId") REFERENCES "Lease"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Payment" ADD CONSTRAINT "Payment_renterId_fkey" FOREIGN KEY ("renterId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Payment" ADD CONSTRAINT "Payment_landlordId_fkey" FOREIGN KEY ("landlordId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Payment" ADD CONSTRAINT "Payment_fromAccountId_fkey" FOREIGN KEY ("fromAccountId") REFERENCES "BankAccount"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Payment" ADD CONSTRAINT "Payment_toAccountId_fkey" FOREIGN KEY ("toAccountId") REFERENCES "BankAccount"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "IdempotencyRecord" ADD CONSTRAINT "IdempotencyRecord_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ApiToken" ADD CONSTRAINT "ApiToken_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Notification" ADD CONSTRAINT "Notification_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- ---------------------------------------------------------------------------------------
-- Rules Prisma's schema language cannot express; the database enforces them for every
-- writer, whatever code path or how many app instances.
-- ---------------------------------------------------------------------------------------

-- Emails are stored lower-cased, which makes the unique index on "email" case-insensitive.
ALTER TABLE "User" ADD CONSTRAINT "User_email_lowercase" CHECK ("email" = lower("email"));

ALTER TABLE "BankAccount"
  ADD CONSTRAINT "BankAccount_routingNumber_digits" CHECK ("routingNumber" ~ '^[0-9]{9}$'),
  ADD CONSTRAINT "BankAccount_last4_digits" CHECK ("last4" ~ '^[0-9]{4}$'),
  ADD CONSTRAINT "BankAccount_primary_is_active" CHECK (NOT "isPrimary" OR "active");
-- One primary account per user.
CREATE UNIQUE INDEX "BankAccount_one_primary_per_user" ON "BankAccount"("userId") WHERE "isPrimary";

ALTER TABLE "Property"
  ADD CONSTRAINT "Property_state_code" CHECK ("state" ~ '^[A-Z]{2}$'),
  ADD CONSTRAINT "Property_postalCode_zip" CHECK ("postalCode" ~ '^[0-9]{5}(-[0-9]{4})?$');

-- Money is integer cents (the column type), positive, at most $1,000,000 per month.
ALTER TABLE "Lease"
  ADD CONSTRAINT "Lease_monthlyRentCents_range" CHECK ("monthlyRentCents" > 0 AND "monthlyRentCents" <= 100000000),
  ADD CONSTRAINT "Lease_termMonths_range" CHECK ("termMonths" BETWEEN 1 AND 60),
  ADD CONSTRAINT "Lease_dueDay_range" CHECK ("dueDay" BETWEEN 1 AND 31),
  ADD CONSTRAINT "Lease_renterEmail_lowercase" CHECK ("renterEmail" = lower("renterEmail"));
-- Invitations waiting for the renter to sign up are looked up by email.
CREATE INDEX "Lease_pending_invitation" ON "Lease"("renterEmail") WHERE "renterId" IS NULL;

ALTER TABLE "Installment"
  ADD CONSTRAINT "Installment_amountCents_positive" CHECK ("amountCents" > 0),
  ADD CONSTRAINT "Installment_number_positive" CHECK ("number" >= 1);

ALTER TABLE "Payment"
  ADD CONSTRAINT "Payment_amountCents_positive" CHECK ("amountCents" > 0),
  ADD CONSTRAINT "Payment_feeCents_nonnegative" CHECK ("feeCents" >= 0),
  ADD CONSTRAINT "Payment_attempt_positive" CHECK ("attempt" >= 1),
  ADD CONSTRAINT "Payment_distinct_accounts" CHECK ("fromAccountId" <> "toAccountId");
-- At most one payment in flight per installment: nothing is ever paid twice.
CREATE UNIQUE INDEX "Payment_one_in_flight_per_installment" ON "Payment"("installmentId") WHERE "status" IN ('PENDING', 'PROCESSING');

ALTER TABLE "Event"
  ADD CONSTRAINT "Event_sequence_positive" CHECK ("sequence" >= 1),
  ADD CONSTRAINT "Event_chain_start" CHECK (("sequence" = 1) = ("prevHash" IS NULL));

-- The event history is append-only: no code path, migration script or console session can
-- rewrite it without first dropping this trigger.
CREATE FUNCTION "event_history_is_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the event history is append-only: % on "Event" is not allowed', TG_OP
    USING ERRCODE = 'P0001', HINT = 'record a new event instead';
END
$$;
CREATE TRIGGER "Event_append_only_rows" BEFORE UPDATE OR DELETE ON "Event"
  FOR EACH ROW EXECUTE FUNCTION "event_history_is_append_only"();
CREATE TRIGGER "Event_append_only_truncate" BEFORE TRUNCATE ON "Event"
  FOR EACH STATEMENT EXECUTE FUNCTION "event_history_is_append_only"();

CREATE INDEX "Notification_unread" ON "Notification"("userId") WHERE "readAt" IS NULL;
