// The public API: one router per area, named in the singular. Procedure names are a contract.
import { createTRPCRouter } from '@/server/api/trpc';
import { authRouter } from '@/server/api/routers/auth';
import { meRouter } from '@/server/api/routers/me';
import { apiTokenRouter } from '@/server/api/routers/api-token';
import { bankAccountRouter } from '@/server/api/routers/bank-account';
import { propertyRouter } from '@/server/api/routers/property';
import { leaseRouter } from '@/server/api/routers/lease';
import { paymentRouter } from '@/server/api/routers/payment';
import { notificationRouter } from '@/server/api/routers/notification';
import { ledgerRouter } from '@/server/api/routers/ledger';
import { webhookRouter } from '@/server/api/routers/webhook';
import { dashboardRouter } from '@/server/api/routers/dashboard';
import { autopayRouter } from '@/server/api/routers/autopay';
import { auditRouter } from '@/server/api/routers/audit';

export const appRouter = createTRPCRouter({
  auth: authRouter,
  me: meRouter,
  apiToken: apiTokenRouter,
  bankAccount: bankAccountRouter,
  property: propertyRouter,
  lease: leaseRouter,
  payment: paymentRouter,
  ledger: ledgerRouter,
  audit: auditRouter,
  notification: notificationRouter,
  webhook: webhookRouter,
  dashboard: dashboardRouter,
  autopay: autopayRouter,
});

export type AppRouter = typeof appRouter;
