// next-auth (v4) configuration: email + password credentials, JWT sessions carrying the
// user's id and role, and the one function that turns a request's cookie or bearer token
// into an Actor for tRPC.
import 'server-only';
import type { NextAuthOptions } from 'next-auth';
import CredentialsProvider from 'next-auth/providers/credentials';
import { decode } from 'next-auth/jwt';
import { db } from '@/server/db';
import { env } from '@/server/env';
import { signInInput } from '@/server/api/schemas/auth';
import { verifyCredentials } from '@/server/domain/users';
import { hitAll, LIMITS } from '@/server/domain/rate-limit';
import { clientAddress } from '@/server/client-address';
import { setRetryAfter } from '@/server/request-context';
import { logger } from '@/server/logger';
import { DomainError } from '@/server/domain/errors';
import { actorForApiToken } from '@/server/domain/api-tokens';
import type { Role } from '@/server/generated/prisma/enums';

export interface SessionUser {
  id: string;
  email: string;
  name: string;
  role: Role;
}

export const SESSION_MAX_AGE_SECONDS = 7 * 24 * 60 * 60;

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

export function authOptions(): NextAuthOptions {
  return {
    secret: env.NEXTAUTH_SECRET,
    session: { strategy: 'jwt', maxAge: SESSION_MAX_AGE_SECONDS },
    pages: { signIn: '/sign-in' },
    providers: [
      CredentialsProvider({
        name: 'Email and password',
        credentials: { email: { label: 'Email', type: 'email' }, password: { label: 'Password', type: 'password' } },
        async authorize(credentials, req) {
          const parsed = signInInput.safeParse({ email: credentials?.email, password: credentials?.password });
          if (!parsed.success) return null;
          const { email, password } = parsed.data;
          const address = clientAddress(req.headers ?? {});
          try {
            await hitAll(db, [LIMITS.signInPerAddress(address), LIMITS.signInPerEmailAndClient(email, address), LIMITS.signInPerEmail(email)]);
            return await verifyCredentials(db, email, password);
          } catch (error) {
            // next-auth hands this message to the sign-in form as `error` (and into the URL).
            if (error instanceof DomainError && error.code === 'TOO_MANY_REQUESTS') {
              if (error.retryAfterSeconds) setRetryAfter(error.retryAfterSeconds);
              throw new Error(SIGN_IN_RATE_LIMITED);
            }
            logger.error({ err: error }, 'sign-in failed');
            throw new Error(SIGN_IN_UNAVAILABLE);
          }
        },
      }),
    ],
    callbacks: {
      redirect: safeRedirect,
      jwt({ token, user }) {
        if (user) {
          const signedIn = user as unknown as SessionUser;
          token.sub = signedIn.id;
          token.role = signedIn.role;
          token.name = signedIn.name;
          token.email = signedIn.email;
        }
        return token;
      },
      session({ session, token }) {
        session.user = { id: token.sub!, email: token.email!, name: token.name!, role: token.role as Role };
        return session;
      },
    },
  };
}

const SESSION_COOKIES = ['__Secure-next-auth.session-token', 'next-auth.session-token'];

function readCookie(header: string | null, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return decodeURIComponent(rest.join('='));
  }
  return undefined;
}

/** The signed-in user behind a request: a session cookie, or `Authorization: Bearer <API token>`. */
export async function sessionUserFromHeaders(headers: Headers): Promise<SessionUser | null> {
  const authorization = headers.get('authorization');
  if (authorization?.toLowerCase().startsWith('bearer ')) {
    return actorForApiToken(db, authorization.slice(7).trim());
  }
  const cookie = headers.get('cookie');
  for (const name of SESSION_COOKIES) {
    const value = readCookie(cookie, name);
    if (!value) continue;
    const token = await decode({ token: value, secret: env.NEXTAUTH_SECRET }).catch(() => null);
    if (token?.sub && (token.role === 'LANDLORD' || token.role === 'RENTER')) {
      return { id: token.sub, email: String(token.email ?? ''), name: String(token.name ?? ''), role: token.role };
    }
  }
  return null;
}
