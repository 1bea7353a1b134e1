// Who may see the background-runs dashboard: anyone in development; elsewhere only when
// OPERATOR_DASHBOARD is on, and then only signed-in users (any role). Everyone else gets
// a plain 404, as if the page did not exist.
import 'server-only';
import { notFound } from 'next/navigation';
import { connection } from 'next/server';
import { env } from '@/server/env';
import { getSessionUser } from '@/server/session';

export async function operatorAllowed(): Promise<boolean> {
  // Decided per request, never at build time: `next build` must not bake in a 404 (or read
  // the environment) for a page whose answer depends on the running server's settings.
  await connection();
  if (env.NODE_ENV === 'development') return true;
  return env.OPERATOR_DASHBOARD && Boolean(await getSessionUser());
}

export async function requireOperator(): Promise<void> {
  if (!(await operatorAllowed())) notFound();
}
