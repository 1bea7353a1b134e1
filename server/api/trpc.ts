// tRPC setup: the request context, the one error formatter, the one place DomainError
// becomes a TRPCError, and the procedure builders every router uses:
//   publicProcedure, authedProcedure, sessionProcedure, landlordProcedure, renterProcedure,
//   operatorProcedure, plus limitPerUser and idempotencyKeyOfCall.
// The context's user comes from server/auth.ts: an API token, or a cookie whose server-side
// session is still live. What an API token may call is decided here, once for both doors
// (/api/trpc and /api/v1): its scope (READ: queries only) and never a sessionProcedure.
//
// What reaches a client is decided here: input with a `__proto__`, `constructor` or
// `prototype` key is refused before superjson reads it; an error nobody expected is a generic
// INTERNAL_SERVER_ERROR naming the request id (the detail goes only to the log, see
// app/api/trpc/[trpc]/route.ts); a database outage is SERVICE_UNAVAILABLE (503 + Retry-After).
import 'server-only';
import { initTRPC, TRPCError } from '@trpc/server';
import type { OpenApiMeta } from 'trpc-to-openapi';
import superjson from 'superjson';
import { z, ZodError } from 'zod';
import { db } from '@/server/db';
import { sessionUserFromHeaders, type SessionUser } from '@/server/auth';
import { DomainError } from '@/server/domain/errors';
import { hit, type Limit } from '@/server/domain/rate-limit';
import { isDatabaseUnavailable, isWriteConflict } from '@/server/db-errors';
import { idempotencyKeyOf } from '@/server/api/idempotency-key';
import { currentRequestId, nameRequestProcedure, setRequestUser } from '@/server/request-context';

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
  let user: SessionUser | null;
  try {
    user = opts.user === undefined ? await sessionUserFromHeaders(opts.headers) : opts.user;
  } catch (error) {
    throw isDatabaseUnavailable(error) ? serviceUnavailable(error) : error;
  }
  if (user) setRequestUser(user.id);
  return { db, user, headers: opts.headers, resHeaders: opts.resHeaders ?? new Headers() };
}

const serviceUnavailable = (cause: unknown) =>
  new TRPCError({ code: 'SERVICE_UNAVAILABLE', message: 'DirectPay is temporarily unavailable; try again shortly', cause });

/** Object keys that would reach Object.prototype (or superjson's refusal) if they got through. */
const UNSAFE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** The first unsafe key anywhere in a parsed JSON value (walked without recursion: any depth is safe). */
export function unsafeKeyIn(value: unknown): string | null {
  const stack = [value];
  while (stack.length) {
    const current = stack.pop();
    if (!current || typeof current !== 'object') continue;
    for (const key of Object.keys(current)) {
      if (UNSAFE_KEYS.has(key)) return key;
      stack.push((current as Record<string, unknown>)[key]);
    }
  }
  return null;
}

/** superjson, except that input is checked for unsafe keys first and what it cannot read is a 400. */
const transformer = {
  input: {
    serialize: (value: unknown) => superjson.serialize(value),
    deserialize: (value: unknown) => {
      const key = unsafeKeyIn(value);
      if (key) throw new TRPCError({ code: 'BAD_REQUEST', message: `Invalid input: the key "${key}" is not allowed` });
      // An empty body is `{}` by now (server/http-semantics.ts): no input.
      if (value && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length === 0) return undefined;
      // superjson reads anything else without its wrapper as no input: a body "str" ran
      // notification.markAllRead, and lease.list with {"foo":1} listed everything.
      if (!value || typeof value !== 'object' || Array.isArray(value) || !Object.hasOwn(value, 'json')) {
        throw new TRPCError({ code: 'BAD_REQUEST', message: 'Invalid input: not readable as superjson ({"json": …})' });
      }
      try {
        return superjson.deserialize(value as Parameters<typeof superjson.deserialize>[0]);
      } catch {
        throw new TRPCError({ code: 'BAD_REQUEST', message: 'Invalid input: not readable as superjson ({"json": …})' });
      }
    },
  },
  output: superjson,
};

