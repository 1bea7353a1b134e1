'use client';
// The landlord offers a lease. The schedule beside the form is computed in the browser by
// buildSchedule — the very function lease.create runs on the server — so the preview is
// exactly what will be stored, with the date the lease ends. A start in the past that leaves
// installments already due, or a second lease on the same property, must be confirmed: the
// server says which (lease.createWarnings) and refuses lease.create until the landlord ticks
// each one.
import Link from 'next/link';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { useTRPC } from '@/components/trpc/react';
import { centsFromDollars, formErrors, messageOf, zodFieldErrors, type FieldErrors } from '@/components/forms';
import { accountText } from '@/components/payments/payment-format';
import { Button } from '@/components/ui/button';
import { Card, CardBody, CardHeader } from '@/components/ui/card';
import { Input, Select } from '@/components/ui/field';
import { Alert, EmptyState, ErrorState, LoadingRows } from '@/components/ui/states';
import { createLeaseInput, leaseTermsInput } from '@/server/api/schemas/lease';
import { buildSchedule, lateFeeCents, leaseEndDate, type ScheduleTerms } from '@/server/domain/schedule';
import { formatCents, formatDate } from '@/components/format';
import { dueDayText, ordinal } from './lease-format';
import { leasePath } from './lease-routes';
import { ACTIVE_ACCOUNTS_INPUT } from '@/components/bank-accounts/bank-account-queries';
import { PROPERTY_CHOICES_INPUT } from './lease-queries';
import { ScheduleTable } from './schedule-table';
import { countText } from '@/server/domain/text';
import { installmentLabel } from '@/server/domain/installment-state';

const RENT_FORMAT = 'enter the rent in dollars, e.g. 1500 or 1500.00';

interface Draft {
  propertyId: string;
  renterEmail: string;
  rent: string;
  startDate: string;
  termMonths: string;
  dueDay: string;
  prorateFirstMonth: boolean;
  graceDays: string;
  /** Flat late fee in dollars; empty: none. */
  lateFee: string;
  /** Late fee as a percentage of the installment; empty: none. */
  lateFeePercent: string;
  /** Largest late fee in dollars; empty: no cap. */
  lateFeeCap: string;
  /** Early payoff discount as a percentage of the remaining rent (default 2). */
  payoffPercent: string;
  /** Days before each due date a renter without autopay is reminded. */
  reminderDays: string;
  payoutAccountId: string;
}

/** Optional dollars as cents: empty is `empty`, unreadable is NaN (the schema refuses it). */
function optionalCents(text: string, empty: number | null): number | null {
  if (!text.trim()) return empty;
  return centsFromDollars(text) ?? Number.NaN;
}

/** "2.5" (%) as 250 basis points; empty is 0, unreadable NaN. */
function basisPoints(text: string): number {
  if (!text.trim()) return 0;
  const match = /^(\d{1,3})(?:\.(\d{1,2}))?$/.exec(text.trim());
  return match ? Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0')) : Number.NaN;
}

/** The draft as lease.create's input (before validation), and whether the rent was readable. */
function toInput(draft: Draft) {
  const monthlyRentCents = centsFromDollars(draft.rent);
  return {
    rentReadable: monthlyRentCents !== null,
    terms: {
      monthlyRentCents: monthlyRentCents ?? Number.NaN,
      startDate: draft.startDate,
      termMonths: Number(draft.termMonths),
      dueDay: Number(draft.dueDay),
      prorateFirstMonth: draft.prorateFirstMonth,
      graceDays: Number(draft.graceDays),
      lateFeeFlatCents: optionalCents(draft.lateFee, 0) ?? 0,
      lateFeeBasisPoints: basisPoints(draft.lateFeePercent),
      lateFeeCapCents: optionalCents(draft.lateFeeCap, null),
      payoffDiscountBasisPoints: basisPoints(draft.payoffPercent),
    },
  };
}

const TERM_LABELS: Record<string, string> = {
  monthlyRentCents: 'Monthly rent',
  startDate: 'Start date',
  termMonths: 'Term',
  dueDay: 'Due day',
  graceDays: 'Grace period',
  lateFeeFlatCents: 'Late fee',
  lateFeeBasisPoints: 'Late fee percentage',
  lateFeeCapCents: 'Late fee cap',
  payoffDiscountBasisPoints: 'Early payoff discount',
};

/** Why there is no preview yet: "Term must be at least 1 month." */
function termProblems(issues: { path: PropertyKey[]; message: string }[]): string {
  return Object.entries(zodFieldErrors(issues))
    .map(([field, messages]) => `${TERM_LABELS[field] ?? field} ${messages?.[0] ?? ''}.`)
    .join(' ');
}

