// next-auth (v4) configuration: email + password credentials, JWT sessions carrying the
// user's id, role and server-side session id, and the one function that turns a request's
// cookie or bearer token into the signed-in user for tRPC, pages and the operator dashboard.
// A cookie counts only while its Session row is live (server/domain/sessions.ts).
import 'server-only';
import { createSecretKey, hkdfSync, type KeyObject } from 'node:crypto';
import { jwtDecrypt } from 'jose';
import type { LoggerInstance, NextAuthOptions } from 'next-auth';
import CredentialsProvider from 'next-auth/providers/credentials';
import type { JWT } from 'next-auth/jwt';
import { db } from '@/server/db';
import { env } from '@/server/env';
import { isHttpsSite } from '@/server/security-headers';
import { signInInput } from '@/server/api/schemas/auth';
import { verifyCredentials, type PublicUser } from '@/server/domain/users';
import { hitAll, LIMITS, refund } from '@/server/domain/rate-limit';
import { clientAddress } from '@/server/client-address';
import { noteOutage, setRetryAfter } from '@/server/request-context';
import { logger } from '@/server/logger';
import { DomainError } from '@/server/domain/errors';
import { isDatabaseUnavailable } from '@/server/db-errors';
import { actorForApiToken } from '@/server/domain/api-tokens';
import { endSession, liveSessionOwner, SESSION_MAX_AGE_SECONDS, startSession } from '@/server/domain/sessions';
import { isOperator } from '@/server/domain/operators';
import type { ApiTokenScope, Role } from '@/server/generated/prisma/enums';

export interface SessionUser {
  id: string;
  email: string;
  name: string;
  role: Role;
  /** Read with the session or token, in the same statement: the address is verified. */
  emailVerified: boolean;
  /** Granted by configuration (OPERATOR_EMAILS): may use /dev/inngest and operator procedures. */
  operator: boolean;
  /** The portal session behind a cookie; null for an API token. */
  sessionId: string | null;
  /** The scope of the API token behind the request (READ: queries only); null for the portal session. */
  apiTokenScope: ApiTokenScope | null;
}

/** The sign-in error next-auth reports when the attempts for an email or address are used up. */
export const SIGN_IN_RATE_LIMITED = 'TooManyAttempts';
/** The sign-in error for anything else that went wrong (the detail goes only to the log). */
export const SIGN_IN_UNAVAILABLE = 'SignInUnavailable';

/**
 * Where next-auth may send the browser after signing in or out: a path or URL of this site;
 * anything else, including what does not parse (`http://[::1`), goes to `/`, which sends a
 * signed-in user to their role's home page.
 */
export function safeRedirect({ url, baseUrl }: { url: string; baseUrl: string }): string {
  try {
    const base = new URL(baseUrl);
    const target = new URL(url, base);
    // `//evil.example` and `/\\evil.example` resolve to another origin, so they fail here too.
    if (target.origin === base.origin) return target.toString();
  } catch {
    // not a URL at all
  }
  return `${baseUrl.replace(/\/$/, '')}/`;
}

/**
 * next-auth's lines through the app's logger (one JSON line each, not its console output). A
 * session cookie that does not decrypt (JWT_SESSION_ERROR: stale, from another secret, or made
 * up) is no session and the caller's doing: one warn line without a stack, where next-auth wrote
 * an error with a stack of server paths on every such request (found by a stranger).
 */
export const nextAuthLogger: Pick<LoggerInstance, 'error' | 'warn' | 'debug'> = {
  error(code, metadata) {
    const err = metadata instanceof Error ? metadata : metadata.error;
    // A database outage in a session check or sign-out is the request's 503 (noteOutage), logged by the API wrapper.
    if ((code === 'JWT_SESSION_ERROR' || code === 'SIGN_OUT_EVENT_ERROR') && isDatabaseUnavailable(err)) return;
    if (code === 'JWT_SESSION_ERROR') logger.warn({ code, reason: err?.message }, 'session cookie refused');
    else logger.error({ code, err }, 'next-auth error');
  },
  warn(code) {
    logger.warn({ code }, 'next-auth warning');
  },
  debug() {},
};

