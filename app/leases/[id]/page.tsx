// A lease link that works for either party (the operator dashboard and notifications link
// here): it forwards to the signed-in user's own page for the lease, which answers "not
// found" to anyone the lease does not name.
import { notFound, redirect } from 'next/navigation';
import { AS_OF_PARAM, asOfHref, parseAsOf } from '@/components/events/as-of';
import { isId, leasePath } from '@/components/leases/lease-routes';
import { getSessionUser, redirectToSignIn } from '@/server/session';

export default async function LeaseRedirect({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { id } = await params;
  if (!isId(id)) notFound();
  const user = await getSessionUser();
  if (!user) return redirectToSignIn();
  // A point-in-time link (?asOf=) stays one.
  redirect(asOfHref(leasePath(user.role, id), parseAsOf((await searchParams)[AS_OF_PARAM])));
}
