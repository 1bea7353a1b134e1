// The bench's data, made through the domain functions (sign-up, bank accounts, properties,
// leases, acceptance) so every row and event chain is what the app itself would write:
// landlords with a property and payout account, renters each with an account ending in
// 0000 (the bank simulator always settles it) and ACTIVE 60-month leases. Session cookies
// are minted the way next-auth mints them, with the app's secret.
import { encode } from 'next-auth/jwt';

export interface BenchUser {
  id: string;
  email: string;
  name: string;
  role: 'LANDLORD' | 'RENTER';
  cookie: string;
}

export interface BenchLandlord extends BenchUser {
  propertyId: string;
  payoutAccountId: string;
}

export interface BenchRenter extends BenchUser {
  accountId: string;
  leaseIds: string[];
  /** Unpaid installments, in schedule order. */
  installmentIds: string[];
}

export interface BenchData {
  landlords: BenchLandlord[];
  renters: BenchRenter[];
}

/** Runs `work` over `items`, `concurrency` at a time. */
export async function inParallel<T, R>(items: T[], concurrency: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) {
        const index = next++;
        results[index] = await work(items[index]!, index);
      }
    }),
  );
  return results;
}

const routingNumber = '021000021';
/** Setup on a machine busy with other work may take longer than Prisma's 5 s default. */
const LONG = { timeout: 120_000, maxWait: 60_000 };

/** Creates the users and leases; process.env must already point at the bench database and secrets. */
export async function seedBench(options: { landlords: number; renters: number; leasesPerRenter: number; secret: string; log: (line: string) => void }): Promise<BenchData> {
  const { db } = await import('@/server/db');
  const { signUp } = await import('@/server/domain/users');
  const { createBankAccount } = await import('@/server/domain/bank-accounts');
  const { createProperty } = await import('@/server/domain/properties');
  const { createLease, acceptLease } = await import('@/server/domain/leases');
  const { startSession } = await import('@/server/domain/sessions');
  const run = Date.now().toString(36);
  const password = 'bench passphrase that is long enough';
  // As sign-in does: a server-side session row whose id the cookie carries (sid), for a user whose
  // address is verified (as if they had followed the mailed link; renters must be to accept).
  const cookieFor = async (user: { id: string; email: string; name: string; role: 'LANDLORD' | 'RENTER' }) => {
    await db.user.update({ where: { id: user.id }, data: { emailVerifiedAt: new Date() } });
    const sid = await startSession(db, user.id);
    return `next-auth.session-token=${await encode({ token: { sub: user.id, email: user.email, name: user.name, role: user.role, sid }, secret: options.secret })}`;
  };

  const landlords = await inParallel(Array.from({ length: options.landlords }), 4, async (_, index): Promise<BenchLandlord> => {
    const user = await signUp(db, { name: `Bench Landlord ${index}`, email: `bench-landlord-${index}-${run}@example.com`, password, role: 'LANDLORD' }, { transaction: LONG });
    const actor = { id: user.id, role: 'LANDLORD' as const };
    const property = await db.$transaction((tx) =>
      createProperty(tx, actor, { name: `Bench Court ${index}`, line1: `${index} Bench St`, line2: null, city: 'Springfield', state: 'IL', postalCode: '62704' }),
      LONG,
    );
    const payout = await db.$transaction((tx) =>
      createBankAccount(tx, actor, { nickname: 'Rent income', bankName: 'Bench Bank', type: 'CHECKING', routingNumber, accountNumber: `4000${String(index).padStart(8, '0')}` }),
      LONG,
    );
    return { id: user.id, email: user.email, name: user.name, role: 'LANDLORD', cookie: await cookieFor({ ...user, role: 'LANDLORD' }), propertyId: property.id, payoutAccountId: payout.id };
  });
  options.log(`seeded ${landlords.length} landlords`);

  const renters = await inParallel(Array.from({ length: options.renters }), 4, async (_, index): Promise<BenchRenter> => {
    const user = await signUp(db, { name: `Bench Renter ${index}`, email: `bench-renter-${index}-${run}@example.com`, password, role: 'RENTER' }, { transaction: LONG });
    const actor = { id: user.id, role: 'RENTER' as const };
    const cookie = await cookieFor({ ...user, role: 'RENTER' });
    const account = await db.$transaction((tx) =>
      createBankAccount(tx, actor, { nickname: 'Checking', bankName: 'Bench Credit Union', type: 'CHECKING', routingNumber, accountNumber: `7${String(index).padStart(7, '0')}0000` }),
      LONG,
    );
    const leaseIds: string[] = [];
    const installmentIds: string[] = [];
    for (let n = 0; n < options.leasesPerRenter; n++) {
      const landlord = landlords[(index + n) % landlords.length]!;
      const landlordActor = { id: landlord.id, role: 'LANDLORD' as const };
      const lease = await db.$transaction((tx) =>
        createLease(tx, landlordActor, {
          propertyId: landlord.propertyId,
          payoutAccountId: landlord.payoutAccountId,
          renterEmail: user.email,
          monthlyRentCents: 150_000,
          startDate: '2027-01-01',
          termMonths: 60,
          dueDay: 1,
          prorateFirstMonth: false,
          // Many renters share a landlord's one property: the overlap warning is expected here.
          confirmOverlap: true,
        }),
        LONG,
      );
      await db.$transaction((tx) => acceptLease(tx, actor, { id: lease.id }), LONG);
      leaseIds.push(lease.id);
      installmentIds.push(...lease.installments.map((installment) => installment.id));
    }
    return { id: user.id, email: user.email, name: user.name, role: 'RENTER', cookie, accountId: account.id, leaseIds, installmentIds };
  });
  options.log(`seeded ${renters.length} renters with ${renters.length * options.leasesPerRenter} ACTIVE leases`);
  return { landlords, renters };
}

/**
 * Hands out (renter, installment) pairs round-robin over renters, so concurrent requests
 * spread over renters as real traffic does; each installment is paid at most once.
 */
export function installmentDispenser(renters: BenchRenter[]): () => { renter: BenchRenter; installmentId: string } {
  const positions = renters.map(() => 0);
  let turn = 0;
  return () => {
    for (let tried = 0; tried < renters.length; tried++) {
      const index = turn++ % renters.length;
      const renter = renters[index]!;
      const installmentId = renter.installmentIds[positions[index]!];
      if (installmentId) {
        positions[index]!++;
        return { renter, installmentId };
      }
    }
    throw new Error('the bench ran out of unpaid installments; seed more leases');
  };
}
