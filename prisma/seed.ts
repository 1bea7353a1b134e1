// npm run db:seed — creates the demo users (README lists them) through the same sign-up as
// everyone else (so each has its user.signedUp event) and, the first time, a demo
// lease between them so the portals have something to show: the landlord's property and
// payout account, the renter's two accounts (…0000 always settles; …0001 is the bank
// simulator's "insufficient funds" account) and an ACTIVE 12-month lease starting this
// month. Idempotent: existing demo records are left as they are.
import { withDatabase } from '../scripts/lib/database-url';

export async function seed(databaseUrl: string, log: (line: string) => void = console.log): Promise<void> {
  process.env.DATABASE_URL = databaseUrl;
  const { db, disconnectDb } = await import('@/server/db');
  const { DEMO_USERS } = await import('@/server/domain/demo');
  const { signUp } = await import('@/server/domain/users');
  const { createBankAccount } = await import('@/server/domain/bank-accounts');
  const { createProperty } = await import('@/server/domain/properties');
  const { createLease, acceptLease } = await import('@/server/domain/leases');
  try {
    const ids = new Map<string, string>();
    for (const demo of DEMO_USERS) {
      const existing = await db.user.findUnique({ where: { email: demo.email }, select: { id: true } });
      const user = existing ?? (await signUp(db, { email: demo.email, name: demo.name, role: demo.role, password: demo.password }, { demo: true }));
      ids.set(demo.email, user.id);
      log(`demo ${demo.email.split('@')[0]!.padEnd(8)} ${demo.email} / ${demo.password}${existing ? '' : ' (created)'}`);
    }
    const landlord = { id: ids.get('landlord@directpay.test')!, role: 'LANDLORD' as const };
    const renter = { id: ids.get('renter@directpay.test')!, role: 'RENTER' as const };
    if (await db.property.count({ where: { landlordId: landlord.id } })) return;

    // Once per database, 13 hash-chained events: give a busy machine time (Prisma's default is 5 s).
    await db.$transaction(async (tx) => {
      const payout = await createBankAccount(tx, landlord, { nickname: 'Rent income', bankName: 'First Demo Bank', type: 'CHECKING', routingNumber: '021000021', accountNumber: '400012345555' });
      await createBankAccount(tx, renter, { nickname: 'Everyday checking', bankName: 'Demo Credit Union', type: 'CHECKING', routingNumber: '011000015', accountNumber: '700098760000' });
      await createBankAccount(tx, renter, { nickname: 'Low-balance checking', bankName: 'Demo Credit Union', type: 'CHECKING', routingNumber: '011000015', accountNumber: '700098760001' });
      const property = await createProperty(tx, landlord, { name: 'Maple Court', line1: '12 Maple St', line2: 'Apt 3', city: 'Springfield', state: 'IL', postalCode: '62704' });
      const today = new Date();
      const startDate = `${today.getUTCFullYear()}-${String(today.getUTCMonth() + 1).padStart(2, '0')}-01`;
      const lease = await createLease(tx, landlord, {
        propertyId: property.id,
        renterEmail: 'renter@directpay.test',
        monthlyRentCents: 185_000,
        startDate,
        termMonths: 12,
        dueDay: 1,
        prorateFirstMonth: false,
        payoutAccountId: payout.id,
        // From the first of this month: today's installment may already be behind it.
        confirmPastStart: true,
      });
      await acceptLease(tx, renter, { id: lease.id });
    }, { maxWait: 30_000, timeout: 120_000 });
    log('demo lease created: Maple Court, $1,850.00 a month, ACTIVE');
  } finally {
    await disconnectDb();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await withDatabase(({ appUrl }) => seed(appUrl));
}
