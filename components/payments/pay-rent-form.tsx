'use client';
// "Pay rent" for one due installment: choose the account (active ones, the primary first) and
// the rail, review rent + fee = total and the expected arrival, then confirm. The attempt's
// idempotency key lives in sessionStorage until the server confirms the payment, so a double
// click or a refresh in the middle never pays twice. After paying, the payment page takes over.
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { useTRPC } from '@/components/trpc/react';
import type { RouterOutputs } from '@/components/trpc/types';
import { fieldErrorsOf, messageOf } from '@/components/forms';
import { formatCents, formatDate, formatEastern } from '@/components/format';
import { leasePath } from '@/components/leases/lease-routes';
import { Button, ButtonLink } from '@/components/ui/button';
import { Card, CardBody, CardHeader, PageHeader } from '@/components/ui/card';
import { Select } from '@/components/ui/field';
import { Alert, EmptyState, ErrorState, LoadingRows } from '@/components/ui/states';
import { attemptKey, endAttempt } from './attempt-key';
import { accountText, arrivalText, demoClockText, finalityText } from './payment-format';
import { isInFlight, paymentListPath, paymentPath } from './payment-routes';
import { ACTIVE_ACCOUNTS_INPUT } from '@/components/bank-accounts/bank-account-queries';
import { latestPaymentInput } from './payment-queries';
import { RailPicker, useRailQuote, type RailRow } from './rail-picker';

type Lease = RouterOutputs['lease']['byId'];
type Installment = Lease['installments'][number];
type Account = RouterOutputs['bankAccount']['list']['items'][number];

export function PayRentForm({ leaseId, installmentId }: { leaseId: string; installmentId: string }) {
  const trpc = useTRPC();
  const lease = useQuery(trpc.lease.byId.queryOptions({ id: leaseId }));
  const accounts = useQuery(trpc.bankAccount.list.queryOptions(ACTIVE_ACCOUNTS_INPUT));
  const rails = useQuery(trpc.payment.rails.queryOptions());
  const latest = useQuery(trpc.payment.list.queryOptions(latestPaymentInput(installmentId)));

  const back = (
    <Link href={leasePath('RENTER', leaseId)} className="mb-2 inline-block text-sm font-medium text-brand-700 hover:underline">
      ← Back to the lease
    </Link>
  );
  const queries = [lease, accounts, rails, latest];
  const failed = queries.find((query) => query.isError);
  if (failed) {
    return (
      <>
        {back}
        <ErrorState message={messageOf(failed.error)} onRetry={() => queries.forEach((query) => void query.refetch())} />
      </>
    );
  }
  if (!lease.data || !accounts.data || !rails.data || !latest.data) return <LoadingRows rows={6} label="Loading payment form" />;

  const scheduled = lease.data.installments.find((row) => row.id === installmentId);
  // What the payment is for: the installment plus its late fee, if one was charged and not waived.
  const installment = scheduled && { ...scheduled, amountCents: scheduled.amountCents + scheduled.lateFeeCents };
  const inFlight = latest.data.items.find((payment) => isInFlight(payment.status));
  const refusal = !installment
    ? 'This lease has no such installment.'
    : lease.data.status !== 'ACTIVE'
      ? `This lease is ${lease.data.status.toLowerCase()}; rent can only be paid on an active lease.`
      : installment.status === 'PAID'
        ? `Installment ${installment.number} is already paid.`
        : installment.status === 'WAIVED'
          ? `Installment ${installment.number} was waived; there is nothing to pay.`
          : null;

  return (
    <>
      {back}
      <PageHeader
        title="Pay rent"
        description={installment ? `${lease.data.property.name} · installment ${installment.number}, due ${formatDate(installment.dueDate)}` : lease.data.property.name}
      />
      {refusal ? (
        <Alert tone="info">{refusal}</Alert>
      ) : inFlight ? (
        <Alert tone="info">
          This installment already has a payment on its way ({inFlight.status.toLowerCase()}).{' '}
          <Link href={paymentPath('RENTER', inFlight.id)} className="font-semibold underline">
            Follow it
          </Link>
        </Alert>
      ) : accounts.data.items.length === 0 ? (
        <EmptyState
          title="No bank account to pay from"
          description="Link the account you pay rent from; then come back to pay."
          action={<ButtonLink href="/renter/bank-accounts">Add a bank account</ButtonLink>}
        />
      ) : (
        <PaymentChoices lease={lease.data} installment={installment!} accounts={accounts.data.items} rails={rails.data} />
      )}
    </>
  );
}

