'use client';
// One payment as either party sees it, live: while it is PENDING or PROCESSING the page asks
// `payment.byId` about every second, then stops; the history is fetched again on each status
// change. The renter can cancel it while PENDING, retry it when FAILED or returned R01, and pay
// the installment again after any return; the landlord's page is the same, read-only. A settled
// ACH payment keeps being asked about (less often) until it is final or returned.
import Link from 'next/link';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { useTRPC } from '@/components/trpc/react';
import type { RouterOutputs } from '@/components/trpc/types';
import { errorCodeOf, messageOf } from '@/components/forms';
import { formatCents, formatDate, formatDateTime, formatEastern } from '@/components/format';
import { HistoryCard } from '@/components/events/history-card';
import { leasePath, type Viewer } from '@/components/leases/lease-routes';
import { StatusBadge } from '@/components/ui/badge';
import { ButtonLink } from '@/components/ui/button';
import { Card, CardBody, CardHeader, PageHeader } from '@/components/ui/card';
import { Alert, EmptyState, ErrorState, LoadingRows } from '@/components/ui/states';
import { AsOfPicker } from '@/components/events/as-of-picker';
import { CancelPaymentButton, RetryPaymentForm } from './payment-actions';
import { accountText, demoClockText, paysText, returnText } from './payment-format';
import { PaymentProgress } from './payment-progress';
import { paymentDetailInputs } from './payment-queries';
import { isInFlight, payRentPath, paymentListPath, paymentPath, receiptPath } from './payment-routes';
import { failureText } from '@/server/domain/failure-codes';
import { PAYMENT_EVENT_ON_ENTERING } from '@/server/domain/payment-state';
import { settlementStanding } from '@/server/domain/rails';

type Payment = RouterOutputs['payment']['byId'];
type PaymentSnapshot = NonNullable<NonNullable<RouterOutputs['payment']['history']['asOf']>['payment']>;

/** How often a travelling payment is asked about. */
export const LIVE_INTERVAL_MS = 1000;
/** How often a settled payment that can still be returned is asked about. */
export const RETURNABLE_INTERVAL_MS = 3000;

const returnableNow = (payment: Payment) => payment.status === 'COMPLETED' && !payment.final;

