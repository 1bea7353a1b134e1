// A renter with an ACTIVE lease and a bank account, ready to pay rent; created through the
// API like real users would.
import { apiAs, createUser, type ApiClient, type TestUser } from './api';
import type { LeaseTermsInput } from '@/server/api/schemas/lease';
import { accountNumber, bankAccountInput, offerLease } from './leasing';
import { acceptInvitation } from './mail';
import { db } from '@/server/db';
import { asOwner } from './database';
import { createPayment } from '@/server/domain/payments';
import type { Rail } from '@/server/generated/prisma/enums';

export interface PayingRenter {
  landlord: TestUser;
  renter: TestUser;
  landlordApi: ApiClient;
  renterApi: ApiClient;
  lease: Awaited<ReturnType<ApiClient['lease']['byId']['query']>>;
  /** The renter's account; its last four digits steer the bank simulator (…0000 always settles). */
  from: Awaited<ReturnType<ApiClient['bankAccount']['create']['mutate']>>;
}

/** An account number ending in these four digits. */
export function accountEndingIn(last4: string): string {
  return accountNumber().slice(0, 8) + last4;
}

export async function payingRenter(options: { last4?: string; terms?: Partial<LeaseTermsInput> } = {}): Promise<PayingRenter> {
  const landlord = await createUser('LANDLORD');
  const renter = await createUser('RENTER');
  const landlordApi = await apiAs(landlord);
  const renterApi = await apiAs(renter);
  const offered = await offerLease(landlordApi, renter.email, { prorateFirstMonth: false, ...options.terms });
  await acceptInvitation(renterApi, renter.email, offered.lease.id);
  const from = await renterApi.bankAccount.create.mutate(bankAccountInput({ nickname: 'Checking', accountNumber: accountEndingIn(options.last4 ?? '0000') }));
  const lease = await renterApi.lease.byId.query({ id: offered.lease.id });
  return { landlord, renter, landlordApi, renterApi, lease, from };
}

/**
 * A PENDING payment of the renter's `installment` (index in the lease's schedule, default the
 * first) from their account, committed by the domain function without asking for settlement:
 * as if the request to Inngest were lost after commit, or for a test that settles it itself.
 */
export async function paymentWithoutSettlement(setup: PayingRenter, options: { rail: Rail; installment?: number }) {
  const { result } = await createPayment(
    db,
    { id: setup.renter.id, role: 'RENTER' },
    { installmentId: setup.lease.installments[options.installment ?? 0]!.id, fromAccountId: setup.from.id, rail: options.rail },
    null,
  );
  return result;
}

type PaymentDates = Partial<Record<'createdAt' | 'submitAt' | 'expectedSettlementAt' | 'settledAt' | 'returnableUntil', Date>>;

/**
 * Moves a payment's dates, as the database's owner with its fixed-terms rule
 * ("Payment_terms_are_fixed", migration 20261202070000) off for this one statement: for tests
 * that play a payment's past or future (a payment left behind, a return window ending). The app
 * cannot do this; nothing but a test should.
 */
export async function rewritePaymentDates(id: string, dates: PaymentDates): Promise<void> {
  const entries = Object.entries(dates);
  const set = entries.map(([column], i) => `"${column}" = $${i + 2}`).join(', ');
  const [updated] = await asOwner([[`update "Payment" set ${set} where id = $1`, [id, ...entries.map(([, value]) => value)]]], {
    without: [['Payment', 'Payment_terms_are_fixed']],
  });
  if (updated!.rowCount !== 1) throw new Error(`no payment ${id}`);
}
