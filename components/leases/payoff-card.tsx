'use client';
// "Pay off early": the renter's payoff quote for an ACTIVE lease (remaining rent, the lease's
// discount, unpaid late fees, what to pay) and a form (account, rail) that pays it in one
// payment. Everything is the server's answer (lease.payoffQuote); the payment is for exactly
// that amount (payment.payoff). The attempt's idempotency key is kept like "Pay rent"'s, so a
// double click or a refresh never pays twice. Placed on the renter's lease page and dashboard.
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { useTRPC } from '@/components/trpc/react';
import { fieldErrorsOf, messageOf } from '@/components/forms';
import { formatBasisPoints, formatCents } from '@/components/format';
import { attemptKey, endAttempt } from '@/components/payments/attempt-key';
import { accountText } from '@/components/payments/payment-format';
import { paymentPath } from '@/components/payments/payment-routes';
import { RailPicker, type RailRow } from '@/components/payments/rail-picker';
import { Button, ButtonLink } from '@/components/ui/button';
import { Card, CardBody, CardHeader } from '@/components/ui/card';
import { Select } from '@/components/ui/field';
import { Alert, ErrorState, LoadingRows } from '@/components/ui/states';

/** The payoff card of one ACTIVE lease of the signed-in renter (render it only for those). */
export function PayoffCard({ leaseId }: { leaseId: string }) {
  const trpc = useTRPC();
  const quote = useQuery(trpc.lease.payoffQuote.queryOptions({ leaseId }));
  const accounts = useQuery(trpc.bankAccount.list.queryOptions({ active: true, limit: 100 }));
  const rails = useQuery(trpc.payment.rails.queryOptions());
  const [open, setOpen] = useState(false);

  const queries = [quote, accounts, rails];
  const failed = queries.find((query) => query.isError);
  let body: React.ReactNode;
  if (failed) body = <ErrorState message={messageOf(failed.error)} onRetry={() => queries.forEach((query) => void query.refetch())} />;
  else if (!quote.data || !accounts.data || !rails.data) body = <LoadingRows rows={3} label="Loading payoff quote" />;
  else {
    const q = quote.data;
    body = (
      <div className="space-y-4">
        <dl className="grid gap-x-6 gap-y-3 text-sm sm:grid-cols-4" data-testid="payoff-quote">
          <Figure label={`Remaining rent (${q.installments.length} installment${q.installments.length === 1 ? '' : 's'})`} value={formatCents(q.remainingCents)} testId="payoff-remaining" />
          <Figure label={`Discount (${formatBasisPoints(q.discountBasisPoints)})`} value={`− ${formatCents(q.discountCents)}`} testId="payoff-discount" />
          <Figure label="Unpaid late fees (not discounted)" value={formatCents(q.lateFeesCents)} testId="payoff-late-fees" />
          <Figure label="To pay" value={formatCents(q.amountCents)} strong testId="payoff-total" />
        </dl>
        {!q.payable ? (
          <Alert tone="info">
            {q.reason}
            {q.inFlightPaymentId && (
              <>
                {' '}
                <Link href={paymentPath('RENTER', q.inFlightPaymentId)} className="font-semibold underline">
                  Follow it
                </Link>
              </>
            )}
          </Alert>
        ) : accounts.data.items.length === 0 ? (
          <Alert tone="info">
            Link the account you pay from first. <ButtonLink href="/renter/bank-accounts" size="sm" variant="secondary">Add a bank account</ButtonLink>
          </Alert>
        ) : open ? (
          <PayoffForm leaseId={leaseId} amountCents={q.amountCents} accounts={accounts.data.items} rails={rails.data} onCancel={() => setOpen(false)} />
        ) : (
          <Button onClick={() => setOpen(true)}>Pay off early</Button>
        )}
      </div>
    );
  }
  return (
    <Card data-testid="payoff-card" id="payoff">
      <CardHeader
        title="Pay off early"
        description="Pay every remaining installment now in one payment, less this lease's payoff discount. The discount is on rent only (rounded down to the cent); late fees are paid in full."
      />
      <CardBody>{body}</CardBody>
    </Card>
  );
}

