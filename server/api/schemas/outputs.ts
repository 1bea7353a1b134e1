// Output schemas of the procedures exposed as REST (/api/v1) and described in /api/openapi.json
// (server/api/openapi.ts). They describe what the domain functions already answer; they do not
// decide it:
// - every object is loose (`z.looseObject`): a field added to a domain view passes through
//   unchanged on both doors and is simply not yet described here;
// - `describes<T>()` keeps the procedure's TypeScript output type the domain function's own, so
//   the portal's types come from the domain, not from these schemas;
// - statuses that other work extends (lease, installment) are described as text listing today's
//   values rather than an enum that would refuse a new one; an installment's `state` (the one
//   rule's answer, installment-state.ts) and `reasonCode` are enums of that module's own lists.
// Dates: instants are `Date` on the tRPC door (superjson) and ISO 8601 strings on /api/v1 (JSON);
// calendar days are `YYYY-MM-DD` strings on both.
import { z } from 'zod';
import { PAYMENT_STATUSES, RAIL_VALUES } from './payment';
import { LEASE_STATUSES } from './lease';
import { INSTALLMENT_STATES, NOT_PAYABLE_CODES } from '@/server/domain/installment-state';

/** `schema` typed as the domain's own `T` (see the module header); checked at run time as loose objects. */
export function describes<T>(schema: z.ZodType): z.ZodType<T, T> {
  return schema as unknown as z.ZodType<T, T>;
}

const instant = z.date().meta({ format: 'date-time', description: 'An instant: ISO 8601 (UTC) on /api/v1' });
const day = z.string().meta({ format: 'date', description: 'A calendar day, YYYY-MM-DD (America/New_York)' });
const cents = z.number().int().meta({ description: 'Integer cents (USD)' });
const installmentLabelField = z.string().meta({
  description: 'The installment named by the month of its due date, e.g. "November 2026 rent"; a lease\'s prorated first installment reads "November 2026 rent (prorated)"',
});

const page = <T extends z.ZodType>(item: T) =>
  z.looseObject({
    items: z.array(item),
    nextCursor: z.string().nullable().meta({ description: 'Pass back as `cursor` for the next page; null on the last page' }),
  });

const party = z.looseObject({ id: z.string(), name: z.string() });
const property = z.looseObject({
  id: z.string(),
  name: z.string(),
  line1: z.string(),
  line2: z.string().nullable(),
  city: z.string(),
  state: z.string(),
  postalCode: z.string(),
});
const accountRef = z.looseObject({ id: z.string(), nickname: z.string(), last4: z.string() });

export const meOutput = z
  .looseObject({
    id: z.string(),
    email: z.string(),
    name: z.string(),
    role: z.enum(['LANDLORD', 'RENTER']),
    emailVerified: z.boolean(),
  })
  .meta({ id: 'Me' });

export const bankAccountOutput = z
  .looseObject({
    id: z.string(),
    nickname: z.string(),
    bankName: z.string(),
    type: z.enum(['CHECKING', 'SAVINGS']),
    routingNumber: z.string(),
    last4: z.string().meta({ description: 'The only digits of the account number ever answered' }),
    isPrimary: z.boolean(),
    active: z.boolean(),
    deactivatedReason: z.string().nullable(),
    createdAt: instant,
  })
  .meta({ id: 'BankAccount' });

export const bankAccountPageOutput = page(bankAccountOutput).meta({ id: 'BankAccountPage' });

const leaseFields = {
  id: z.string(),
  status: z.string().meta({ description: `One of ${LEASE_STATUSES.join(', ')}` }),
  statusReason: z.string().nullable(),
  renterEmail: z.string(),
  monthlyRentCents: cents,
  startDate: day,
  endDate: day.meta({ description: 'The last calendar day the term covers, YYYY-MM-DD (America/New_York)' }),
  termMonths: z.number().int(),
  dueDay: z.number().int(),
  prorateFirstMonth: z.boolean(),
  graceDays: z.number().int(),
  lateFeeFlatCents: cents,
  lateFeeBasisPoints: z.number().int(),
  lateFeeCapCents: cents.nullable(),
  reminderDaysBeforeDue: z.number().int(),
  payoffDiscountBasisPoints: z.number().int(),
  createdAt: instant,
  updatedAt: instant,
  property,
  landlord: party,
  renter: z.looseObject({ id: z.string(), name: z.string(), email: z.string() }).nullable(),
  payoutAccount: accountRef.extend({
    active: z.boolean().nullable().meta({ description: 'Whether the landlord’s payout account is active; null when the renter reads the lease' }),
  }),
};

export const leaseSummaryOutput = z.looseObject(leaseFields).meta({ id: 'LeaseSummary' });
export const leasePageOutput = page(leaseSummaryOutput).meta({ id: 'LeasePage' });