function PaymentChoices({ lease, installment, accounts, rails }: { lease: Lease; installment: Installment; accounts: Account[]; rails: RailRow[] }) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const [accountId, setAccountId] = useState(() => (accounts.find((account) => account.isPrimary) ?? accounts[0]!).id);
  const [railCode, setRailCode] = useState<RailRow['rail'] | null>(() => rails.find((rail) => installment.amountCents <= rail.limitCents)?.rail ?? null);
  const [reviewing, setReviewing] = useState(false);
  // A second click lands before React re-renders the disabled button; this stops it here.
  const sending = useRef(false);
  const scope = `installment:${installment.id}`;

  const create = useMutation(
    trpc.payment.create.mutationOptions({
      onSuccess: async (payment) => {
        endAttempt(scope);
        router.push(paymentPath('RENTER', payment.id));
        // Marked stale, not refetched now: this form would otherwise swap itself for the
        // "already on its way" notice while the payment page loads.
        await Promise.all([
          queryClient.invalidateQueries({ ...trpc.payment.pathFilter(), refetchType: 'none' }),
          queryClient.invalidateQueries({ ...trpc.lease.pathFilter(), refetchType: 'none' }),
          queryClient.invalidateQueries({ ...trpc.dashboard.pathFilter(), refetchType: 'none' }),
        ]);
      },
    }),
  );
  const fieldErrors = fieldErrorsOf(create.error);
  const account = accounts.find((row) => row.id === accountId)!;
  const rail = rails.find((row) => row.rail === railCode) ?? null;
  const quote = useRailQuote(railCode);
  const clock = useQuery(trpc.payment.demoClock.queryOptions());
  // Sent "at once" when the rail takes it within seconds of the moment the quote was asked.
  const sentAtOnce = quote.data ? new Date(quote.data.submitAt).getTime() - quote.dataUpdatedAt < 5_000 : rail?.final;

  function confirm() {
    if (!rail || sending.current || create.isSuccess) return;
    sending.current = true;
    create.mutate(
      { installmentId: installment.id, fromAccountId: account.id, rail: rail.rail, idempotencyKey: attemptKey(scope) },
      {
        onSettled: () => {
          sending.current = false;
        },
      },
    );
  }

  return (
    <div className="grid gap-6 lg:grid-cols-[minmax(0,3fr)_minmax(0,2fr)]">
      <Card className="self-start">
        <CardHeader title={reviewing ? 'Review your payment' : 'Choose how to pay'} description={`${formatCents(installment.amountCents)} to ${lease.landlord.name}`} />
        <CardBody className="space-y-5">
          {create.error && (
            <Alert tone="error">
              {messageOf(create.error)}{' '}
              <Link href={paymentListPath('RENTER', { installmentId: installment.id })} className="font-semibold underline">
                Payments for this installment
              </Link>
            </Alert>
          )}
          {!reviewing ? (
            <>
              <Select label="Pay from" value={accountId} onChange={(event) => setAccountId(event.target.value)} error={fieldErrors.fromAccountId}>
                {accounts.map((row) => (
                  <option key={row.id} value={row.id}>
                    {accountText({ nickname: row.nickname, last4: row.last4 })}
                    {row.isPrimary ? ' (primary)' : ''}
                  </option>
                ))}
              </Select>
              <RailPicker rails={rails} amountCents={installment.amountCents} value={railCode} onChange={setRailCode} error={fieldErrors.rail?.[0]} />
              <Button className="w-full sm:w-auto" disabled={!rail} onClick={() => setReviewing(true)}>
                Review payment
              </Button>
            </>
          ) : (
            rail && (
              <>
                <PaymentReview lease={lease} installment={installment} account={account} rail={rail} quote={quote.data} />
                <div className="flex flex-wrap gap-2">
                  <Button onClick={confirm} pending={create.isPending} disabled={create.isSuccess} className="w-full sm:w-auto">
                    Confirm payment
                  </Button>
                  <Button variant="ghost" disabled={create.isPending || create.isSuccess} onClick={() => setReviewing(false)}>
                    Change
                  </Button>
                </div>
                <p className="text-xs text-slate-500">
                  {sentAtOnce || !quote.data
                    ? `${rail.name} payments are sent at once: once confirmed, it can't be cancelled.`
                    : `You can cancel it until it is submitted at the next ${rail.name} window, ${formatEastern(quote.data.submitAt)}.`}
                </p>
                {demoClockText(clock.data) && (
                  <p className="text-xs text-slate-500" data-testid="demo-clock">
                    {demoClockText(clock.data)}
                  </p>
                )}
              </>
            )
          )}
        </CardBody>
      </Card>
      <Card className="self-start">
        <CardHeader title="What you are paying" />
        <CardBody>
          <dl className="space-y-2 text-sm">
            <Row label="Property">{lease.property.name}</Row>
            <Row label="Installment">
              {installment.number} of {lease.installments.length}, due {formatDate(installment.dueDate)}
            </Row>
            <Row label="Rent">{formatCents(installment.amountCents)}</Row>
            <Row label="To">
              {lease.landlord.name} · {accountText(lease.payoutAccount)}
            </Row>
          </dl>
        </CardBody>
      </Card>
    </div>
  );
}

