// A payment link that works for either party (notifications and the operator dashboard link
// here): it forwards to the signed-in user's own page for the payment, which answers "not
// found" to anyone the payment does not concern.
import { notFound, redirect } from 'next/navigation';
import { AS_OF_PARAM, asOfHref, parseAsOf } from '@/components/events/as-of';
import { isId } from '@/components/leases/lease-routes';
import { paymentPath } from '@/components/payments/payment-routes';
import { getSessionUser, redirectToSignIn } from '@/server/session';

export default async function PaymentRedirect({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { id } = await params;
  if (!isId(id)) notFound();
  const user = await getSessionUser();
  if (!user) return redirectToSignIn();
  // A point-in-time link (?asOf=) stays one.
  redirect(asOfHref(paymentPath(user.role, id), parseAsOf((await searchParams)[AS_OF_PARAM])));
}