export function CreateLeaseForm({ defaultStartDate, initialPropertyId }: { defaultStartDate: string; initialPropertyId?: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const properties = useQuery(trpc.property.list.queryOptions(PROPERTY_CHOICES_INPUT));
  const accounts = useQuery(trpc.bankAccount.list.queryOptions(ACTIVE_ACCOUNTS_INPUT));
  const create = useMutation(
    trpc.lease.create.mutationOptions({
      onSuccess: async (lease) => {
        await Promise.all([queryClient.invalidateQueries(trpc.lease.pathFilter()), queryClient.invalidateQueries(trpc.property.pathFilter())]);
        router.push(leasePath('LANDLORD', lease.id));
      },
    }),
  );

  const [draft, setDraft] = useState<Omit<Draft, 'propertyId' | 'payoutAccountId'> & { propertyId?: string; payoutAccountId?: string }>({
    propertyId: initialPropertyId,
    renterEmail: '',
    rent: '',
    startDate: defaultStartDate,
    termMonths: '12',
    dueDay: '1',
    prorateFirstMonth: false,
    graceDays: '5',
    lateFee: '',
    lateFeePercent: '',
    lateFeeCap: '',
    payoffPercent: '2',
    reminderDays: '5',
  });
  const [confirmations, setConfirmations] = useState({ confirmPastStart: false, confirmOverlap: false });
  const [clientErrors, setClientErrors] = useState<FieldErrors>({});

  if (properties.isPending || accounts.isPending) return <LoadingRows rows={6} label="Loading your properties and accounts" />;
  if (properties.isError) return <ErrorState message={messageOf(properties.error)} onRetry={() => void properties.refetch()} />;
  if (accounts.isError) return <ErrorState message={messageOf(accounts.error)} onRetry={() => void accounts.refetch()} />;

  const propertyItems = properties.data.items;
  const accountItems = accounts.data.items;
  // Until the landlord picks, the property they came from (or their only one) and their primary account.
  const values: Draft = {
    ...draft,
    propertyId: draft.propertyId ?? (propertyItems.length === 1 ? propertyItems[0]!.id : ''),
    payoutAccountId: draft.payoutAccountId ?? (accountItems.find((account) => account.isPrimary) ?? accountItems[0])?.id ?? '',
  };
  const set = (field: keyof Draft) => (event: { target: { value: string } }) => setDraft((current) => ({ ...current, [field]: event.target.value }));

  const { rentReadable, terms } = toInput(values);
  const parsedTerms = leaseTermsInput.safeParse(terms);
  const preview = rentReadable && parsedTerms.success ? buildSchedule(parsedTerms.data).map((row) => ({ ...row, label: installmentLabel(row, parsedTerms.data) })) : null;

  const { errors, topMessage } = formErrors(create.error, clientErrors);
  const blocked = propertyItems.length === 0 || accountItems.length === 0;

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    const parsed = createLeaseInput.safeParse({
      ...terms,
      propertyId: values.propertyId,
      payoutAccountId: values.payoutAccountId,
      renterEmail: values.renterEmail,
      reminderDaysBeforeDue: Number(values.reminderDays),
      ...confirmations,
    });
    const found = parsed.success ? {} : zodFieldErrors(parsed.error.issues);
    if (!rentReadable) found.monthlyRentCents = [RENT_FORMAT];
    if (!parsed.success || !rentReadable) {
      setClientErrors(found);
      return;
    }
    setClientErrors({});
    create.reset();
    create.mutate(parsed.data);
  }

  return (
    <div className="grid grid-cols-1 gap-6 lg:grid-cols-2">
      <Card>
        <CardHeader title="Lease terms" description="The renter reviews these terms and the schedule before accepting." />
        <CardBody>
          <form onSubmit={onSubmit} noValidate className="space-y-4">
            {topMessage && <Alert tone="error">{topMessage}</Alert>}
            {accountItems.length === 0 && (
              <Alert tone="error">
                You need an active payout account before you can create a lease: rent is paid into it.{' '}
                <Link href="/landlord/bank-accounts" className="font-semibold underline">
                  Add a bank account
                </Link>
              </Alert>
            )}
            {propertyItems.length === 0 && (
              <Alert tone="error">
                Add a property first: a lease is always for one of your properties.{' '}
                <Link href="/landlord/properties/new" className="font-semibold underline">
                  Add a property
                </Link>
              </Alert>
            )}
            <Select label="Property" name="propertyId" value={values.propertyId} onChange={set('propertyId')} error={errors.propertyId} disabled={propertyItems.length === 0}>
              <option value="">Choose a property…</option>
              {propertyItems.map((property) => (
                <option key={property.id} value={property.id}>
                  {property.name} — {property.line1}, {property.city}
                </option>
              ))}
            </Select>
            <Input
              label="Renter’s email"
              name="renterEmail"
              type="email"
              autoComplete="off"
              value={values.renterEmail}
              onChange={set('renterEmail')}
              error={errors.renterEmail}
              hint="No account yet? They will find the lease waiting when they sign up with this email."
            />
            <Input
              label="Monthly rent (USD)"
              name="rent"
              inputMode="decimal"
              placeholder="1500.00"
              value={values.rent}
              onChange={set('rent')}
              error={errors.monthlyRentCents}
            />
            <div className="grid gap-4 sm:grid-cols-2">
              <Input label="Start date" name="startDate" type="date" value={values.startDate} onChange={set('startDate')} error={errors.startDate} />
              <Input label="Term (months)" name="termMonths" type="number" min={1} max={60} value={values.termMonths} onChange={set('termMonths')} error={errors.termMonths} />
            </div>
            <Select label="Rent due on" name="dueDay" value={values.dueDay} onChange={set('dueDay')} error={errors.dueDay} hint={`Due ${dueDayText(Number(values.dueDay))}.`}>
              {Array.from({ length: 31 }, (_, index) => index + 1).map((day) => (
                <option key={day} value={day}>
                  the {ordinal(day)} of each month
                </option>
              ))}
            </Select>
            <label className="flex items-start gap-2 text-sm text-slate-700">
              <input
                type="checkbox"
                name="prorateFirstMonth"
                checked={values.prorateFirstMonth}
                onChange={(event) => setDraft((current) => ({ ...current, prorateFirstMonth: event.target.checked }))}
                className="mt-0.5 h-4 w-4 rounded border-slate-300"
              />
              <span>
                <span className="font-medium">Prorate the first month</span>
                <span className="block text-xs text-slate-500">Bill the days from the start date to the first due date, due on move-in.</span>
              </span>
            </label>
            <fieldset className="space-y-3 rounded-md border border-slate-200 p-3">
              <legend className="px-1 text-sm font-medium text-slate-700">Late fee</legend>
              <div className="grid gap-4 sm:grid-cols-2">
                <Input
                  label="Grace period (days)"
                  name="graceDays"
                  type="number"
                  min={0}
                  max={60}
                  value={values.graceDays}
                  onChange={set('graceDays')}
                  error={errors.graceDays}
                  hint="Days after the due date rent can still be paid without a fee."
                />
                <Input label="Flat fee (USD)" name="lateFee" inputMode="decimal" placeholder="none" value={values.lateFee} onChange={set('lateFee')} error={errors.lateFeeFlatCents} />
                <Input
                  label="Plus percent of the installment"
                  name="lateFeePercent"
                  inputMode="decimal"
                  placeholder="none"
                  value={values.lateFeePercent}
                  onChange={set('lateFeePercent')}
                  error={errors.lateFeeBasisPoints}
                />
                <Input label="At most (USD)" name="lateFeeCap" inputMode="decimal" placeholder="no cap" value={values.lateFeeCap} onChange={set('lateFeeCap')} error={errors.lateFeeCapCents} />
              </div>
              <p className="text-xs text-slate-500" data-testid="late-fee-preview">
                {/* "No late fee" only when the terms say so: while they do not read, the fee cannot be worked out. */}
                {!(parsedTerms.success && rentReadable)
                  ? 'The late fee shows here once the terms above are complete.'
                  : lateFeeCents(parsedTerms.data, parsedTerms.data.monthlyRentCents) > 0
                    ? `Unpaid ${countText(parsedTerms.data.graceDays ?? 0, 'day')} after its due date, an installment of ${formatCents(parsedTerms.data.monthlyRentCents)} is charged ${formatCents(lateFeeCents(parsedTerms.data, parsedTerms.data.monthlyRentCents))} once.`
                    : 'No late fee.'}
              </p>
            </fieldset>
            <Input
              label="Early payoff discount (% of the remaining rent)"
              name="payoffPercent"
              inputMode="decimal"
              value={values.payoffPercent}
              onChange={set('payoffPercent')}
              error={errors.payoffDiscountBasisPoints}
              hint="If the renter pays every remaining installment at once, this share of that rent is taken off (rounded down to the cent). Empty or 0: no discount."
            />
            <Input
              label="Remind the renter (days before due)"
              name="reminderDays"
              type="number"
              min={0}
              max={28}
              value={values.reminderDays}
              onChange={set('reminderDays')}
              error={errors.reminderDaysBeforeDue}
              hint="Renters without autopay get a reminder by email and in the portal this many days before each due date."
            />
            <Select label="Payout account" name="payoutAccountId" value={values.payoutAccountId} onChange={set('payoutAccountId')} error={errors.payoutAccountId} disabled={accountItems.length === 0}>
              {accountItems.length === 0 && <option value="">No active account</option>}
              {accountItems.map((account) => (
                <option key={account.id} value={account.id}>
                  {accountText(account)}
                  {account.isPrimary ? ' (primary)' : ''}
                </option>
              ))}
            </Select>
            {preview && parsedTerms.success && values.propertyId && (
              <CreateWarnings
                terms={parsedTerms.data}
                propertyId={values.propertyId}
                confirmations={confirmations}
                onConfirm={(flag, value) => setConfirmations((current) => ({ ...current, [flag]: value }))}
                errors={errors}
              />
            )}
            <Button type="submit" pending={create.isPending} disabled={blocked} className="w-full sm:w-auto">
              Create lease and invite renter
            </Button>
          </form>
        </CardBody>
      </Card>
      <Card className="self-start lg:sticky lg:top-4">
        <CardHeader
          title="Schedule preview"
          description={
            preview && parsedTerms.success ? (
              <>
                Updates as you type. The lease ends <span data-testid="lease-end-date" className="font-medium text-slate-900">{formatDate(leaseEndDate(parsedTerms.data))}</span>.
              </>
            ) : (
              'Updates as you type.'
            )
          }
        />
        <CardBody className={preview ? 'px-0 py-0 sm:px-0' : undefined}>
          {preview ? (
            <ScheduleTable rows={preview} caption="Schedule preview" />
          ) : (
            <EmptyState
              title="No schedule yet"
              description={!rentReadable ? `To see the schedule, ${RENT_FORMAT}.` : termProblems(parsedTerms.error?.issues ?? [])}
            />
          )}
        </CardBody>
      </Card>
    </div>
  );
}

