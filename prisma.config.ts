// Configuration for the Prisma CLI (generate, and migrate deploy where its engine can run).
// The app itself never reads this file: it connects through server/db.ts.
import { defineConfig } from 'prisma/config';

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations', seed: 'tsx prisma/seed.ts' },
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://localhost/directpay' },
});
