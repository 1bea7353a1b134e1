import { createTRPCRouter, publicProcedure } from '@/server/api/trpc';
import { signUpInput } from '@/server/api/schemas/auth';
import { signUp } from '@/server/domain/users';
import { hitAll, LIMITS } from '@/server/domain/rate-limit';
import { clientAddress } from '@/server/client-address';

export const authRouter = createTRPCRouter({
  /** Creates an account; sign in afterwards through next-auth's credentials endpoint. */
  signUp: publicProcedure.input(signUpInput).mutation(async ({ ctx, input }) => {
    await hitAll(ctx.db, [LIMITS.signUpPerAddress(clientAddress(ctx.headers))]);
    return signUp(ctx.db, input);
  }),
});