function PaymentReview({ lease, installment, account, rail, quote }: { lease: Lease; installment: Installment; account: Account; rail: RailRow; quote?: RouterOutputs['payment']['quote'] }) {
  // The quote is for now; the server sets the payment's own times when it accepts it.
  return (
    <dl className="divide-y divide-slate-100 rounded-md border border-slate-200 text-sm" data-testid="payment-review">
      <Row label="From" padded>
        {accountText(account)}
      </Row>
      <Row label="To" padded>
        {lease.landlord.name} · {accountText(lease.payoutAccount)}
      </Row>
      <Row label="Rail" padded>
        {rail.name} — {finalityText(rail).toLowerCase()}
      </Row>
      <Row label="Rent" padded>
        {formatCents(installment.amountCents)}
      </Row>
      <Row label="Fee" padded>
        {rail.feeCents === 0 ? 'No fee' : formatCents(rail.feeCents)}
      </Row>
      <Row label="Total" padded>
        <span className="text-base font-semibold text-slate-900" data-testid="review-total">
          {formatCents(installment.amountCents + rail.feeCents)}
        </span>
      </Row>
      <Row label="Expected arrival" padded>
        <span data-testid="review-arrival">{quote ? arrivalText(quote) : '…'}</span>
      </Row>
      {quote?.returnableUntil && (
        <Row label="Returnable until" padded>
          {formatEastern(quote.returnableUntil)}
        </Row>
      )}
    </dl>
  );
}

function Row({ label, padded, children }: { label: string; padded?: boolean; children: React.ReactNode }) {
  return (
    <div className={padded ? 'flex flex-wrap justify-between gap-x-4 gap-y-1 px-3 py-2' : 'flex flex-wrap justify-between gap-x-4 gap-y-1'}>
      <dt className="text-slate-500">{label}</dt>
      <dd className="text-right text-slate-800">{children}</dd>
    </div>
  );
}