export function authOptions(): NextAuthOptions {
  return {
    secret: env.NEXTAUTH_SECRET,
    session: { strategy: 'jwt', maxAge: SESSION_MAX_AGE_SECONDS },
    // Secure (and __Secure- prefixed) cookies exactly when the site is served over HTTPS.
    useSecureCookies: isHttpsSite(env.NEXTAUTH_URL),
    pages: { signIn: '/sign-in' },
    logger: nextAuthLogger,
    providers: [
      CredentialsProvider({
        name: 'Email and password',
        credentials: { email: { label: 'Email', type: 'email' }, password: { label: 'Password', type: 'password' } },
        async authorize(credentials, req) {
          const parsed = signInInput.safeParse({ email: credentials?.email, password: credentials?.password });
          if (!parsed.success) return null;
          const { email, password } = parsed.data;
          const address = clientAddress(req.headers ?? {});
          // The per-email limits count wrong passwords: every attempt is counted first (so
          // concurrent guesses cannot overtake the lock) and a right one is taken back.
          const wrongPasswordLimits = [LIMITS.signInPerEmailAndClient(email, address), LIMITS.signInPerEmail(email)];
          let counted = false;
          try {
            await hitAll(db, [LIMITS.signInPerAddress(address), ...wrongPasswordLimits]);
            counted = true;
            const user = await verifyCredentials(db, email, password);
            if (user) await refund(db, wrongPasswordLimits);
            return user;
          } catch (error) {
            // An attempt the database could not check was no wrong password: taken back when it can
            // be (found by a stranger: ten tries of the right password while a lock was held
            // locked the account for 15 minutes).
            if (counted && isDatabaseUnavailable(error)) await refund(db, wrongPasswordLimits).catch(() => undefined);
            // next-auth hands this message to the sign-in form as `error` (and into the URL).
            if (error instanceof DomainError && error.code === 'TOO_MANY_REQUESTS') {
              if (error.retryAfterSeconds) setRetryAfter(error.retryAfterSeconds);
              throw new Error(SIGN_IN_RATE_LIMITED);
            }
            // An outage is answered 503 with Retry-After and logged once, as "database unavailable";
            // next-auth's answer still names SignInUnavailable for the form.
            if (isDatabaseUnavailable(error)) noteOutage(error, { keepAnswer: true });
            else logger.error({ err: error }, 'sign-in failed');
            throw new Error(SIGN_IN_UNAVAILABLE);
          }
        },
      }),
    ],
    callbacks: {
      redirect: safeRedirect,
      async jwt({ token, user }) {
        if (user) {
          // Sign-in: the user just proved who they are; the cookie carries a new session's id.
          const signedIn = user as unknown as PublicUser;
          token.sub = signedIn.id;
          token.role = signedIn.role;
          token.name = signedIn.name;
          token.email = signedIn.email;
          token.sid = await startSession(db, signedIn.id);
          return token;
        }
        // next-auth's own reads of the cookie (/api/auth/session) honour ended sessions too:
        // an error here makes next-auth answer no session and clear the cookie. Not for a
        // database that cannot answer: that request is a 503 and the cookie stays (noteOutage).
        const live = await liveSessionOwner(db, token.sid, token.sub).catch((error: unknown) => {
          noteOutage(error);
          throw error;
        });
        if (!live) throw new Error('This session has ended');
        return token;
      },
      session({ session, token }) {
        session.user = { id: token.sub!, email: token.email!, name: token.name!, role: token.role as Role };
        return session;
      },
    },
    events: {
      // Sign-out ends this browser's session on the server; other browsers stay signed in.
      // next-auth catches what this throws and answers the sign-out as done, cookie cleared: when the
      // database cannot end the session, the answer is a 503 instead and the cookie stays, since a
      // copy of it would still be live (found by a stranger: noteOutage).
      async signOut({ token }) {
        await endSession(db, (token as { sid?: unknown } | null)?.sid).catch((error: unknown) => {
          noteOutage(error);
          throw error;
        });
      },
    },
  };
}

const SESSION_COOKIES = ['__Secure-next-auth.session-token', 'next-auth.session-token'];

/** The cookie's key for one secret, derived once (see sessionTokenKey). */
let cookieKey: { secret: string; key: KeyObject } | undefined;

/**
 * The key next-auth encrypts its session cookie with: HKDF-SHA256 of NEXTAUTH_SECRET with an
 * empty salt and the info "NextAuth.js Generated Encryption Key", 32 bytes (next-auth/jwt's
 * getDerivedEncryptionKey). next-auth derives it again on every decode; that HKDF was ~10% of
 * next-server's CPU per `me.get`, so it is derived once per secret here.
 */
function sessionTokenKey(secret: string): KeyObject {
  if (cookieKey?.secret !== secret) {
    cookieKey = { secret, key: createSecretKey(Buffer.from(hkdfSync('sha256', secret, '', 'NextAuth.js Generated Encryption Key', 32))) };
  }
  return cookieKey.key;
}

/**
 * A session cookie's claims, as next-auth/jwt's `decode` reads them (a JWE, `dir` +
 * `A256GCM`, 15 s clock tolerance on `exp`), with the derived key kept; only those two
 * algorithms are accepted (next-auth writes no others). Null for anything that does not
 * decrypt or has expired. Whether its session is still live is the caller's check.
 */
export async function decodeSessionToken(token: string): Promise<JWT | null> {
  try {
    const { payload } = await jwtDecrypt(token, sessionTokenKey(env.NEXTAUTH_SECRET), {
      clockTolerance: 15,
      keyManagementAlgorithms: ['dir'],
      contentEncryptionAlgorithms: ['A256GCM'],
    });
    return payload as JWT;
  } catch {
    return null;
  }
}

/**
 * The value of cookie `name` in a `Cookie` header, percent-decoded; the first that decodes. A
 * value that does not (`%`, `%E0%A4`: no cookie next-auth wrote) is no session, as one that does
 * not decrypt is, rather than an error that would lock its browser out of every page.
 */
function readCookie(header: string | null, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key !== name) continue;
    try {
      return decodeURIComponent(rest.join('='));
    } catch {
      continue;
    }
  }
  return undefined;
}

/**
 * The signed-in user behind a request: `Authorization: Bearer <API token>` (neither revoked
 * nor expired; with its scope), or a session cookie whose server-side session is live (one
 * primary-key read of Session joined to User, so name, role, verified address and operator
 * status are current; the procedures read them from here instead of reading the user again).
 * Anything else is nobody.
 */
export async function sessionUserFromHeaders(headers: Headers): Promise<SessionUser | null> {
  const authorization = headers.get('authorization');
  if (authorization?.toLowerCase().startsWith('bearer ')) {
    const owner = await actorForApiToken(db, authorization.slice(7).trim());
    if (!owner) return null;
    const { scope, ...user } = owner;
    return { ...user, operator: isOperator(user), sessionId: null, apiTokenScope: scope };
  }
  const cookie = headers.get('cookie');
  for (const name of SESSION_COOKIES) {
    const value = readCookie(cookie, name);
    if (!value) continue;
    const token = await decodeSessionToken(value);
    if (!token) continue;
    const owner = await liveSessionOwner(db, token.sid, token.sub);
    if (owner) return { ...owner, operator: isOperator(owner), sessionId: token.sid as string, apiTokenScope: null };
  }
  return null;
}
