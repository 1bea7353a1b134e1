import { createTRPCRouter, publicProcedure } from '@/server/api/trpc';
import { signUpInput } from '@/server/api/schemas/auth';
import { signUp } from '@/server/domain/users';

export const authRouter = createTRPCRouter({
  /** Creates an account; sign in afterwards through next-auth's credentials endpoint. */
  signUp: publicProcedure.input(signUpInput).mutation(({ ctx, input }) => ctx.db.$transaction((tx) => signUp(tx, input))),
});
