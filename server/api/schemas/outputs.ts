// Output schemas of the procedures exposed as REST (/api/v1) and described in /api/openapi.json
// (server/api/openapi.ts). They describe what the domain functions already answer; they do not
// decide it:
// - every object is loose (`z.looseObject`): a field added to a domain view passes through
//   unchanged on both doors and is simply not yet described here;
// - `describes<T>()` keeps the procedure's TypeScript output type the domain function's own, so
//   the portal's types come from the domain, not from these schemas;
// - statuses that other work extends (lease, installment) are described as text listing today's
//   values rather than an enum that would refuse a new one.
// Dates: instants are `Date` on the tRPC door (superjson) and ISO 8601 strings on /api/v1 (JSON);
// calendar days are `YYYY-MM-DD` strings on both.
import { z } from 'zod';
import { PAYMENT_STATUSES, RAIL_VALUES } from './payment';
import { LEASE_STATUSES } from './lease';

/** `schema` typed as the domain's own `T` (see the module header); checked at run time as loose objects. */
export function describes<T>(schema: z.ZodType): z.ZodType<T, T> {
  return schema as unknown as z.ZodType<T, T>;
}

const instant = z.date().meta({ format: 'date-time', description: 'An instant: ISO 8601 (UTC) on /api/v1' });
const day = z.string().meta({ format: 'date', description: 'A calendar day, YYYY-MM-DD (America/New_York)' });
const cents = z.number().int().meta({ description: 'Integer cents (USD)' });

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
  payoutAccount: accountRef,
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
          status: z.string().meta({ description: 'The installment’s stored status (DUE, PAID, FAILED, WAIVED)' }),
          overdue: z.boolean(),
          lateFeeCents: cents,
        })
        .meta({ id: 'Installment' }),
    ),
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
    installment: z.looseObject({ id: z.string(), number: z.number().int(), dueDate: day, status: z.string() }),
    lease: z.looseObject({ id: z.string(), status: z.string(), property }),
    renter: party,
    landlord: party,
    fromAccount: z.looseObject({ id: z.string(), nickname: z.string(), bankName: z.string(), last4: z.string() }),
    toAccount: z.looseObject({ id: z.string(), nickname: z.string(), bankName: z.string(), last4: z.string() }),
    payoffInstallments: z.array(
      z.looseObject({ installmentId: z.string(), number: z.number().int(), dueDate: day, rentCents: cents, lateFeeCents: cents, discountCents: cents }),
    ),
    playback: z
      .looseObject({ secondsPerDay: z.number(), submitAt: instant, expectedSettlementAt: instant, returnableUntil: instant.nullable() })
      .nullable()
      .meta({ description: 'Only when the demo clock runs faster than real time' }),
  })
  .meta({ id: 'Payment' });

export const paymentPageOutput = page(paymentOutput).meta({ id: 'PaymentPage' });