/** `asOf` (ISO instant, from `?asOf=`): show the payment as it was then, with no actions. */
export function PaymentDetail({ id, viewer, asOf }: { id: string; viewer: Viewer; asOf?: string | null }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const at = asOf ? new Date(asOf) : null;
  const inputs = paymentDetailInputs(id, at);
  const payment = useQuery(
    trpc.payment.byId.queryOptions(inputs.payment, {
      refetchInterval: (query) =>
        at ? false : query.state.data && isInFlight(query.state.data.status) ? LIVE_INTERVAL_MS : query.state.data && returnableNow(query.state.data) ? RETURNABLE_INTERVAL_MS : false,
    }),
  );
  // No polling of its own: the effect below refetches it whenever the status moves.
  const history = useQuery(trpc.payment.history.queryOptions(inputs.history));
  // A payment becoming final is a change worth its history and lists too.
  const status = payment.data && (payment.data.final ? `${payment.data.status}:final` : payment.data.status);
  const seenStatus = useRef(status);
  useEffect(() => {
    if (!status || status === seenStatus.current) return;
    const first = seenStatus.current === undefined;
    seenStatus.current = status;
    if (first) return;
    // A new status has its event: fetch it now.
    void queryClient.invalidateQueries(trpc.payment.history.queryFilter({ id }));
    if (isInFlight(status.split(':')[0]!)) return;
    // Settled or stopped: the schedule, lists and notification count moved with it.
    void queryClient.invalidateQueries(trpc.lease.pathFilter());
    void queryClient.invalidateQueries(trpc.notification.pathFilter());
    void queryClient.invalidateQueries(trpc.payment.list.pathFilter());
  }, [status, id, queryClient, trpc]);
  // The page opens with both read at once, and the history may be read just before the change
  // the payment then shows (an RTP payment settles in well under a second): a history without
  // the event of the status shown is read again, once per status (seen in CI: Completed over
  // two events, for good).
  const reread = useRef<string | null>(null);
  const shown = payment.data?.status;
  const historyBehind =
    !at && !!shown && !!history.data && !history.isFetching && !history.data.events.some((event) => event.type === (shown === 'PENDING' ? 'payment.created' : PAYMENT_EVENT_ON_ENTERING[shown]));
  useEffect(() => {
    if (!historyBehind || !shown || reread.current === shown) return;
    reread.current = shown;
    void queryClient.invalidateQueries(trpc.payment.history.queryFilter({ id }));
  }, [historyBehind, shown, id, queryClient, trpc]);

  const back = (
    <Link href={paymentListPath(viewer)} className="mb-2 inline-block text-sm font-medium text-brand-700 hover:underline">
      ← All payments
    </Link>
  );
  if (payment.isPending) return <LoadingRows rows={6} label="Loading payment" />;
  if (payment.isError) {
    return (
      <div className="space-y-4">
        {errorCodeOf(payment.error) === 'NOT_FOUND' ? (
          // Nothing to retry: a heading that says so, and the way back.
          <PageHeader title="Payment not found" description="It does not exist, or it is not one of yours." />
        ) : (
          <ErrorState message={messageOf(payment.error)} onRetry={() => void payment.refetch()} />
        )}
        {back}
      </div>
    );
  }
  const names = new Map([
    [payment.data.renter.id, payment.data.renter.name],
    [payment.data.landlord.id, payment.data.landlord.name],
  ]);
  const then = at && history.data?.asOf;
  if (at && !then) {
    return (
      <>
        {back}
        <AsOfPicker asOf={at} />
        <div className="mt-6">{history.isError ? <ErrorState message={messageOf(history.error)} onRetry={() => void history.refetch()} /> : <LoadingRows rows={6} label="Rebuilding the payment as it was" />}</div>
      </>
    );
  }
  if (then && !then.payment) {
    return (
      <>
        {back}
        <div className="space-y-6">
          <AsOfPicker asOf={at} />
          <EmptyState title="This payment did not exist yet" description={`It was started ${formatEastern(payment.data.createdAt)}. Choose a later instant, or Now.`} />
        </div>
      </>
    );
  }
  const data = then?.payment ? paymentThen(payment.data, then.payment) : payment.data;

  return (
    <>
      {back}
      <PageHeader
        title={
          <span className="flex flex-wrap items-center gap-3">
            {/* What reaches the landlord; the renter's total (with the rail fee) is in the details. */}
            {viewer === 'RENTER' ? `${formatCents(data.split.landlordReceivesCents)} to ${data.landlord.name}` : `${formatCents(data.split.landlordReceivesCents)} from ${data.renter.name}`}
            {/* A live region: Pending → Processing → Completed is announced as it happens. */}
            <span data-testid="payment-status" role="status">
              <StatusBadge status={data.status} className="text-sm" />
            </span>
          </span>
        }
        description={
          <>
            <Link href={leasePath(viewer, data.lease.id)} className="font-medium text-brand-700 hover:underline">
              {data.lease.property.name}
            </Link>{' '}
            · {data.kind === 'PAYOFF' ? <span data-testid="payoff-label">{paysText(data)}</span> : `${data.installment.label}, due ${formatDate(data.installment.dueDate)}`} ·{' '}
            {data.railName}
          </>
        }
        actions={
          !at && (
            <ButtonLink href={receiptPath(viewer, data.id)} variant="secondary">
              Receipt
            </ButtonLink>
          )
        }
      />
      <div className="space-y-6">
        <AsOfPicker asOf={at} />
        <Card>
          <CardHeader title="Status" description={at ? `As it stood ${formatEastern(at)}: ${statusText(data)}` : statusText(data)} />
          <CardBody className="space-y-4">
            {!at && <PaymentProgress payment={data} />}
            {!at && demoClockText(data.playback) && (
              <p className="text-xs text-slate-500" data-testid="demo-clock">
                {demoClockText(data.playback)}
              </p>
            )}
            {!at && <StatusActions payment={data} viewer={viewer} />}
          </CardBody>
        </Card>
        <div className="grid gap-6 lg:grid-cols-2">
          <Card className="self-start">
            <CardHeader title="Details" />
            <CardBody>
              <PaymentFacts payment={data} viewer={viewer} />
            </CardBody>
          </Card>
          <HistoryCard
            className="self-start"
            history={history}
            until={at}
            description={at ? `The changes to this payment up to ${formatEastern(at)}.` : 'Every change to this payment, from its append-only, hash-chained history.'}
            actorName={(actorId) => names.get(actorId)}
            aggregate={{ type: 'Payment', id: data.id }}
          />
        </div>
      </div>
    </>
  );
}

/** The payment as its history had it then (`payment.history({ asOf })`), over what never changes (parties, accounts, rail, amounts). */
function paymentThen(live: Payment, then: PaymentSnapshot): Payment {
  const date = (value: string | null) => (value ? new Date(value) : null);
  return {
    ...live,
    status: then.status,
    failureCode: then.failureCode,
    failureReason: then.failureReason,
    failureText: then.status === 'FAILED' || then.status === 'RETURNED' ? failureText(then.failureCode, then.failureReason) : null,
    attempt: then.attempt,
    submittedAt: date(then.submittedAt),
    settledAt: date(then.settledAt),
    returnableUntil: date(then.returnableUntil),
    finalAt: date(then.finalAt),
    returnedAt: date(then.returnedAt),
    cancellable: false,
    ...settlementStanding(then),
  };
}