function Figure({ label, value, strong, testId }: { label: string; value: string; strong?: boolean; testId: string }) {
  return (
    <div>
      <dt className="text-xs font-medium uppercase tracking-wide text-slate-500">{label}</dt>
      <dd className={strong ? 'mt-1 text-lg font-semibold text-slate-900' : 'mt-1 text-slate-800'} data-testid={testId}>
        {value}
      </dd>
    </div>
  );
}

type Account = { id: string; nickname: string; last4: string; isPrimary: boolean };

function PayoffForm({ leaseId, amountCents, accounts, rails, onCancel }: { leaseId: string; amountCents: number; accounts: Account[]; rails: RailRow[]; onCancel: () => void }) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const [accountId, setAccountId] = useState(() => (accounts.find((account) => account.isPrimary) ?? accounts[0]!).id);
  const [railCode, setRailCode] = useState<RailRow['rail'] | null>(() => rails.find((rail) => amountCents <= rail.limitCents)?.rail ?? null);
  const sending = useRef(false);
  const scope = `payoff:${leaseId}`;
  const payoff = useMutation(
    trpc.payment.payoff.mutationOptions({
      onSuccess: async (payment) => {
        endAttempt(scope);
        router.push(paymentPath('RENTER', payment.id));
        await Promise.all([
          queryClient.invalidateQueries({ ...trpc.payment.pathFilter(), refetchType: 'none' }),
          queryClient.invalidateQueries({ ...trpc.lease.pathFilter(), refetchType: 'none' }),
        ]);
      },
    }),
  );
  const fieldErrors = fieldErrorsOf(payoff.error);
  const rail = rails.find((row) => row.rail === railCode) ?? null;

  function confirm() {
    if (!rail || sending.current || payoff.isSuccess) return;
    sending.current = true;
    payoff.mutate(
      { leaseId, fromAccountId: accountId, rail: rail.rail, idempotencyKey: attemptKey(scope) },
      {
        onSettled: () => {
          sending.current = false;
        },
      },
    );
  }

  return (
    <div className="space-y-4">
      {payoff.error && <Alert tone="error">{messageOf(payoff.error)}</Alert>}
      <Select label="Pay from" value={accountId} onChange={(event) => setAccountId(event.target.value)} error={fieldErrors.fromAccountId}>
        {accounts.map((row) => (
          <option key={row.id} value={row.id}>
            {accountText({ nickname: row.nickname, last4: row.last4 })}
            {row.isPrimary ? ' (primary)' : ''}
          </option>
        ))}
      </Select>
      <RailPicker rails={rails} amountCents={amountCents} value={railCode} onChange={setRailCode} error={fieldErrors.rail?.[0]} />
      {rail && (
        <p className="text-sm text-slate-700">
          Total: <span className="font-semibold text-slate-900" data-testid="payoff-review-total">{formatCents(amountCents + rail.feeCents)}</span>{' '}
          ({formatCents(amountCents)}
          {rail.feeCents ? ` + ${formatCents(rail.feeCents)} ${rail.name} fee` : ', no fee'})
        </p>
      )}
      <div className="flex flex-wrap gap-2">
        <Button onClick={confirm} pending={payoff.isPending} disabled={!rail || payoff.isSuccess}>
          Confirm payoff
        </Button>
        <Button variant="ghost" disabled={payoff.isPending || payoff.isSuccess} onClick={onCancel}>
          Cancel
        </Button>
      </div>
    </div>
  );
}

/**
 * The dashboard's one-line payoff quote of an ACTIVE lease: what paying it off today costs and
 * saves (the server's quote), linking to the lease page's payoff card to pay it.
 */
export function PayoffQuoteLine({ leaseId, href }: { leaseId: string; href: string }) {
  const trpc = useTRPC();
  const quote = useQuery(trpc.lease.payoffQuote.queryOptions({ leaseId }));
  if (!quote.data || quote.data.installments.length === 0) return null;
  const { amountCents, discountCents, installments } = quote.data;
  return (
    <p className="text-sm text-slate-700" data-testid="payoff-quote-line">
      Pay off early: <span className="font-medium text-slate-900">{formatCents(amountCents)}</span> for the remaining {installments.length}{' '}
      {installments.length === 1 ? 'installment' : 'installments'}
      {discountCents > 0 ? <> (saves {formatCents(discountCents)})</> : null} ·{' '}
      <Link href={`${href}#payoff`} className="font-medium text-brand-700 hover:underline">
        See the payoff
      </Link>
    </p>
  );
}