type Confirmation = 'confirmPastStart' | 'confirmOverlap';

/**
 * What the server would ask the landlord to confirm for these terms on this property, each
 * with a checkbox: installments already due (a start in the past; how many are overdue at once)
 * and another pending or active lease on the property.
 */
function CreateWarnings({
  terms,
  propertyId,
  confirmations,
  onConfirm,
  errors,
}: {
  terms: ScheduleTerms;
  propertyId: string;
  confirmations: Record<Confirmation, boolean>;
  onConfirm: (flag: Confirmation, value: boolean) => void;
  errors: FieldErrors;
}) {
  const trpc = useTRPC();
  const warnings = useQuery({ ...trpc.lease.createWarnings.queryOptions({ ...terms, propertyId }), placeholderData: keepPreviousData });
  if (warnings.isError) return <Alert tone="error">{messageOf(warnings.error)}</Alert>;
  if (!warnings.data) return null;
  const { pastStart, overlap } = warnings.data;
  const items: { flag: Confirmation; text: string; confirm: string }[] = [];
  if (pastStart) {
    const count = pastStart.overdueInstallments;
    items.push({
      flag: 'confirmPastStart',
      text: `The start date is in the past: ${count} installment${count === 1 ? ' is' : 's are'} overdue as soon as the renter accepts (late fees apply after the grace period).`,
      confirm: 'Start it in the past anyway',
    });
  }
  if (overlap) {
    items.push({
      flag: 'confirmOverlap',
      text: `This property already has ${overlap.leases === 1 ? 'a pending or active lease' : `${overlap.leases} pending or active leases`}.`,
      confirm: 'Offer another lease on it anyway',
    });
  }
  if (!items.length) return null;
  return (
    <div className="space-y-3 rounded-md border border-amber-300 bg-amber-50 p-3" data-testid="lease-create-warnings">
      {items.map((item) => (
        <div key={item.flag} className="space-y-1">
          <p className="text-sm font-medium text-amber-900">{item.text}</p>
          <label className="flex items-start gap-2 text-sm text-slate-800">
            <input
              type="checkbox"
              name={item.flag}
              checked={confirmations[item.flag]}
              onChange={(event) => onConfirm(item.flag, event.target.checked)}
              className="mt-0.5 h-4 w-4 rounded border-slate-400"
            />
            {item.confirm}
          </label>
          {errors[item.flag] && (
            <p role="alert" className="text-sm text-red-700">
              {errors[item.flag]![0]}
            </p>
          )}
        </div>
      ))}
    </div>
  );
}
