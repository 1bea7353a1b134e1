// Calls the API the way a program or the portal does: real HTTP requests (Request objects)
// through the real tRPC route handler, with a real next-auth session cookie for a user.
import { createTRPCClient, httpLink, TRPCClientError } from '@trpc/client';
import { encode } from 'next-auth/jwt';
import superjson from 'superjson';
import * as trpcRoute from '@/app/api/trpc/[trpc]/route';
import type { AppRouter } from '@/server/api/root';
import { env, resetEnvForTests } from '@/server/env';
import { db, disconnectDb } from '@/server/db';
import { testDatabaseUrl } from '@/server/testing/database';
import { signUp } from '@/server/domain/users';
import { startSession } from '@/server/domain/sessions';
import type { Role } from '@/server/generated/prisma/enums';

export interface TestUser {
  id: string;
  email: string;
  name: string;
  role: Role;
  password: string;
}

let counter = 0;

/**
 * A fresh user, created through the real sign-up rules. `verified` (default true) stands for
 * a person who already followed a link mailed to their address; tests of that step pass false.
 */
export async function createUser(role: Role, overrides: Partial<Pick<TestUser, 'email' | 'name'>> & { verified?: boolean } = {}): Promise<TestUser> {
  counter += 1;
  const email = overrides.email ?? `${role.toLowerCase()}-${counter}-${Math.random().toString(36).slice(2, 8)}@example.com`;
  const password = 'correct horse battery staple';
  const user = await signUp(db, { name: overrides.name ?? `${role === 'LANDLORD' ? 'Lana' : 'Remy'} ${counter}`, email, password, role });
  if (overrides.verified ?? true) await db.user.update({ where: { id: user.id }, data: { emailVerifiedAt: new Date() } });
  return { ...user, password };
}

/** Points the app at a port where no database listens, for the length of `run` (an outage: connections refused). */
export async function withDatabaseDown<T>(run: () => Promise<T>): Promise<T> {
  await disconnectDb();
  const dead = new URL(testDatabaseUrl);
  dead.port = '1';
  process.env.DATABASE_URL = dead.toString();
  resetEnvForTests();
  try {
    return await run();
  } finally {
    await disconnectDb();
    process.env.DATABASE_URL = testDatabaseUrl;
    resetEnvForTests();
  }
}

/** The cookie next-auth sets after a successful sign-in for this user, with a new server-side session (as sign-in starts one). */
export async function sessionCookie(user: Pick<TestUser, 'id' | 'email' | 'name' | 'role'>): Promise<string> {
  const sid = await startSession(db, user.id);
  const token = await encode({ token: { sub: user.id, email: user.email, name: user.name, role: user.role, sid }, secret: env.NEXTAUTH_SECRET });
  return `next-auth.session-token=${token}`;
}

/**
 * Sends a Request to the tRPC route handler as Next.js would: to the route's export named for its
 * method, and for a method it does not export, Next's own bare 405.
 */
export async function routeFetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
  const request = new Request(input, init);
  const handler = (trpcRoute as Record<string, ((request: Request) => Response | Promise<Response>) | undefined>)[request.method];
  return handler ? handler(request) : new Response(null, { status: 405 });
}

export type ApiClient = ReturnType<typeof createTRPCClient<AppRouter>>;

/** A typed tRPC client for `user` (null: anonymous) whose requests go through the route handler. */
export async function apiAs(user: Pick<TestUser, 'id' | 'email' | 'name' | 'role'> | null, extraHeaders: Record<string, string> = {}): Promise<ApiClient> {
  const cookie = user ? await sessionCookie(user) : undefined;
  return createTRPCClient<AppRouter>({
    links: [
      httpLink({
        url: 'http://localhost:3000/api/trpc',
        transformer: superjson,
        headers: () => ({ ...(cookie ? { cookie } : {}), ...extraHeaders }),
        fetch: routeFetch,
      }),
    ],
  });
}

/** The tRPC error code of a failed call (or 'OK' when it succeeded), for table-driven tests. */
export async function codeOf(call: Promise<unknown>): Promise<string> {
  try {
    await call;
    return 'OK';
  } catch (error) {
    if (error instanceof TRPCClientError) return (error.data as { code?: string } | undefined)?.code ?? 'UNKNOWN';
    throw error;
  }
}

/** The error a failed call ended with, or a thrown assertion when it succeeded. */
export async function errorOf(call: Promise<unknown>): Promise<TRPCClientError<AppRouter>> {
  try {
    await call;
  } catch (error) {
    if (error instanceof TRPCClientError) return error as TRPCClientError<AppRouter>;
    throw error;
  }
  throw new Error('expected the call to fail, but it succeeded');
}
