// The one Prisma client, over node-postgres through @prisma/adapter-pg. Created on first use
// and kept on globalThis so Next's hot reload does not open a new pool on every edit.
import 'server-only';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '@/server/generated/prisma/client';
import { env } from '@/server/env';

export type Db = PrismaClient;
/** The client inside `db.$transaction(async (tx) => …)`. */
export type Tx = Omit<PrismaClient, '$connect' | '$disconnect' | '$on' | '$transaction' | '$extends'>;

const globalForDb = globalThis as unknown as { directpayDb?: PrismaClient };

function createClient(): PrismaClient {
  const adapter = new PrismaPg({ connectionString: env.DATABASE_URL, max: env.DATABASE_POOL_SIZE, connectionTimeoutMillis: 5_000 });
  return new PrismaClient({ adapter });
}

function getDb(): PrismaClient {
  globalForDb.directpayDb ??= createClient();
  return globalForDb.directpayDb;
}

/** Closes the pool; tests and scripts call it before exiting. */
export async function disconnectDb(): Promise<void> {
  await globalForDb.directpayDb?.$disconnect();
  globalForDb.directpayDb = undefined;
}

export const db: PrismaClient = new Proxy({} as PrismaClient, {
  get(_target, key) {
    const client = getDb();
    const value = Reflect.get(client, key, client);
    return typeof value === 'function' ? value.bind(client) : value;
  },
});
