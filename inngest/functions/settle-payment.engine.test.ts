// Settlement through the real pieces: the app's own /api/inngest route (real HTTP), the
// local engine as its own process, payments created through the tRPC route. The engine is
// SIGKILLed while a payment sleeps toward settlement, then started again: the payment
// completes once, no step runs twice, and the sleep is not cut short.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resetEnvForTests } from '@/server/env';
import { db } from '@/server/db';
import { requestSettlement } from '@/inngest/payments';
import { payingRenter, paymentWithoutSettlement, rewritePaymentDates } from '@/server/testing/payments';
import { freePort } from '@/scripts/lib/postgres';
import { pointClientAtEngine, serveRouteHandlers, waitFor, type ServedApp, testPool } from '@/inngest/engine/testing';
import { getRunTrace, runsForEvent } from '@/inngest/engine/read';
import pg from 'pg';

// The demo clock at 1/3600: one calendar hour plays in one second. The test puts the
// payment's batch window 2 calendar hours after its creation and its settlement 12 hours
// after that (2 s, then 12 s here), whatever day the test runs on.
process.env.SETTLEMENT_TIME_SCALE = String(1 / 3600);
const HOUR = 3600_000;
/** When the test's payment settles on the wall clock, after its creation: 92 h of calendar at this file's scale (one calendar hour a second). */
const SETTLES_AFTER_MS = 92_000;
resetEnvForTests();

let app: ServedApp;
let enginePort: number;
let engineDb: pg.Pool;

beforeAll(async () => {
  enginePort = await freePort();
  app = await serveRouteHandlers();
  // The app's client (already loaded by the tRPC route) sends events to the engine process, in
  // cloud mode: the engine signs its calls with the test keys (inherited through the
  // environment) and the route checks them. The route reports the serve URL configured here.
  const { inngest } = await import('@/inngest/client');
  pointClientAtEngine(inngest, `http://127.0.0.1:${enginePort}`);
  process.env.INNGEST_SERVE_ORIGIN = new URL(app.url).origin;
  resetEnvForTests();
  const route = await import('@/app/api/inngest/route');
  app.setHandlers({ GET: route.GET as never, POST: route.POST as never, PUT: route.PUT as never });
  engineDb = testPool(process.env.DATABASE_URL!, 2);
});

afterAll(async () => {
  await app?.close();
  await engineDb?.end();
});

/** Every engine process's log (stderr), in order: a timeout below reports its end. */
let engineLog = '';

function startEngineProcess(): Promise<ChildProcess> {
  const cli = path.resolve(import.meta.dirname, '../engine/cli.ts');
  const child = spawn(process.execPath, ['--import', 'tsx', cli, '--database-url', process.env.DATABASE_URL!, '--app-url', app.url, '--port', String(enginePort), '--sync'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, LOG_LEVEL: 'info' },
  });
  engineLog += `--- engine started at ${new Date().toISOString()}\n`;
  let errors = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    errors += chunk.toString();
    engineLog = (engineLog + chunk.toString()).slice(-20_000);
  });
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('"url"') && resolve(child));
    child.once('exit', (code) => reject(new Error(`engine exited (${code}): ${errors}`)));
  });
}

async function kill(child: ChildProcess) {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

describe('settlement through the app route and an engine process', () => {
  // Two engine processes start and die here; on a loaded 2-core machine that takes a while.
  it('survives SIGKILLs of the engine mid-step and mid-sleep: the payment completes once, no completed step runs twice, the sleep is kept', { timeout: 300_000 }, async () => {
    let engine = await startEngineProcess();
    try {
      const setup = await payingRenter();
      const payment = await paymentWithoutSettlement(setup, { rail: 'STANDARD_ACH' });
      const submitAt = new Date(payment.createdAt.getTime() + 2 * HOUR);
      // Settlement 90 h after submission (SETTLES_AFTER_MS of the test's clock): far enough that
      // two engine starts on a loaded machine come before it, so the run is still sleeping toward
      // it (a settlement time already past is not slept: settle-payment skips that sleep). At 30 h
      // (32 s) a fresh-clone CI on a machine at load 10+ missed it once.
      await rewritePaymentDates(payment.id, { submitAt, expectedSettlementAt: new Date(submitAt.getTime() + 90 * HOUR) });
      await requestSettlement(payment.id);
      const processing = await waitFor(
        async () => {
          const row = await db.payment.findUniqueOrThrow({ where: { id: payment.id } });
          return row.status === 'PROCESSING' ? row : null;
        },
        'the payment to be submitted',
        45_000,
      );
      // First kill: right after the submit step committed, most likely before the engine
      // stored its result. The restarted engine runs that step again, which must change nothing.
      await kill(engine);
      engine = await startEngineProcess();
      const [run] = await waitFor(() => runsForEvent(engineDb, `payment-created-${payment.id}`).then((runs) => (runs.length ? runs : null)), 'the run');
      // Second kill: while the run sleeps toward settlement; restart before the sleep is due.
      // On a timeout the error carries the run's steps and attempts: the fresh-clone CI (full suite)
      // timed out here twice on 2026-11-30 while this file alone passed every time.
      await waitFor(
        async () => (await getRunTrace(engineDb, run!.id))?.steps.some((s) => s.name === 'wait-for-settlement' && s.status === 'sleeping'),
        'the settlement sleep',
        SETTLES_AFTER_MS - 15_000,
      ).catch(async (error: Error) => {
        const trace = await getRunTrace(engineDb, run!.id);
        throw new Error(`${error.message}; run: ${JSON.stringify({ steps: trace?.steps.map((s) => [s.name, s.status]), attempts: trace?.attempts })}; engine log:\n${engineLog.slice(-6_000)}`);
      });
      await kill(engine);
      // The settlement time plays SETTLES_AFTER_MS after creation.
      expect(Date.now()).toBeLessThan(payment.createdAt.getTime() + SETTLES_AFTER_MS);
      engine = await startEngineProcess();

      const completed = await waitFor(
        async () => {
          const row = await db.payment.findUniqueOrThrow({ where: { id: payment.id } });
          return row.status === 'COMPLETED' || row.status === 'FAILED' ? row : null;
        },
        'the payment to settle',
        SETTLES_AFTER_MS + 60_000,
      );
      expect(completed.status).toBe('COMPLETED');
      expect(Date.now()).toBeGreaterThanOrEqual(payment.createdAt.getTime() + SETTLES_AFTER_MS);
      // Recorded at the rail's calendar time, not the wall clock's.
      expect(completed.settledAt).toEqual(processing.expectedSettlementAt);
      const events = await db.event.findMany({ where: { aggregateId: payment.id }, orderBy: { sequence: 'asc' } });
      expect(events.map((e) => e.type)).toEqual(['payment.created', 'payment.submitted', 'payment.completed']);

      // The run goes on to wait out the return window (days of calendar); what matters here is
      // everything up to the recorded settlement.
      const trace = await waitFor(async () => {
        const t = await getRunTrace(engineDb, run!.id);
        return t?.steps.some((s) => s.name === 'wait-for-finality' && s.status === 'sleeping') ? t : null;
      }, 'the run to wait for finality', 60_000);
      const ran = trace.attempts.filter((a) => a.outcome === 'ok').map((a) => trace.steps.find((s) => s.id === a.stepId)?.name);
      for (const name of ['submit-to-rail', 'ask-bank', 'record-settlement']) {
        expect(ran.filter((n) => n === name), name).toHaveLength(1);
      }
    } finally {
      await kill(engine);
    }
  });
});
