// A lease link that works for either party (the operator dashboard and notifications link
// here): it forwards to the signed-in user's own page for the lease, which answers "not
// found" to anyone the lease does not name.
import { notFound, redirect } from 'next/navigation';
import { isId, leasePath } from '@/components/leases/lease-routes';
import { getSessionUser } from '@/server/session';

export default async function LeaseRedirect({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  if (!isId(id)) notFound();
  const user = await getSessionUser();
  if (!user) redirect('/sign-in');
  redirect(leasePath(user.role, id));
}
