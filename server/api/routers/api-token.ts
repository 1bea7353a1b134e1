import { authedProcedure, createTRPCRouter } from '@/server/api/trpc';
import { byId } from '@/server/api/schemas/common';
import { createApiTokenInput } from '@/server/api/schemas/api-token';
import { createApiToken, listApiTokens, revokeApiToken } from '@/server/domain/api-tokens';

export const apiTokenRouter = createTRPCRouter({
  /** The token itself is in this response only; it is stored hashed. */
  create: authedProcedure.input(createApiTokenInput).mutation(({ ctx, input }) => createApiToken(ctx.db, ctx.actor, input)),
  list: authedProcedure.query(({ ctx }) => listApiTokens(ctx.db, ctx.actor)),
  revoke: authedProcedure.input(byId).mutation(({ ctx, input }) => revokeApiToken(ctx.db, ctx.actor, input)),
});
