'use client';
// "Pay rent" for one installment the server says can be paid (installment-state.ts): choose it
// (another payable month can be picked here), the account (active ones, the primary first) and
// the rail, review rent + late fee + rail fee = total (rails.ts paymentSplit) and what the
// landlord receives, and the expected arrival, then confirm. The attempt's
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
import { isInFlight, paymentListPath, paymentPath, payRentPath } from './payment-routes';
import { paymentSplit, type PaymentSplit } from '@/server/domain/rails';
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

  const installment = lease.data.installments.find((row) => row.id === installmentId);
  // Whether it can be paid, and why not, is the server's answer (installment-state.ts).
  const inFlight = installment?.state === 'IN_FLIGHT' ? latest.data.items.find((payment) => isInFlight(payment.status)) : undefined;
  const refusal = !installment ? 'This lease has no such installment.' : !installment.canPay && !inFlight ? `${installment.reason}.` : null;

  return (
    <>
      {back}
      <PageHeader
        title="Pay rent"
        description={installment ? `${lease.data.property.name} · ${installment.label}, due ${formatDate(installment.dueDate)}` : lease.data.property.name}
      />
      {refusal ? (
        <Alert tone="info">{refusal}</Alert>
      ) : inFlight ? (
        <Alert tone="info">
          {installment!.reason}.{' '}
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
  // What the landlord receives (rent and late fee) is what a rail's limit applies to.
  const receives = installment.amountCents + installment.lateFeeCents;
  const [railCode, setRailCode] = useState<RailRow['rail'] | null>(() => rails.find((rail) => receives <= rail.limitCents)?.rail ?? null);
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
  const split = paymentSplit(installment.amountCents, installment.lateFeeCents, rail?.feeCents ?? 0);
  const payable = lease.installments.filter((row) => row.canPay);
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
        <CardHeader
          title={reviewing ? 'Review your payment' : 'Choose how to pay'}
          description={
            <span data-testid="pay-summary">
              You pay {formatCents(split.totalCents)}
              {rail ? '' : ' plus the rail fee'} · {lease.landlord.name} receives {formatCents(split.landlordReceivesCents)}
            </span>
          }
        />
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
              {payable.length > 1 && (
                <Select label="Paying" value={installment.id} onChange={(event) => router.push(payRentPath(lease.id, event.target.value))}>
                  {payable.map((row) => (
                    <option key={row.id} value={row.id}>
                      {row.label} (due {formatDate(row.dueDate)})
                    </option>
                  ))}
                </Select>
              )}
              <Select label="Pay from" value={accountId} onChange={(event) => setAccountId(event.target.value)} error={fieldErrors.fromAccountId}>
                {accounts.map((row) => (
                  <option key={row.id} value={row.id}>
                    {accountText({ nickname: row.nickname, last4: row.last4 })}
                    {row.isPrimary ? ' (primary)' : ''}
                  </option>
                ))}
              </Select>
              <RailPicker rails={rails} amountCents={receives} value={railCode} onChange={setRailCode} error={fieldErrors.rail?.[0]} />
              <Button className="w-full sm:w-auto" disabled={!rail} onClick={() => setReviewing(true)}>
                Review payment
              </Button>
            </>
          ) : (
            rail && (
              <>
                <PaymentReview lease={lease} split={split} account={account} rail={rail} quote={quote.data} />
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
            <Row label="For">
              {installment.label}, due {formatDate(installment.dueDate)}
            </Row>
            <Row label="To">
              {lease.landlord.name} · {accountText(lease.payoutAccount)}
            </Row>
          </dl>
          <dl className="mt-3 space-y-2 border-t border-slate-100 pt-3 text-sm">
            <MoneyRows split={split} railChosen={rail !== null} landlordName={lease.landlord.name} />
          </dl>
        </CardBody>
      </Card>
    </div>
  );
}

/** Rent, late fee (when any), rail fee, total, and what the landlord receives: the split of rails.ts paymentSplit. */
function MoneyRows({ split, railChosen, landlordName, padded }: { split: PaymentSplit; railChosen: boolean; landlordName: string; padded?: boolean }) {
  // The review's rows carry the test ids; the summary beside it shows the same figures.
  const review = padded === true;
  return (
    <>
      <Row label="Rent" padded={padded}>
        {formatCents(split.rentCents)}
      </Row>
      {split.lateFeeCents > 0 && (
        <Row label="Late fee" padded={padded}>
          {formatCents(split.lateFeeCents)}
        </Row>
      )}
      <Row label="Rail fee (you pay)" padded={padded}>
        {!railChosen ? 'Choose a rail' : split.feeCents === 0 ? 'No fee' : formatCents(split.feeCents)}
      </Row>
      <Row label="Total you pay" padded={padded}>
        <span className="text-base font-semibold text-slate-900" data-testid={review ? 'review-total' : undefined}>
          {formatCents(split.totalCents)}
        </span>
      </Row>
      <Row label={`${landlordName} receives`} padded={padded}>
        <span data-testid={review ? 'landlord-receives' : undefined}>{formatCents(split.landlordReceivesCents)}</span>
      </Row>
    </>
  );
}

function PaymentReview({ lease, split, account, rail, quote }: { lease: Lease; split: PaymentSplit; account: Account; rail: RailRow; quote?: RouterOutputs['payment']['quote'] }) {
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
      <MoneyRows split={split} railChosen landlordName={lease.landlord.name} padded />
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
