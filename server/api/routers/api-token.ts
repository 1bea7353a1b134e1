import { authedProcedure, createTRPCRouter, limitPerUser, sessionProcedure } from '@/server/api/trpc';
import { LIMITS } from '@/server/domain/rate-limit';
import { byId } from '@/server/api/schemas/common';
import { createApiTokenInput } from '@/server/api/schemas/api-token';
import { createApiToken, listApiTokens, revokeApiToken } from '@/server/domain/api-tokens';

/** create and revoke: the portal's session only (a token that could mint tokens would outlive its own revocation), limited per user (API_TOKEN_MUTATIONS_PER_USER_PER_HOUR) once the input is read. */
const limitTokenChanges = limitPerUser(LIMITS.apiTokenMutationsPerUser);

export const apiTokenRouter = createTRPCRouter({
  /** The token itself is in this response only; it is stored hashed. Scope READ and 90 days unless asked. */
  create: sessionProcedure.input(createApiTokenInput).use(limitTokenChanges).mutation(({ ctx, input }) => createApiToken(ctx.db, ctx.actor, input)),
  /** Every token of the caller, revoked and expired ones too (a token may list its siblings). */
  list: authedProcedure.query(({ ctx }) => listApiTokens(ctx.db, ctx.actor)),
  revoke: sessionProcedure.input(byId).use(limitTokenChanges).mutation(({ ctx, input }) => revokeApiToken(ctx.db, ctx.actor, input)),
});
