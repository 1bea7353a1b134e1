import { describe, expect, it } from 'vitest';
import { GET } from './route';
import { disconnectDb } from '@/server/db';
import { resetEnvForTests } from '@/server/env';
import { readMigrations, PRISMA_MIGRATIONS } from '@/scripts/lib/migrator';

describe('/api/health', () => {
  it('answers 200 with the database reachable and the latest applied migration', async () => {
    const response = await GET();
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body.ok).toBe(true);
    expect(body.database).toEqual({ reachable: true, latestMigration: readMigrations(PRISMA_MIGRATIONS.dir).at(-1)!.name });
  });

  it('answers 503 when the database is down', async () => {
    const working = process.env.DATABASE_URL!;
    await disconnectDb();
    const url = new URL(working);
    url.port = '1';
    process.env.DATABASE_URL = url.toString();
    resetEnvForTests();
    try {
      const response = await GET();
      expect(response.status).toBe(503);
      const body = await response.json();
      expect(body.ok).toBe(false);
      expect(body.database.reachable).toBe(false);
    } finally {
      await disconnectDb();
      process.env.DATABASE_URL = working;
      resetEnvForTests();
    }
  });
});
