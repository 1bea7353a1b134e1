// npm run db:seed — creates the demo users (README lists them). Idempotent: an existing demo
// user is left as it is, so running it again changes nothing.
import { withDatabase } from '../scripts/lib/database-url';

export async function seed(databaseUrl: string, log: (line: string) => void = console.log): Promise<void> {
  process.env.DATABASE_URL = databaseUrl;
  const { db, disconnectDb } = await import('@/server/db');
  const { DEMO_USERS } = await import('@/server/domain/demo');
  const { hashPassword } = await import('@/server/domain/users');
  try {
    for (const demo of DEMO_USERS) {
      const existing = await db.user.findUnique({ where: { email: demo.email }, select: { id: true } });
      if (!existing) {
        await db.user.create({ data: { email: demo.email, name: demo.name, role: demo.role, passwordHash: await hashPassword(demo.password) } });
      }
      log(`demo ${demo.role.toLowerCase().padEnd(8)} ${demo.email} / ${demo.password}${existing ? '' : ' (created)'}`);
    }
  } finally {
    await disconnectDb();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await withDatabase((url) => seed(url));
}