// `meta.openapi` exposes a procedure as REST under /api/v1 and in /api/openapi.json (server/api/openapi.ts).
const t = initTRPC.context<Context>().meta<OpenApiMeta>().create({
  transformer,
  errorFormatter({ shape, error }) {
    const cause = error.cause;
    // Only the caller's input is theirs to fix: a ZodError behind any other code (tRPC's "Output
    // validation failed", a 500) is ours and stays in the log.
    const invalidInput = cause instanceof ZodError && error.code === 'BAD_REQUEST';
    let fieldErrors: Record<string, string[] | undefined> | null = null;
    if (invalidInput) fieldErrors = zodFieldErrors(cause);
    else if (cause instanceof DomainError && cause.fieldErrors) fieldErrors = cause.fieldErrors;
    const requestId = currentRequestId() ?? null;
    let message = shape.message;
    // Zod's own message is a JSON dump of issues; say it in one line instead.
    if (invalidInput) message = summarizeZodError(cause);
    // Whatever went wrong unexpectedly (a bug, a database error) stays in the log.
    else if (error.code === 'INTERNAL_SERVER_ERROR') message = `Something went wrong on our side; quote request id ${requestId ?? 'unknown'} if it persists`;
    return { ...shape, message, data: { ...shape.data, stack: undefined, fieldErrors, requestId } };
  },
});
/** Zod's field errors, plus one per unknown field (zod reports those on the parent object). */
export function zodFieldErrors(error: ZodError): Record<string, string[] | undefined> {
  const fieldErrors: Record<string, string[] | undefined> = { ...(z.flattenError(error).fieldErrors as Record<string, string[]>) };
  for (const issue of error.issues) {
    if (issue.code !== 'unrecognized_keys') continue;
    for (const key of issue.keys) fieldErrors[[...issue.path, key].join('.')] = ['is not a known field'];
  }
  return fieldErrors;
}

/** Zod's issues in one line, the `message` of a BAD_REQUEST for bad input (tRPC and /api/v1 alike). */
export function summarizeZodError(error: ZodError): string {
  const parts = error.issues.slice(0, 5).map((issue) => {
    const path = issue.path.join('.');
    if (issue.code === 'unrecognized_keys') return `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.join(', ')}`;
    // zod's own messages start "Invalid input: …", which this line already says.
    const message = issue.message.replace(/^Invalid input: /, '');
    return path ? `${path}: ${message}` : message;
  });
  return `Invalid input: ${parts.join('; ')}`;
}

/** Maps domain errors (and the database's own refusals and outages) to tRPC codes, once for all procedures. */
const domainErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (result.ok) return result;
  const cause = result.error.cause;
  if (cause instanceof DomainError) {
    throw new TRPCError({ code: cause.code, message: cause.message, cause });
  }
  if (isWriteConflict(cause)) {
    throw new TRPCError({ code: 'CONFLICT', message: 'Another request changed this record at the same time; try again', cause });
  }
  if (result.error.code === 'INTERNAL_SERVER_ERROR' && isDatabaseUnavailable(cause)) throw serviceUnavailable(cause);
  return result;
});

export const createTRPCRouter = t.router;

/** What a READ token hears when it calls a mutation. */
export const READ_ONLY_TOKEN_MESSAGE =
  'This API token is read-only (scope READ): it may call queries, not mutations. For a program that makes changes, create a token with scope WRITE in the portal (Settings → API tokens)';

/** What an API token hears when it calls a sessionProcedure. */
export const PORTAL_SESSION_MESSAGE = "An API token cannot manage the account's credentials or sessions: sign in to the portal to do this";

/**
 * An API token's scope, checked for every procedure but sessionProcedure's (which no token
 * passes): a READ token may call queries only, so any mutation answers FORBIDDEN before its
 * input is read or a rate limit counted, and changes nothing. WRITE tokens and the portal's
 * session call both. `type` is the procedure's own, on /api/trpc and /api/v1 alike.
 */
const tokenScope = t.middleware(({ ctx, type, next }) => {
  if (type !== 'query' && ctx.user?.apiTokenScope === 'READ') throw new TRPCError({ code: 'FORBIDDEN', message: READ_ONLY_TOKEN_MESSAGE });
  return next();
});

/** Someone is signed in (a live session cookie or API token); puts their `actor` on the context. */
const signedIn = t.middleware(({ ctx, next }) => {
  if (!ctx.user) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Sign in to continue' });
  // What the session check read (one statement), so procedures need not read the user again.
  const { id, role, email, name, emailVerified } = ctx.user;
  return next({ ctx: { ...ctx, user: ctx.user, actor: { id, role, email, name, emailVerified } } });
});

/** Every call names its request by its procedure (the log line's and metrics' `procedure`), whichever door it came through. */
const named = t.middleware(({ path, next }) => {
  nameRequestProcedure(path);
  return next();
});

