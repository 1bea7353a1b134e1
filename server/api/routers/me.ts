import { authedProcedure, createTRPCRouter } from '@/server/api/trpc';
import { changePasswordInput } from '@/server/api/schemas/me';
import { changePassword, getMe, signOutEverywhere } from '@/server/domain/users';

export const meRouter = createTRPCRouter({
  get: authedProcedure.query(({ ctx }) => getMe(ctx.db, ctx.actor)),
  /** Needs the current password; ends every other session, keeps the caller's own. */
  changePassword: authedProcedure.input(changePasswordInput).mutation(({ ctx, input }) => changePassword(ctx.db, ctx.actor, input, ctx.user.sessionId)),
  /** Ends every session of the caller, this one included. API tokens keep working. */
  signOutEverywhere: authedProcedure.mutation(({ ctx }) => signOutEverywhere(ctx.db, ctx.actor)),
});
