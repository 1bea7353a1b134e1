// The signed-in user for server components and pages, read the same way tRPC reads it.
import 'server-only';
import { cache } from 'react';
import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { sessionUserFromHeaders, type SessionUser } from '@/server/auth';
import { signInPath } from '@/components/auth/next-path';
import type { Role } from '@/server/generated/prisma/enums';

export const getSessionUser = cache(async (): Promise<SessionUser | null> => sessionUserFromHeaders(new Headers(await headers())));

/** Sends a signed-out visitor to sign in, coming back to the page they asked for (set by proxy.ts). */
export async function redirectToSignIn(): Promise<never> {
  redirect(signInPath((await headers()).get('x-request-path') ?? undefined));
}

export function homeFor(role: Role): string {
  return role === 'LANDLORD' ? '/landlord' : '/renter';
}

/**
 * The signed-in user, of either role; a signed-out visitor is sent to sign in. Called from a
 * layout, outside its segment's `loading.tsx`, it is a 307 before anything streams; from a page
 * inside one, the shell is already sent (200) and the redirect happens in the browser.
 */
export async function requireUser(): Promise<SessionUser> {
  return (await getSessionUser()) ?? redirectToSignIn();
}

/** The signed-in user with this role; anyone else is sent where they belong (a layout's check: see requireUser). */
export async function requireRole(role: Role): Promise<SessionUser> {
  const user = await getSessionUser();
  if (!user) return redirectToSignIn();
  if (user.role !== role) redirect(homeFor(user.role));
  return user;
}