const procedure = t.procedure.use(named).use(domainErrors);

/**
 * Reads the call's input for every procedure, also one that takes none: tRPC reads (and the
 * transformer checks) input only for procedures with `.input()`, so `me.get` with a `__proto__`
 * key or input that is not JSON answered 200 and `notification.markAllRead` ran. Each exported
 * builder ends with it, so who may call still comes first (401, 403, then 400, as the input
 * parsers order it); tRPC reads the input once and keeps it for the parsers.
 */
const inputRead = t.middleware(async ({ getRawInput, next }) => {
  await getRawInput();
  return next();
});

const scoped = procedure.use(tokenScope);
const signedInScoped = scoped.use(signedIn);

export const publicProcedure = scoped.use(inputRead);

export const authedProcedure = signedInScoped.use(inputRead);

/**
 * The portal's own session only (a cookie with a live Session row), never an API token: for
 * what manages the account's credentials and sessions (API tokens, the password, sign-out
 * everywhere, webhook endpoints and their secrets) and where money comes from and goes to (bank
 * accounts, a lease's payout account), so a leaked token cannot outlive its revocation, lock its
 * owner out, or send future rent to an account it added. Built beside authedProcedure rather than on it so that a
 * READ token is told it needs the portal, not that a WRITE token would do.
 */
const portalSession = procedure.use(signedIn).use(({ ctx, next }) => {
  if (ctx.user.sessionId === null) throw new TRPCError({ code: 'FORBIDDEN', message: PORTAL_SESSION_MESSAGE });
  return next();
});
export const sessionProcedure = portalSession.use(inputRead);

const landlordsOnly = t.middleware(({ ctx, next }) => {
  if (ctx.user?.role !== 'LANDLORD') throw new TRPCError({ code: 'FORBIDDEN', message: 'Only landlords can do this' });
  return next();
});

export const landlordProcedure = signedInScoped.use(landlordsOnly).use(inputRead);

/** A landlord in the portal's own session (where their rent is paid to: lease.changePayout). */
export const landlordSessionProcedure = portalSession.use(landlordsOnly).use(inputRead);

export const renterProcedure = signedInScoped
  .use(({ ctx, next }) => {
    if (ctx.user.role !== 'RENTER') throw new TRPCError({ code: 'FORBIDDEN', message: 'Only renters can do this' });
    return next();
  })
  .use(inputRead);

/** Operators only (OPERATOR_EMAILS; server/domain/operators.ts), whatever their role. */
export const operatorProcedure = signedInScoped
  .use(({ ctx, next }) => {
    if (!ctx.user.operator) throw new TRPCError({ code: 'FORBIDDEN', message: 'Only operators can do this' });
    return next();
  })
  .use(inputRead);

/** The `_type` tag of the middleware that counts a rate limit (tRPC tags its own `input` and `output` middlewares so). */
export const RATE_LIMIT_MIDDLEWARE = 'rate-limit';

/**
 * A per-user rate limit for an authenticated procedure, counted after the input is read:
 * `authedProcedure.input(schema).use(limitPerUser(LIMITS.x))`. tRPC runs the input parser where
 * `.input()` stands among the middlewares (@trpc/server's createInputMiddleware), so malformed
 * input is refused (400) before the counter moves, while a well-formed call that the domain then
 * refuses (404, 409) still counts. Nothing but output validation may follow it
 * (server/api/rate-limits.test.ts checks every procedure of the router).
 */
export function limitPerUser(limitFor: (userId: string) => Limit) {
  const limit = t.middleware(async ({ ctx, next }) => {
    if (!ctx.user) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Sign in to continue' });
    await hit(ctx.db, limitFor(ctx.user.id));
    return next();
  });
  for (const middleware of limit._middlewares) middleware._type = RATE_LIMIT_MIDDLEWARE;
  return limit;
}

/**
 * The call's idempotency key, the `Idempotency-Key` header or the `idempotencyKey` field
 * (server/api/idempotency-key.ts), as `ctx.idempotencyKey`. Placed right after `.input()`: a
 * malformed header, or one that contradicts the field, is bad input, refused before a rate limit
 * counts the call.
 */
export const idempotencyKeyOfCall = t.middleware(({ ctx, input, next }) => {
  const field = (input as { idempotencyKey?: string } | undefined)?.idempotencyKey;
  return next({ ctx: { idempotencyKey: idempotencyKeyOf(ctx.headers, field) } });
});
