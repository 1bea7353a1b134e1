import { authedProcedure, createTRPCRouter, limitPerUser, sessionProcedure } from '@/server/api/trpc';
import { LIMITS } from '@/server/domain/rate-limit';
import { changePasswordInput, setEmailPreferencesInput, updateNameInput, verifyEmailInput } from '@/server/api/schemas/me';
import { changePassword, getMe, signOutEverywhere, updateName } from '@/server/domain/users';
import { getEmailPreferences, setEmailPreferences } from '@/server/domain/mail';
import { sendVerificationEmail, verifyEmail } from '@/server/domain/email-verification';
import { requestOutboxDispatch } from '@/inngest/outbox';
import { describes, meOutput } from '@/server/api/schemas/outputs';
import type { getMe as GetMe } from '@/server/domain/users';

export const meRouter = createTRPCRouter({
  /** Who is signed in, with whether their email is verified. */
  get: authedProcedure
    .meta({ openapi: { method: 'GET', path: '/me', tags: ['Account'], summary: 'Who the token belongs to' } })
    .output(describes<Awaited<ReturnType<typeof GetMe>>>(meOutput))
    .query(({ ctx }) => getMe(ctx.db, ctx.actor)),
  /** Needs the current password and the portal's session (not a token); ends every other session, keeps the caller's own. */
  changePassword: sessionProcedure.input(changePasswordInput).mutation(({ ctx, input }) => changePassword(ctx.db, ctx.actor, input, ctx.user.sessionId)),
  /** Changes the caller's name (records user.renamed). */
  updateName: authedProcedure.input(updateNameInput).use(limitPerUser(LIMITS.recordChangesPerUser)).mutation(({ ctx, input }) => ctx.db.$transaction((tx) => updateName(tx, ctx.actor, input))),
  /** Ends every session of the caller, this one included (the portal's session only, not a token). API tokens keep working. */
  signOutEverywhere: sessionProcedure.mutation(({ ctx }) => signOutEverywhere(ctx.db, ctx.actor)),
  /** Every notice kind with whether it also comes by email. */
  emailPreferences: authedProcedure.query(({ ctx }) => getEmailPreferences(ctx.db, ctx.actor)),
  setEmailPreferences: authedProcedure.input(setEmailPreferencesInput).mutation(({ ctx, input }) => ctx.db.$transaction((tx) => setEmailPreferences(tx, ctx.actor, input))),
  /** Mails a one-time link proving the caller reads their address (5 an hour). */
  sendVerificationEmail: authedProcedure.mutation(async ({ ctx }) => {
    const result = await ctx.db.$transaction((tx) => sendVerificationEmail(tx, ctx.actor));
    if (result.sent) requestOutboxDispatch();
    return result;
  }),
  /** Consumes a verification or invitation link mailed to the caller's address; returns the invitation's lease, if any. */
  verifyEmail: authedProcedure.input(verifyEmailInput).mutation(({ ctx, input }) => ctx.db.$transaction((tx) => verifyEmail(tx, ctx.actor, input))),
});
