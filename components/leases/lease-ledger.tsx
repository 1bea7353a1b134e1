'use client';
// The lease's ledger as both parties see it (ledger.tenant): each charge, payment, return,
// fee and late fee in order, what it changed in what the renter owes, and the running balance.
// The landlord can waive a late fee with a reason.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTRPC } from '@/components/trpc/react';
import type { RouterOutputs } from '@/components/trpc/types';
import { formatCents, formatDateTime } from '@/components/format';
import { formErrors, messageOf, zodFieldErrors, type FieldErrors } from '@/components/forms';
import { Button } from '@/components/ui/button';
import { Card, CardBody, CardHeader } from '@/components/ui/card';
import { Input } from '@/components/ui/field';
import { Alert, ErrorState, LoadingRows } from '@/components/ui/states';
import { Table, TBody, Td, Th, THead } from '@/components/ui/table';
import { waiveLateFeeInput } from '@/server/api/schemas/ledger';
import type { Viewer } from './lease-routes';
import { leaseDetailInputs } from './lease-queries';

type Ledger = RouterOutputs['ledger']['tenant'];
type Line = Ledger['lines'][number];

/** How people read each ledger kind (the lease page and the statement). */
export const KIND_LABELS: Record<Line['kind'], string> = {
  CHARGE: 'Rent due',
  PAYMENT_SUBMITTED: 'Payment sent',
  PAYMENT_SETTLED: 'Payment settled',
  PAYMENT_FAILED: 'Payment failed',
  PAYMENT_CANCELLED: 'Payment cancelled',
  PAYMENT_RETURNED: 'Payment returned',
  FEE: 'Rail fee',
  FEE_REFUND: 'Rail fee refunded',
  LATE_FEE: 'Late fee',
  LATE_FEE_WAIVER: 'Late fee waived',
  PAYOFF_DISCOUNT: 'Early payoff discount',
  PAYOFF_DISCOUNT_REVERSED: 'Payoff discount reversed',
};

/** What a line means to the renter's balance: rail fees and settlements move money elsewhere. */
function amountText(line: Line): string {
  if (line.amountCents !== 0) return formatCents(line.amountCents);
  const moved = line.entries.find((e) => e.amountCents > 0);
  return moved ? `(${formatCents(moved.amountCents)})` : '—';
}

/** `asOf`: the ledger as it stood then (the entries recorded by that instant), read-only and not refreshed. */
export function LeaseLedger({ leaseId, viewer, asOf = null }: { leaseId: string; viewer: Viewer; asOf?: Date | null }) {
  const trpc = useTRPC();
  const ledger = useQuery(trpc.ledger.tenant.queryOptions(leaseDetailInputs(leaseId, asOf).ledger, { refetchInterval: asOf ? false : 5000 }));
  return (
    <Card>
      <CardHeader
        title="Ledger"
        description={`Every charge, payment, return and fee on this lease${asOf ? ' up to then' : ''}, with what the renter owes after each. Amounts in brackets move money without changing that balance.`}
      />
      <CardBody className="px-0 py-0 sm:px-0">
        {ledger.isPending ? (
          <div className="p-4">
            <LoadingRows rows={3} label="Loading ledger" />
          </div>
        ) : ledger.isError ? (
          <div className="p-4">
            <ErrorState message={messageOf(ledger.error)} onRetry={() => void ledger.refetch()} />
          </div>
        ) : (
          <LedgerTable ledger={ledger.data} viewer={viewer} />
        )}
      </CardBody>
    </Card>
  );
}