function statusText(payment: Payment): string {
  switch (payment.status) {
    case 'PENDING':
      return new Date(payment.playback?.submitAt ?? payment.submitAt).getTime() > Date.now()
        ? `Waiting for the next ${payment.railName} batch window, ${formatEastern(payment.submitAt)}.`
        : `Being submitted to ${payment.railName}.`;
    case 'PROCESSING':
      return `Submitted to ${payment.railName}; the banks are settling it.`;
    case 'COMPLETED':
      return payment.final
        ? 'Settled and final: the money is in the landlord’s account for good.'
        : `Settled: the money arrived in the landlord’s account. The sending bank can still return it until ${payment.returnableUntil ? formatEastern(payment.returnableUntil) : 'its window ends'}.`;
    case 'FAILED':
      return 'The payment failed; no money moved.';
    case 'CANCELLED':
      return 'Cancelled before it was submitted; no money moved.';
    case 'RETURNED':
      return payment.kind === 'PAYOFF'
        ? 'Returned: the sending bank took the money back after it settled. The payoff is undone: its installments are due again, the discount with them.'
        : 'Returned: the sending bank took the money back after it settled. The installment is due again.';
    default:
      return payment.status;
  }
}

function StatusActions({ payment, viewer }: { payment: Payment; viewer: Viewer }) {
  const renter = viewer === 'RENTER';
  // Whether this page showed the payment PENDING, with its Cancel button (state from an earlier render, as React's docs do it).
  const [sawPending, setSawPending] = useState(payment.status === 'PENDING');
  if (payment.status === 'PENDING' && !sawPending) setSawPending(true);
  const payoff = payment.kind === 'PAYOFF';
  // Its money did not move, or came back: what next is the installment's.
  const settledOrStopped = payment.status === 'FAILED' || payment.status === 'RETURNED' || payment.status === 'CANCELLED';
  return (
    <>
      {payment.status === 'FAILED' && (
        <Alert tone="error">
          <span data-testid="failure-reason">{payment.failureText}</span>
          {payment.failureReason && <span className="block text-xs">The bank said: {payment.failureReason}.</span>}
        </Alert>
      )}
      {payment.status === 'RETURNED' && (
        <Alert tone="error">
          <span data-testid="return-reason">Returned: {payment.failureText}</span>
          {payment.failureReason && <span className="block text-xs">The bank said: {payment.failureReason}.</span>}
        </Alert>
      )}
      {renter && payment.status === 'PENDING' && (
        <div className="space-y-2">
          <p className="text-sm text-slate-600">Not submitted to its rail yet: you can still stop it.</p>
          <CancelPaymentButton payment={payment} />
        </div>
      )}
      {renter && payment.status === 'PROCESSING' && <CannotCancel payment={payment} replacesCancel={sawPending} />}
      {renter && payoff && (payment.status === 'FAILED' || payment.status === 'RETURNED' || payment.status === 'CANCELLED') && payment.installmentNow.canPay && (
        <ButtonLink href={leasePath('RENTER', payment.lease.id)} variant="secondary">
          Pay off again from the lease
        </ButtonLink>
      )}
      {/* What can be done next is the server's answer: the retry rule (retryable) and the installment rule (installmentNow). */}
      {renter && payment.retryable && (
        <div className="space-y-3 border-t border-slate-100 pt-4">
          <h3 className="text-sm font-semibold text-slate-900">{payment.status === 'RETURNED' ? 'Pay again' : 'Try again'}</h3>
          <RetryPaymentForm payment={payment} />
        </div>
      )}
      {renter && !payoff && !payment.retryable && settledOrStopped && (payment.installmentNow.newerPaymentId ? (
        <p className="text-sm text-slate-600" data-testid="installment-now">
          {payment.installmentNow.reason ? `${payment.installmentNow.reason}.` : `A newer payment of ${payment.installment.label} exists.`}{' '}
          <Link href={paymentPath('RENTER', payment.installmentNow.newerPaymentId)} className="font-semibold text-brand-700 underline">
            Go to the latest payment
          </Link>
        </p>
      ) : (
        payment.installmentNow.canPay && (
          <ButtonLink href={payRentPath(payment.lease.id, payment.installment.id)} variant="secondary">
            Pay {payment.installment.label}
          </ButtonLink>
        )
      ))}
    </>
  );
}

/**
 * Why a PROCESSING payment cannot be cancelled. A live region: when the payment is submitted while
 * the renter is on its Cancel button or in "Cancel this payment?", the button and its dialog go,
 * and this says why. Their focus would fall to the page's body, so it comes here instead.
 */
