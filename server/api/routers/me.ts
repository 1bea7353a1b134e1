import { authedProcedure, createTRPCRouter } from '@/server/api/trpc';
import { getMe } from '@/server/domain/users';

export const meRouter = createTRPCRouter({
  get: authedProcedure.query(({ ctx }) => getMe(ctx.db, ctx.actor)),
});