function LedgerTable({ ledger, viewer }: { ledger: Ledger; viewer: Viewer }) {
  const { balances } = ledger;
  const figures: [string, number][] = [
    ['Owed now', balances.dueCents],
    ['Overdue', balances.overdueCents],
    ['On its way', balances.inFlightCents],
    ['Returnable', balances.returnableCents],
    ['Collected (final)', balances.collectedCents],
  ];
  return (
    <>
      <dl className="grid grid-cols-2 gap-4 border-b border-slate-200 px-4 py-3 sm:grid-cols-5" data-testid="ledger-balances">
        {figures.map(([label, cents]) => (
          <div key={label}>
            <dt className="text-xs font-medium uppercase tracking-wide text-slate-500">{label}</dt>
            <dd className="mt-1 text-sm font-semibold tabular-nums text-slate-900">{formatCents(cents)}</dd>
          </div>
        ))}
      </dl>
      {ledger.lines.length === 0 ? (
        <p className="px-4 py-6 text-sm text-slate-500">Nothing has fallen due yet.</p>
      ) : (
        <Table aria-label="Lease ledger">
          <THead>
            <tr>
              <Th>When</Th>
              <Th>What</Th>
              <Th>Month</Th>
              <Th className="text-right">Amount</Th>
              <Th className="text-right">Balance</Th>
              {viewer === 'LANDLORD' && <Th />}
            </tr>
          </THead>
          <TBody>
            {ledger.lines.map((line) => (
              <tr key={line.id} data-testid="ledger-line" data-kind={line.kind}>
                <Td label="When" className="whitespace-nowrap text-slate-500">{formatDateTime(line.createdAt)}</Td>
                <Td label="What" wrap className="min-w-[12rem]">
                  <span className="font-medium text-slate-900">{KIND_LABELS[line.kind]}</span>
                  <span className="block text-xs text-slate-500">{line.reason}</span>
                </Td>
                <Td label="Month" className="whitespace-nowrap text-slate-600">{line.installmentLabel ?? ''}</Td>
                <Td label="Amount" className={`text-right tabular-nums ${line.amountCents > 0 ? 'text-red-700' : line.amountCents < 0 ? 'text-emerald-700' : 'text-slate-500'}`}>{amountText(line)}</Td>
                <Td label="Balance" className="text-right tabular-nums font-medium text-slate-900">{formatCents(line.balanceCents)}</Td>
                {viewer === 'LANDLORD' && <Td>{line.waivable && line.installmentId && <WaiveLateFee installmentId={line.installmentId} />}</Td>}
              </tr>
            ))}
          </TBody>
        </Table>
      )}
    </>
  );
}

function WaiveLateFee({ installmentId }: { installmentId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [clientErrors, setClientErrors] = useState<FieldErrors>({});
  const waive = useMutation(
    trpc.ledger.waiveLateFee.mutationOptions({
      onSuccess: async () => {
        setOpen(false);
        await Promise.all([queryClient.invalidateQueries(trpc.ledger.pathFilter()), queryClient.invalidateQueries(trpc.lease.pathFilter())]);
      },
    }),
  );
  const { errors, topMessage } = formErrors(waive.error, clientErrors);

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    waive.reset();
    const parsed = waiveLateFeeInput.safeParse({ installmentId, reason });
    if (!parsed.success) {
      setClientErrors(zodFieldErrors(parsed.error.issues));
      return;
    }
    setClientErrors({});
    waive.mutate(parsed.data);
  }

  if (!open) {
    return (
      <Button size="sm" variant="secondary" onClick={() => setOpen(true)}>
        Waive…
      </Button>
    );
  }
  return (
    <form onSubmit={onSubmit} noValidate className="min-w-56 space-y-2">
      {topMessage && <Alert tone="error">{topMessage}</Alert>}
      <Input label="Why waive it?" name="waiveReason" value={reason} maxLength={300} onChange={(event) => setReason(event.target.value)} error={errors.reason} />
      <div className="flex gap-2">
        <Button type="submit" size="sm" pending={waive.isPending}>
          Waive fee
        </Button>
        <Button size="sm" variant="ghost" disabled={waive.isPending} onClick={() => setOpen(false)}>
          Keep it
        </Button>
      </div>
    </form>
  );
}