export const leaseDetailOutput = z
  .looseObject({
    ...leaseFields,
    installments: z.array(
      z
        .looseObject({
          id: z.string(),
          number: z.number().int(),
          dueDate: day,
          amountCents: cents,
          label: installmentLabelField,
          status: z.string().meta({ description: 'The installment’s stored status (DUE, PAID, FAILED, WAIVED); read `state` for what it is now' }),
          state: z.enum(INSTALLMENT_STATES).meta({ description: 'What the installment is now (UPCOMING before its due date, OVERDUE after the grace period, IN_FLIGHT while a payment covering it is on its way)' }),
          canPay: z.boolean().meta({ description: 'The renter may start a payment of it now (rate limits aside)' }),
          reason: z.string().nullable().meta({ description: 'When it cannot be paid: why, in words; null when it can' }),
          reasonCode: z.enum(NOT_PAYABLE_CODES).nullable().meta({ description: 'When it cannot be paid: why, as a stable code; null when it can' }),
          lastFailure: z.string().nullable().meta({ description: 'Its last payment failed or came back and nothing replaced it yet: the reason with its code, e.g. "Insufficient funds (R01)"; else null' }),
          overdue: z.boolean(),
          lateFeeCents: cents,
        })
        .meta({ id: 'Installment' }),
    ),
    payNextInstallmentId: z.uuid().nullable().meta({ description: 'The earliest installment the renter can pay now (“Pay next”), or null' }),
  })
  .meta({ id: 'LeaseDetail' });

export const paymentOutput = z
  .looseObject({
    id: z.string(),
    kind: z.enum(['INSTALLMENT', 'PAYOFF']),
    status: z.enum(PAYMENT_STATUSES),
    rail: z.enum(RAIL_VALUES),
    railName: z.string(),
    amountCents: cents.meta({ description: 'Rent (and late fee) paid to the landlord, in cents' }),
    feeCents: cents.meta({ description: 'The rail’s fee, in cents' }),
    discountCents: cents,
    totalCents: cents.meta({ description: 'amountCents + feeCents: what leaves the renter’s account' }),
    attempt: z.number().int(),
    failureCode: z.string().nullable(),
    failureReason: z.string().nullable(),
    submitAt: instant,
    expectedSettlementAt: instant,
    submittedAt: instant.nullable(),
    settledAt: instant.nullable(),
    returnableUntil: instant.nullable(),
    finalAt: instant.nullable(),
    returnedAt: instant.nullable(),
    createdAt: instant,
    updatedAt: instant,
    cancellable: z.boolean(),
    final: z.boolean(),
    returnable: z.boolean(),
    installment: z.looseObject({
      id: z.string(),
      number: z.number().int(),
      dueDate: day,
      status: z.string(),
      label: installmentLabelField,
    }),
    split: z
      .looseObject({
        rentCents: cents.meta({ description: 'Rent (after an early-payoff discount), in cents' }),
        lateFeeCents: cents.meta({ description: 'Late fees, in cents' }),
        feeCents: cents.meta({ description: 'The rail’s fee, in cents' }),
        totalCents: cents.meta({ description: 'What leaves the renter’s account (landlordReceivesCents + feeCents), in cents' }),
        landlordReceivesCents: cents.meta({ description: 'What the landlord receives (rentCents + lateFeeCents), in cents' }),
      })
      .meta({ description: 'The payment split into its parts, all integer cents' }),
    failureText: z.string().nullable().meta({ description: 'FAILED or RETURNED: the reason in words with its code, e.g. "Insufficient funds (R01)"; else null' }),
    lease: z.looseObject({ id: z.string(), status: z.string(), property }),
    renter: party,
    landlord: party,
    fromAccount: z.looseObject({ id: z.string(), nickname: z.string(), bankName: z.string(), last4: z.string() }),
    toAccount: z.looseObject({ id: z.string(), nickname: z.string(), bankName: z.string(), last4: z.string() }),
    payoffInstallments: z.array(
      z.looseObject({ installmentId: z.string(), number: z.number().int(), dueDate: day, label: installmentLabelField, rentCents: cents, lateFeeCents: cents, discountCents: cents }),
    ),
    playback: z
      .looseObject({ secondsPerDay: z.number(), submitAt: instant, expectedSettlementAt: instant, returnableUntil: instant.nullable() })
      .nullable()
      .meta({ description: 'Only when the demo clock runs faster than real time' }),
  })
  .meta({ id: 'Payment' });

export const paymentPageOutput = page(paymentOutput).meta({ id: 'PaymentPage' });

/** `payment.byId`: the payment, and what can be done about its installment now (the one rule). */
export const paymentDetailOutput = paymentOutput
  .extend({
    installmentNow: z
      .looseObject({
        state: z.enum(INSTALLMENT_STATES).meta({ description: 'What the payment’s installment is now (see Installment.state)' }),
        canPay: z.boolean().meta({ description: 'The renter may start a payment of the installment now (rate limits aside)' }),
        reason: z.string().nullable().meta({ description: 'When it cannot be paid: why, in words; null when it can' }),
        reasonCode: z.enum(NOT_PAYABLE_CODES).nullable().meta({ description: 'When it cannot be paid: why, as a stable code; null when it can' }),
        newerPaymentId: z.uuid().nullable().meta({ description: 'The installment’s latest payment (or early payoff covering it) when it is not this one; else null' }),
      })
      .meta({ description: 'The one installment rule’s answer for this payment’s installment, now' }),
    retryable: z.boolean().meta({ description: 'The renter may ask `payment.retry` for this payment now: FAILED, or RETURNED R01, the installment’s latest payment, and the installment can be paid (always false for the landlord). The retry still checks the account: after two R01 returns from one account it asks for another' }),
  })
  .meta({ id: 'PaymentDetail' });
