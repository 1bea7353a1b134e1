// GET /api/metrics where the usual scrape (server/observability.test.ts) cannot go: without the
// local engine, with its schema missing, and with the database down.
import { describe, expect, it } from 'vitest';
import { GET } from './route';
import { disconnectDb } from '@/server/db';
import { captureLogs } from '@/server/logger';
import { withoutEngineSchema } from '@/server/testing/database';
import { LOCAL_ENGINE, withEnv } from '@/server/testing/env';

const TOKEN = 'metrics-route-test-token';
const scrape = () => GET(new Request('http://localhost/api/metrics', { headers: { authorization: `Bearer ${TOKEN}` } }));

describe('/api/metrics', () => {
  it('leaves the engine gauges out under Inngest Cloud (no INNGEST_BASE_URL): its queue is not in this database', async () => {
    const response = await withEnv({ METRICS_TOKEN: TOKEN, INNGEST_BASE_URL: undefined }, scrape);
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text).toMatch(/^# TYPE directpay_payments gauge/m);
    expect(text).not.toContain('directpay_engine_');
  });

  it('reports the engine gauges on the local engine', async () => {
    const text = await (await withEnv({ METRICS_TOKEN: TOKEN, ...LOCAL_ENGINE }, scrape)).text();
    expect(text).toMatch(/^directpay_engine_queue_depth\{state="due"\} \d+/m);
    expect(text).toMatch(/^directpay_engine_oldest_due_lag_seconds \d/m);
  });

  it('leaves them out, and still answers 200, when the local engine is configured but its schema is missing', async () => {
    const lines: Record<string, unknown>[] = [];
    const stopCapture = captureLogs(lines);
    try {
      const text = await withoutEngineSchema(async () => {
        const response = await withEnv({ METRICS_TOKEN: TOKEN, ...LOCAL_ENGINE }, scrape);
        expect(response.status).toBe(200);
        return response.text();
      });
      expect(text).toMatch(/^# TYPE directpay_payments gauge/m);
      expect(text).not.toContain('directpay_engine_');
      expect(lines).toContainEqual(expect.objectContaining({ level: 'warn', msg: expect.stringContaining('its gauges are left out') }));
    } finally {
      stopCapture();
    }
  });

  it('answers 503 when the database is down, without the driver error; the log has it', async () => {
    const url = new URL(process.env.DATABASE_URL!);
    url.port = '1';
    await disconnectDb();
    const lines: Record<string, unknown>[] = [];
    const stopCapture = captureLogs(lines);
    try {
      const response = await withEnv({ METRICS_TOKEN: TOKEN, ...LOCAL_ENGINE, DATABASE_URL: url.toString() }, scrape);
      expect(response.status).toBe(503);
      const text = await response.text();
      expect(text).toBe('Service unavailable: the database could not be read\n');
      expect(lines).toContainEqual(expect.objectContaining({ level: 'warn', msg: 'metrics scrape failed: the database could not be read', err: expect.any(String) }));
    } finally {
      stopCapture();
      await disconnectDb();
    }
    expect((await withEnv({ METRICS_TOKEN: TOKEN, ...LOCAL_ENGINE }, scrape)).status).toBe(200);
  });
});
