// tRPC setup: the request context, the one error formatter, the one place DomainError
// becomes a TRPCError, and the procedure builders every router uses:
//   publicProcedure, authedProcedure, landlordProcedure, renterProcedure, operatorProcedure.
// The context's user comes from server/auth.ts: an API token, or a cookie whose server-side
// session is still live.
import 'server-only';
import { initTRPC, TRPCError } from '@trpc/server';
import superjson from 'superjson';
import { z, ZodError } from 'zod';
import { db } from '@/server/db';
import { sessionUserFromHeaders, type SessionUser } from '@/server/auth';
import { DomainError } from '@/server/domain/errors';
import { Prisma } from '@/server/generated/prisma/client';

export interface Context {
  db: typeof db;
  user: SessionUser | null;
  /** Request headers (Idempotency-Key and the like). */
  headers: Headers;
  /** Headers to add to the response (Idempotent-Replayed). */
  resHeaders: Headers;
}

/** `user`, when the caller has already read it for this request (pages: getSessionUser), saves a second session check. */
export async function createTRPCContext(opts: { headers: Headers; resHeaders?: Headers; user?: SessionUser | null }): Promise<Context> {
  return {
    db,
    user: opts.user === undefined ? await sessionUserFromHeaders(opts.headers) : opts.user,
    headers: opts.headers,
    resHeaders: opts.resHeaders ?? new Headers(),
  };
}

const t = initTRPC.context<Context>().create({
  transformer: superjson,
  errorFormatter({ shape, error }) {
    const cause = error.cause;
    let fieldErrors: Record<string, string[] | undefined> | null = null;
    if (cause instanceof ZodError) fieldErrors = zodFieldErrors(cause);
    else if (cause instanceof DomainError && cause.fieldErrors) fieldErrors = cause.fieldErrors;
    return {
      ...shape,
      // Zod's own message is a JSON dump of issues; say it in one line instead.
      message: cause instanceof ZodError ? summarizeZodError(cause) : shape.message,
      data: { ...shape.data, stack: undefined, fieldErrors },
    };
  },
});

/** Zod's field errors, plus one per unknown field (zod reports those on the parent object). */
function zodFieldErrors(error: ZodError): Record<string, string[] | undefined> {
  const fieldErrors: Record<string, string[] | undefined> = { ...(z.flattenError(error).fieldErrors as Record<string, string[]>) };
  for (const issue of error.issues) {
    if (issue.code !== 'unrecognized_keys') continue;
    for (const key of issue.keys) fieldErrors[[...issue.path, key].join('.')] = ['is not a known field'];
  }
  return fieldErrors;
}

function summarizeZodError(error: ZodError): string {
  const parts = error.issues.slice(0, 5).map((issue) => {
    const path = issue.path.join('.');
    if (issue.code === 'unrecognized_keys') return `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.join(', ')}`;
    return path ? `${path}: ${issue.message}` : issue.message;
  });
  return `Invalid input: ${parts.join('; ')}`;
}

/** Maps domain errors (and the database's own refusals) to tRPC codes, once for all procedures. */
const domainErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (result.ok) return result;
  const cause = result.error.cause;
  if (cause instanceof DomainError) {
    throw new TRPCError({ code: cause.code, message: cause.message, cause });
  }
  if (cause instanceof Prisma.PrismaClientKnownRequestError && cause.code === 'P2034') {
    throw new TRPCError({ code: 'CONFLICT', message: 'Another request changed this record at the same time; try again', cause });
  }
  return result;
});

export const createTRPCRouter = t.router;

export const publicProcedure = t.procedure.use(domainErrors);

export const authedProcedure = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.user) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Sign in to continue' });
  return next({ ctx: { ...ctx, user: ctx.user, actor: { id: ctx.user.id, role: ctx.user.role } } });
});

export const landlordProcedure = authedProcedure.use(({ ctx, next }) => {
  if (ctx.user.role !== 'LANDLORD') throw new TRPCError({ code: 'FORBIDDEN', message: 'Only landlords can do this' });
  return next();
});

export const renterProcedure = authedProcedure.use(({ ctx, next }) => {
  if (ctx.user.role !== 'RENTER') throw new TRPCError({ code: 'FORBIDDEN', message: 'Only renters can do this' });
  return next();
});

/** Operators only (OPERATOR_EMAILS; server/domain/operators.ts), whatever their role. */
export const operatorProcedure = authedProcedure.use(({ ctx, next }) => {
  if (!ctx.user.operator) throw new TRPCError({ code: 'FORBIDDEN', message: 'Only operators can do this' });
  return next();
});