function CannotCancel({ payment, replacesCancel }: { payment: Payment; replacesCancel: boolean }) {
  const line = useRef<HTMLParagraphElement>(null);
  useEffect(() => {
    const lost = document.activeElement === null || document.activeElement === document.body;
    if (replacesCancel && lost) line.current?.focus({ preventScroll: true });
  }, [replacesCancel]);
  return (
    <p ref={line} tabIndex={-1} role="status" className="text-sm text-slate-600 focus:outline-none" data-testid="cannot-cancel">
      It can no longer be cancelled: it was submitted to {payment.railName}
      {payment.submittedAt ? ` at ${formatDateTime(payment.submittedAt)}` : ''}, and a payment on its way can’t be called back.
    </p>
  );
}

function PaymentFacts({ payment, viewer }: { payment: Payment; viewer: Viewer }) {
  const { split } = payment;
  // Rent, late fee, rail fee and total as the renter pays them (rails.ts paymentSplit); the landlord reads what they receive.
  const money: [string, React.ReactNode][] =
    viewer === 'LANDLORD'
      ? [
          [payment.kind === 'PAYOFF' ? 'Amount' : 'Rent', formatCents(split.rentCents)],
          ...(split.lateFeeCents ? ([['Late fee', formatCents(split.lateFeeCents)]] as [string, React.ReactNode][]) : []),
          ['You receive', <strong key="receive" data-testid="landlord-receives">{formatCents(split.landlordReceivesCents)}</strong>],
          ['Rail fee', `${formatCents(split.feeCents)}, paid by the renter on top`],
        ]
      : [
          [payment.kind === 'PAYOFF' ? 'Amount' : 'Rent', formatCents(split.rentCents)],
          ...(split.lateFeeCents ? ([['Late fee', formatCents(split.lateFeeCents)]] as [string, React.ReactNode][]) : []),
          ['Rail fee', formatCents(split.feeCents)],
          ['Total', <strong key="total" data-testid="payment-total">{formatCents(split.totalCents)}</strong>],
          [`${payment.landlord.name} receives`, formatCents(split.landlordReceivesCents)],
        ];
  const rows: [string, React.ReactNode][] = [
    ...(payment.kind === 'PAYOFF'
      ? ([
          ['Early payoff', <PayoffParts key="payoff" payment={payment} />],
          ['Discount', `− ${formatCents(payment.discountCents)}`],
        ] as [string, React.ReactNode][])
      : []),
    ['For', payment.kind === 'PAYOFF' ? 'Early payoff' : payment.installment.label],
    ['Rail', payment.railName],
    ...money,
    ['From', `${payment.renter.name} · ${accountText(payment.fromAccount)}`],
    ['To', `${payment.landlord.name} · ${accountText(payment.toAccount)}`],
    ['Attempt', String(payment.attempt)],
    ['Created', formatDateTime(payment.createdAt)],
    // Expected only while on its way; after, when the rail answered: settled, or failed (no money moved).
    ...(isInFlight(payment.status) ? ([['Expected settlement', formatEastern(payment.expectedSettlementAt)]] as [string, React.ReactNode][]) : []),
    [payment.status === 'FAILED' ? 'Failed' : 'Settled', payment.settledAt ? formatEastern(payment.settledAt) : isInFlight(payment.status) ? 'Not yet' : '—'],
    ...(payment.returnedAt ? ([['Returned', `${formatEastern(payment.returnedAt)} · ${payment.failureCode ?? ''}`]] as [string, React.ReactNode][]) : []),
    ['Final', payment.finalAt ? (payment.final ? formatEastern(payment.finalAt) : `${formatEastern(payment.finalAt)}, until it was returned`) : payment.status === 'COMPLETED' ? 'Not yet' : '—'],
    ['Can it be returned?', returnText(payment)],
    ['Payment id', <span key="id" className="break-all font-mono text-xs">{payment.id}</span>],
  ];
  return (
    <dl className="divide-y divide-slate-100 text-sm" data-testid="payment-facts">
      {rows.map(([label, value]) => (
        <div key={label} className="grid grid-cols-[minmax(0,2fr)_minmax(0,3fr)] gap-3 py-2">
          <dt className="text-slate-500">{label}</dt>
          <dd className="text-slate-800">{value}</dd>
        </div>
      ))}
    </dl>
  );
}

/** The installments an early payoff covers, each with what it paid of it. */
function PayoffParts({ payment }: { payment: Payment }) {
  return (
    <ul className="space-y-1" data-testid="payoff-installments">
      {payment.payoffInstallments.map((part) => (
        <li key={part.installmentId}>
          {part.label} (due {formatDate(part.dueDate)}): {formatCents(part.rentCents)}
          {part.lateFeeCents ? ` + ${formatCents(part.lateFeeCents)} late fee` : ''}
          {part.discountCents ? ` − ${formatCents(part.discountCents)} discount` : ''}
        </li>
      ))}
    </ul>
  );
}
