// Who may see the background-runs dashboard: operators only (OPERATOR_EMAILS, and the demo
// operator in development; server/domain/operators.ts), signed in to the portal (a session
// cookie: an operator's API token is for the API, and the actions here invoke functions and
// cancel runs, which no token scope covers), and only where the dashboard is on (always in
// development, elsewhere with OPERATOR_DASHBOARD=true). Everyone else — visitors, renters,
// landlords, API tokens, anyone when it is off — gets a plain 404, as if the page did not
// exist. The layout, every page and every server action ask here, and nowhere else.
import 'server-only';
import { notFound } from 'next/navigation';
import { headers } from 'next/headers';
import { connection } from 'next/server';
import { SERVER_ACTION_CALL_HEADER, serverActionRan } from '@/server/action-body';
import { env } from '@/server/env';
import { getSessionUser } from '@/server/session';

/** The signed-in operator (id and email), or null for anyone else or when the dashboard is off. */
async function currentOperator(): Promise<{ id: string; email: string } | null> {
  // Decided per request, never at build time: `next build` must not bake in a 404 (or read
  // the environment) for a page whose answer depends on the running server's settings.
  await connection();
  if (env.NODE_ENV !== 'development' && !env.OPERATOR_DASHBOARD) return null;
  const user = await getSessionUser();
  return user?.operator === true && user.sessionId !== null ? { id: user.id, email: user.email } : null;
}

export async function operatorAllowed(): Promise<boolean> {
  return (await currentOperator()) !== null;
}

/** Renders the 404 page (a server action answers 404 too) unless the caller is an operator; returns who they are. */
export async function requireOperator(): Promise<{ id: string; email: string }> {
  // Every action starts here: what fails from now on is the action's own (a 500), not its body's.
  serverActionRan((await headers()).get(SERVER_ACTION_CALL_HEADER));
  return (await currentOperator()) ?? notFound();
}
