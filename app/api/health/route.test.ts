import { afterEach, describe, expect, it } from 'vitest';
import { GET } from './route';
import { HEALTH_DATABASE_TIMEOUT_MS } from '@/server/health';
import { db, disconnectDb } from '@/server/db';
import { LOCAL_ENGINE, withEnv } from '@/server/testing/env';
import { captureLogs } from '@/server/logger';
import { readMigrations, PRISMA_MIGRATIONS } from '@/scripts/lib/migrator';
import { testDatabaseUrl, withoutEngineSchema } from '@/server/testing/database';
import pg from 'pg';

describe('/api/health', () => {
  afterEach(async () => {
    await db.$executeRaw`delete from inngest_engine.runs where id like 'health-test-%'`;
    await db.$executeRaw`delete from inngest_engine.apps where id like 'health-test-%'`;
  });

  it('answers 200 with the database reachable and the latest applied migration', async () => {
    const response = await GET();
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body.ok).toBe(true);
    expect(body.database).toEqual({ reachable: true, latestMigration: readMigrations(PRISMA_MIGRATIONS.dir).at(-1)!.name });
  });

  it('leaves the engine out under Inngest Cloud (no INNGEST_BASE_URL): no local queue to report', async () => {
    const body = await withEnv({ INNGEST_BASE_URL: undefined, INNGEST_DEV: undefined }, async () => (await GET()).json());
    expect(body.ok).toBe(true);
    expect(body.engine).toBeNull();
  });

  it('reports the local engine on time when no run is due', async () => {
    const response = await withEnv(LOCAL_ENGINE, GET);
    expect(response.status).toBe(200);
    expect((await response.json()).engine).toEqual({ oldestDueLagSeconds: null, behind: false, behindAfterSeconds: 60 });
  });

  it('reports the engine behind when a run has been due for longer than INNGEST_ENGINE_BEHIND_SECONDS, and still answers 200', async () => {
    await db.$executeRaw`insert into inngest_engine.runs (id, function_id, status, event, created_at)
      values ('health-test-late', 'health-test', 'queued', '{}', now() - interval '2 hours')`;
    await db.$executeRaw`insert into inngest_engine.queue (run_id, due_at) values ('health-test-late', now() - interval '1 hour')`;
    const response = await withEnv(LOCAL_ENGINE, GET);
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body.ok).toBe(true);
    expect(body.engine.behind).toBe(true);
    expect(body.engine.oldestDueLagSeconds).toBeGreaterThanOrEqual(3600);
    expect(body.engine.behindAfterSeconds).toBe(60);

    // The threshold is a setting: a day's allowance makes the same hour-old run on time.
    const lenient = await withEnv({ ...LOCAL_ENGINE, INNGEST_ENGINE_BEHIND_SECONDS: '86400' }, async () => (await GET()).json());
    expect(lenient.engine).toMatchObject({ behind: false, behindAfterSeconds: 86400 });
  });

  it('reports the engine behind when a cron tick is overdue with no run due: a stopped engine queues nothing (found by a stranger: a frozen engine read on time)', async () => {
    await db.$executeRaw`insert into inngest_engine.apps (id, url, config_hash, synced_at) values ('health-test-app', 'http://127.0.0.1:9/', 'x', now())`;
    await db.$executeRaw`insert into inngest_engine.functions (id, app_id, name, url, max_attempts, config, updated_at)
      values ('health-test-cron', 'health-test-app', 'Every minute', 'http://127.0.0.1:9/', 1, '{}', now())`;
    await db.$executeRaw`insert into inngest_engine.crons (function_id, expression, next_at) values ('health-test-cron', '* * * * *', now() - interval '5 minutes')`;
    const body = await withEnv(LOCAL_ENGINE, async () => (await GET()).json());
    expect(body.engine.behind).toBe(true);
    expect(body.engine.oldestDueLagSeconds).toBeGreaterThanOrEqual(300);
  });

  it('answers 503 within its deadline when the database does not answer (found by a stranger: a frozen PostgreSQL held the probe over 40 s)', async () => {
    const owner = new pg.Client({ connectionString: testDatabaseUrl });
    await owner.connect();
    // The check's statement waits on this lock as it would on a server that stopped answering.
    await owner.query('begin');
    await owner.query('lock table "_prisma_migrations" in access exclusive mode');
    const lines: Record<string, unknown>[] = [];
    const stopCapture = captureLogs(lines);
    try {
      const response = await withEnv(LOCAL_ENGINE, GET);
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toBe('5');
      expect(await response.json()).toMatchObject({ ok: false, database: { reachable: false } });
      expect(lines).toContainEqual(expect.objectContaining({ msg: 'health: database unreachable', err: expect.objectContaining({ message: `the database did not answer within ${HEALTH_DATABASE_TIMEOUT_MS} ms` }) }));
    } finally {
      stopCapture();
      await owner.query('rollback');
      await owner.end();
    }
    expect((await withEnv(LOCAL_ENGINE, GET)).status).toBe(200);
  });

  it('leaves the engine out, and still answers 200, when the local engine is configured but its schema is missing', async () => {
    const lines: Record<string, unknown>[] = [];
    const stopCapture = captureLogs(lines);
    try {
      const body = await withoutEngineSchema(async () => {
        const response = await withEnv(LOCAL_ENGINE, GET);
        expect(response.status).toBe(200);
        return response.json();
      });
      expect(body).toMatchObject({ ok: true, database: { reachable: true }, engine: null });
      expect(lines).toContainEqual(expect.objectContaining({ level: 'warn', msg: 'health: the local engine is configured but its schema is missing' }));
    } finally {
      stopCapture();
    }
  });

  it('answers 503 when the database is down, saying only that it is unreachable; the driver error goes to the log', async () => {
    const working = process.env.DATABASE_URL!;
    const url = new URL(working);
    url.port = '1';
    await disconnectDb();
    const lines: Record<string, unknown>[] = [];
    const stopCapture = captureLogs(lines);
    try {
      const response = await withEnv({ ...LOCAL_ENGINE, DATABASE_URL: url.toString() }, GET);
      expect(response.status).toBe(503);
      const text = await response.text();
      expect(JSON.parse(text)).toEqual({ ok: false, database: { reachable: false, latestMigration: null }, engine: null, time: expect.any(String) });
      expect(text).not.toContain(url.hostname);
      expect(text).not.toContain(url.host);
      expect(text).not.toMatch(/ECONNREFUSED|error/i);
      const logged = lines.find((line) => line.msg === 'health: database unreachable');
      expect(logged).toMatchObject({ level: 'error', err: expect.objectContaining({ message: expect.any(String) }) });
      // Once per outage, not per probe: a load balancer probing every second must not flood the log.
      expect((await withEnv({ ...LOCAL_ENGINE, DATABASE_URL: url.toString() }, GET)).status).toBe(503);
      expect(lines.filter((line) => line.msg === 'health: database unreachable')).toHaveLength(1);
      await disconnectDb();
      expect((await GET()).status).toBe(200);
      expect(lines.filter((line) => line.msg === 'health: database reachable again')).toHaveLength(1);
    } finally {
      stopCapture();
      await disconnectDb();
    }
  });
});
