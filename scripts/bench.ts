// npm run bench — DirectPay measured from outside beside its database's own ceiling.
// Builds (or reuses) the production build, starts it as `npm start` does (Next plus the local
// Inngest engine) on a scratch database of a fresh embedded PostgreSQL (or DATABASE_URL's
// server), seeds users and leases through the domain functions, and drives the real HTTP tRPC
// API with autocannon on loopback. In the same run pgbench's TPC-B runs on the same server at
// the same concurrency, and every DirectPay throughput is printed as a ratio to it. Finally it
// checks that every payment reached exactly one terminal state and every event chain verifies.
// Any error answer, timeout or failed check fails the run (exit 1).
//
//   npm run bench                 full run: bench/results/<date>.json + .md, BENCHMARKS.md "latest"
//   npm run bench -- --smoke      tiny counts, seconds; writes nothing (CI runs it)
//   options: --rebuild (build even if .next exists), --label <text> (stored with the results),
//            --only <phase>[,<phase>…] runs only these phases (each with the data it needs):
//              pgbench, create (payment.create at 1/16/64 and its replay), reads, lease, rtp, burst;
//            --counts <scale> multiplies the full run's request counts (e.g. 0.1; at least 1 each;
//            pgbench keeps its 15 s: at 64 clients a short run may finish before all have connected);
//            --trace prints the timeline of the five slowest RTP settlements (ms after createdAt:
//            event received, run created and started, each step attempt) from the engine's tables;
//            --app-log <file> writes everything the app and its engine print to <file>, at
//            LOG_LEVEL=info (one line per request and per engine call) instead of warn.
//   A run with --only or --counts prints its table and writes nothing (like --smoke).
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { generateEngineKeys } from '../inngest/engine/signing';
import { migrateAll } from './lib/migrate-all';
import { runLoad, summarize, type BenchRequest, type PhaseResult } from './lib/bench/load';
import { findPgbench, initPgbench, pgbenchVersion, runPgbench, startApp, startBenchDatabase, type RunningApp } from './lib/bench/servers';
import { inParallel, installmentDispenser, seedBench, type BenchRenter } from './lib/bench/seed';
import { renderTable, updateBenchmarksFile, type BenchReport } from './lib/bench/report';

const { values } = parseArgs({
  options: {
    smoke: { type: 'boolean', default: false },
    rebuild: { type: 'boolean', default: false },
    label: { type: 'string', default: '' },
    only: { type: 'string' },
    counts: { type: 'string' },
    trace: { type: 'boolean', default: false },
    'app-log': { type: 'string' },
  },
});
const smoke = values.smoke!;

const PHASES = ['pgbench', 'create', 'reads', 'lease', 'rtp', 'burst'] as const;
type Phase = (typeof PHASES)[number];
const only = values.only?.split(',').map((name) => name.trim()).filter(Boolean);
for (const name of only ?? []) if (!(PHASES as readonly string[]).includes(name)) throw new Error(`--only: no phase "${name}" (phases: ${PHASES.join(', ')})`);
/** Whether this run measures `phase` (every phase unless --only names some). */
const runs = (phase: Phase) => !only || only.includes(phase);
const scale = values.counts === undefined ? 1 : Number(values.counts);
if (!(scale > 0)) throw new Error(`--counts: a positive number, got "${values.counts}"`);
/** Only a full run of every phase at full counts is recorded. */
const recorded = !smoke && !only && scale === 1;

const FULL = { landlords: 8, renters: 64, leasesPerRenter: 2, create1: 100, create16: 800, create64: 2000, reads1: 300, reads64: 2000, lease1: 100, lease16: 400, rtp: 50, burst: 1500, pgbenchScale: 16, pgbenchSeconds: 15 };
/** Request counts per phase; smoke mode proves every path in seconds, the full run measures, --counts scales it. */
const COUNTS = smoke
  ? { landlords: 2, renters: 8, leasesPerRenter: 1, create1: 5, create16: 16, create64: 64, reads1: 10, reads64: 64, lease1: 3, lease16: 16, rtp: 3, burst: 30, pgbenchScale: 1, pgbenchSeconds: 0 }
  : scale === 1
    ? FULL
    : {
        ...FULL,
        ...Object.fromEntries(
          (['create1', 'create16', 'create64', 'reads1', 'reads64', 'lease1', 'lease16', 'rtp', 'burst'] as const).map((key) => [key, Math.max(1, Math.round(FULL[key] * scale))]),
        ),
      };
const CONCURRENCY = [1, 16, 64] as const;
/**
 * The smallest settlement time scale the project runs at (its tests'): one calendar day plays
 * in one second (SETTLEMENT_TIME_SCALE is a fraction of real time; README "Configuration").
 */
const TIME_SCALE = String(1 / 86_400);
/**
 * When each of the payments `$1` was written COMPLETED: its payment.completed event's time (and
 * ms since it was created). Not "settledAt", which is the rail's settlement instant on the real
 * calendar (createdAt + 2 s for RTP, whenever the engine got there): it measured a constant.
 */
const completedSql = `select p.id, e."createdAt" as completed_at, extract(epoch from (e."createdAt" - p."createdAt")) * 1000 as ms
    from "Payment" p join "Event" e on e."aggregateType" = 'Payment' and e."aggregateId" = p.id and e.type = 'payment.completed'
   where p.id = any($1::uuid[]) and p.status = 'COMPLETED'`;
const SECRETS = { NEXTAUTH_SECRET: randomUUID() + randomUUID(), ACCOUNT_TOKEN_SECRET: randomUUID() + randomUUID() };

const log = (line: string) => console.log(`[bench] ${line}`);
const failures: string[] = [];

function machine() {
  return {
    nproc: os.availableParallelism(),
    cpu: os.cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    platform: `${os.type()} ${os.release()}`,
  };
}

function ensureBuild(): void {
  if (!values.rebuild && fs.existsSync('.next/BUILD_ID')) {
    log('reusing the production build in .next/ (--rebuild to build again)');
    return;
  }
  log('building the production build (npm run build)…');
  const result = spawnSync('npm', ['run', 'build'], { stdio: 'inherit' });
  if (result.status !== 0) throw new Error('next build failed');
}

const trpcPath = (procedure: string, input?: unknown) =>
  `/api/trpc/${procedure}${input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify({ json: input }))}`}`;

function record(phase: PhaseResult & { failures?: string[] }, results: PhaseResult[]): PhaseResult {
  const { failures: phaseFailures = [], ...result } = phase;
  results.push(result);
  if (result.errors) failures.push(`${result.name} at ${result.connections}: ${result.errors} errors; ${phaseFailures.join(' | ')}`);
  log(
    `${result.name.padEnd(30)} c=${String(result.connections).padStart(2)} n=${String(result.requests).padStart(5)} ${result.throughput.toFixed(1).padStart(8)}/s ` +
      `p50 ${result.p50} p95 ${result.p95} p99 ${result.p99} ms errors ${result.errors} load ${result.loadAverage}`,
  );
  return result;
}

/**
 * Polls `countSql` (a `select count(*)::int as n …`) every `everyMs` until it reads 0; returns the
 * seconds it took, or throws naming `still` (e.g. "payments still in flight") past the limit.
 * The smoke's limit is sized for a loaded CI machine (at load 40 a 64-payment ACH batch took over
 * 120 s to settle).
 */
async function untilNone(db: pg.Pool, countSql: string, still: string, what: string, everyMs: number, limitSeconds = smoke ? 600 : 900): Promise<number> {
  const started = performance.now();
  for (;;) {
    const { rows } = await db.query<{ n: number }>(countSql);
    if (rows[0]!.n === 0) return (performance.now() - started) / 1000;
    if (performance.now() - started > limitSeconds * 1000) throw new Error(`${rows[0]!.n} ${still} ${limitSeconds} s after ${what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

/** Waits until no payment is PENDING or PROCESSING; returns the seconds it took. */
const drain = (db: pg.Pool, what: string, limitSeconds?: number) =>
  untilNone(db, `select count(*)::int as n from "Payment" where status in ('PENDING', 'PROCESSING')`, 'payments still in flight', what, 50, limitSeconds);

/**
 * Waits until the engine has no run queued, running or waiting (an ACH payment's return window
 * is a sleeping run long after the payment COMPLETED; a lease invitation's mail is a run) and no
 * mail waits to be sent; returns the seconds it took. Mail waiting in the outbox (the seed's
 * invitations) goes out with the dispatcher's minute sweep, so `dispatch` asks for it first:
 * otherwise 150 mails went out in the middle of the RTP phase. The one-client reads, the RTP
 * latency and the idle side of the burst comparison are measured on an idle app, as the issue
 * measured its "before".
 */
const engineIdle = async (db: pg.Pool, what: string, dispatch: () => Promise<unknown>) => {
  await dispatch();
  return untilNone(
    db,
    `select (select count(*) from inngest_engine.runs where status in ('queued', 'running', 'waiting'))::int
          + (select count(*) from "EmailMessage" where status = 'QUEUED')::int as n`,
    'engine runs or mails still unfinished',
    what,
    100,
  );
};

interface CreatedPayment {
  cookie: string;
  key: string;
  body: string;
  id: string;
}

/** payment.create at `connections`: a fresh Idempotency-Key and an unpaid installment each. */
async function createPhase(app: RunningApp, take: ReturnType<typeof installmentDispenser>, connections: number, amount: number, rail: string, results: PhaseResult[]) {
  const created: CreatedPayment[] = [];
  // The answer carries no key; it is matched back through its installment, unique per request.
  const sent = new Map<string, CreatedPayment>();
  const phase = await runLoad({
    name: 'payment.create',
    baseUrl: app.baseUrl,
    connections,
    amount,
    maxSeconds: smoke ? 60 : 300,
    next: () => {
      const { renter, installmentId } = take();
      const key = randomUUID();
      const body = JSON.stringify({ json: { installmentId, fromAccountId: renter.accountId, rail } });
      sent.set(installmentId, { cookie: renter.cookie, key, body, id: '' });
      return { method: 'POST', path: '/api/trpc/payment.create', headers: { cookie: renter.cookie, 'idempotency-key': key }, body };
    },
    onResponse: (status, body) => {
      if (status !== 200) return;
      const payment = JSON.parse(body).result.data.json as { id: string; installment: { id: string } };
      const request = sent.get(payment.installment.id);
      if (request) created.push({ ...request, id: payment.id });
    },
  });
  record(phase, results);
  return created;
}

async function main(): Promise<void> {
  const started = new Date();
  const stamp = started.toISOString().replace(/[:.]/g, '-');
  log(`${smoke ? 'smoke' : recorded ? 'full' : 'partial'} run${only ? ` of ${only.join(', ')}` : ''}${scale !== 1 ? ` at ${scale}× counts` : ''} on ${os.availableParallelism()} CPU(s), load average ${os.loadavg().map((n) => n.toFixed(2)).join(' ')}`);
  ensureBuild();
  const pgbench = findPgbench();
  const appDatabase = `directpay_bench_${process.pid}`;
  const pgbenchDatabase = `pgbench_${process.pid}`;
  const database = await startBenchDatabase([appDatabase, pgbenchDatabase]);
  const databaseUrl = database.url(appDatabase);
  // The local engine's keys: the app takes them from its data dir's secrets file (run-app.ts
  // runs the local engine only while INNGEST_SIGNING_KEY is unset in its environment); the
  // bench needs the event key to send the burst's events, and the in-process seeding the
  // environment the app's modules check.
  const keys = generateEngineKeys('local');
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'directpay-bench-data-'));
  fs.writeFileSync(path.join(dataDir, 'secrets.json'), JSON.stringify({ ...SECRETS, INNGEST_SIGNING_KEY: keys.signingKey, INNGEST_EVENT_KEY: keys.eventKey }), { mode: 0o600 });
  Object.assign(process.env, {
    DATABASE_URL: databaseUrl,
    SETTLEMENT_TIME_SCALE: TIME_SCALE,
    BANK_SUCCESS_RATE: '1',
    LOG_LEVEL: 'warn',
    NEXTAUTH_URL: 'http://localhost',
    INNGEST_SIGNING_KEY: keys.signingKey,
    INNGEST_EVENT_KEY: keys.eventKey,
    ...SECRETS,
  });
  const db = new pg.Pool({ connectionString: databaseUrl, max: 4 });
  let app: RunningApp | undefined;
  const results: PhaseResult[] = [];
  let report: BenchReport | undefined;
  try {
    await migrateAll(databaseUrl);
    log('seeding through the domain functions…');
    const data = await seedBench({ landlords: COUNTS.landlords, renters: COUNTS.renters, leasesPerRenter: COUNTS.leasesPerRenter, secret: SECRETS.NEXTAUTH_SECRET, log });
    log('starting the production build with the local engine…');
    app = await startApp(
      { DATABASE_URL: databaseUrl, SETTLEMENT_TIME_SCALE: TIME_SCALE, BANK_SUCCESS_RATE: '1', LOG_LEVEL: values['app-log'] ? 'info' : 'warn', DIRECTPAY_DATA_DIR: dataDir, DIRECTPAY_DEMO_SEED: 'false', ...SECRETS },
      db,
      values['app-log'],
    );
    const engineUrl = /local Inngest engine on (http:\/\/[\d.:]+)/.exec(app.output())?.[1];
    if (!engineUrl) throw new Error('the app did not say where its local engine listens');
    /** Asks the dispatcher to send the outbox now (inngest/outbox.ts OUTBOX_DISPATCH). */
    const dispatch = () => fetch(`${engineUrl}/e/${keys.eventKey}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'outbox/dispatch', data: {} }) });
    log(`app on ${app.baseUrl}, engine on ${engineUrl}`);
    const take = installmentDispenser(data.renters);

    // Warm-up: the first requests load route modules and open pool connections.
    const renter0 = data.renters[0]!;
    for (let n = 0; n < 5; n++) await fetch(`${app.baseUrl}${trpcPath('me.get')}`, { headers: { cookie: renter0.cookie } });

    // The database's own ceiling, while the app is idle.
    const pgbenchTps: Record<number, { tps: number; latencyMs: number; loadAverage: number }> = {};
    if (runs('pgbench')) {
      log(`pgbench TPC-B (${pgbenchVersion(pgbench)}), scale ${COUNTS.pgbenchScale}, ${smoke ? '10 transactions per client' : `${COUNTS.pgbenchSeconds} s per concurrency`}…`);
      initPgbench(pgbench, database.url(pgbenchDatabase), COUNTS.pgbenchScale);
      for (const clients of CONCURRENCY) {
        const loadAverage = os.loadavg()[0]!;
        pgbenchTps[clients] = { ...runPgbench(pgbench, database.url(pgbenchDatabase), clients, smoke ? { transactions: 10 } : { seconds: COUNTS.pgbenchSeconds }), loadAverage: Math.round(loadAverage * 100) / 100 };
        log(`pgbench c=${clients}: ${pgbenchTps[clients]!.tps.toFixed(0)} tps, latency ${pgbenchTps[clients]!.latencyMs} ms, load ${loadAverage.toFixed(2)}`);
      }
    }
    const { db: prisma } = await import('@/server/db');
    const { createPayment } = await import('@/server/domain/payments');

    // Writes: payment.create at 1, 16, 64 (the engine settles them meanwhile, as deployed).
    let allCreated: CreatedPayment[] = [];
    if (runs('create')) {
      for (const [connections, amount] of [
        [1, COUNTS.create1],
        [16, COUNTS.create16],
        [64, COUNTS.create64],
      ] as const) {
        allCreated = await createPhase(app, take, connections, amount, 'STANDARD_ACH', results);
        const seconds = await drain(db, `payment.create at ${connections}`);
        log(`  engine finished settling them ${seconds.toFixed(1)} s after the phase`);
      }
      const paymentsBeforeReplay = await countPayments(db);
      let replayIndex = 0;
      let notReplayed = 0;
      record(
        await runLoad({
          name: 'payment.create (replay)',
          baseUrl: app.baseUrl,
          connections: 64,
          amount: allCreated.length,
          maxSeconds: smoke ? 60 : 300,
          next: () => {
            const original = allCreated[replayIndex++ % allCreated.length]!;
            return { method: 'POST', path: '/api/trpc/payment.create', headers: { cookie: original.cookie, 'idempotency-key': original.key }, body: original.body };
          },
          onResponse: (status, _body, headers) => {
            if (status === 200 && headers['idempotent-replayed'] !== 'true') notReplayed++;
          },
        }),
        results,
      );
      if (notReplayed) failures.push(`${notReplayed} replays were answered without Idempotent-Replayed: true`);
      if ((await countPayments(db)) !== paymentsBeforeReplay) failures.push('idempotent replays created payments');
    }

    const idleP95: Record<string, number> = {};
    if (runs('reads') || runs('rtp') || runs('burst')) log(`  engine idle ${(await engineIdle(db, 'the writes', dispatch)).toFixed(1)} s later`);
    if (runs('reads')) {
      // The reads' data without the create phase: one payment per renter (domain function), settled.
      if (!allCreated.length) {
        allCreated = await inParallel(data.renters, 8, async (renter) => {
          const { installmentId } = take();
          const { result } = await createPayment(prisma, { id: renter.id, role: 'RENTER' }, { installmentId, fromAccountId: renter.accountId, rail: 'RTP' }, null);
          return { cookie: renter.cookie, key: '', body: '', id: result.id };
        });
        const response = await fetch(`${engineUrl}/e/${keys.eventKey}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(allCreated.map((payment) => ({ id: `payment-created-${payment.id}`, name: 'payment/created', data: { paymentId: payment.id } }))),
        });
        if (!response.ok) failures.push(`the engine refused the reads' settlement events: ${response.status}`);
        await drain(db, "the reads' payments");
        await engineIdle(db, "the reads' payments", dispatch);
      }

      // Reads, at one client and at 64, on data the writes above made.
      const paymentOf = new Map<string, string>();
      for (const payment of allCreated) paymentOf.set(payment.cookie, payment.id);
      const readers = data.renters.filter((renter) => paymentOf.has(renter.cookie));
      const reads: Record<string, (renter: BenchRenter) => BenchRequest> = {
        'me.get': (renter) => ({ method: 'GET', path: trpcPath('me.get'), headers: { cookie: renter.cookie } }),
        'payment.byId': (renter) => ({ method: 'GET', path: trpcPath('payment.byId', { id: paymentOf.get(renter.cookie) }), headers: { cookie: renter.cookie } }),
        'lease.byId': (renter) => ({ method: 'GET', path: trpcPath('lease.byId', { id: renter.leaseIds[0] }), headers: { cookie: renter.cookie } }),
        'payment.list': (renter) => ({ method: 'GET', path: trpcPath('payment.list', {}), headers: { cookie: renter.cookie } }),
        'payment.history': (renter) => ({ method: 'GET', path: trpcPath('payment.history', { id: paymentOf.get(renter.cookie) }), headers: { cookie: renter.cookie } }),
        '/api/health': () => ({ method: 'GET', path: '/api/health' }),
      };
      for (const connections of [1, 64]) {
        for (const [name, build] of Object.entries(reads)) {
          let turn = 0;
          const result = record(
            await runLoad({
              name,
              baseUrl: app.baseUrl,
              connections,
              amount: connections === 1 ? COUNTS.reads1 : COUNTS.reads64,
              maxSeconds: smoke ? 60 : 300,
              next: () => build(readers[turn++ % readers.length]!),
            }),
            results,
          );
          if (connections === 1) idleP95[name] = result.p95;
        }
      }
    }

    // lease.create with 12 installments.
    if (runs('lease')) {
      for (const [connections, amount] of [
        [1, COUNTS.lease1],
        [16, COUNTS.lease16],
      ] as const) {
        let turn = 0;
        record(
          await runLoad({
            name: 'lease.create (12 installments)',
            baseUrl: app.baseUrl,
            connections,
            amount,
            maxSeconds: smoke ? 60 : 300,
            next: () => {
              const landlord = data.landlords[turn++ % data.landlords.length]!;
              const body = JSON.stringify({
                json: {
                  propertyId: landlord.propertyId,
                  payoutAccountId: landlord.payoutAccountId,
                  renterEmail: `invitee-${randomUUID()}@example.com`,
                  monthlyRentCents: 120_000,
                  startDate: '2027-03-01',
                  termMonths: 12,
                  dueDay: 1,
                  // The landlord's one property already has leases: the overlap is expected.
                  confirmOverlap: true,
                },
              });
              return { method: 'POST', path: '/api/trpc/lease.create', headers: { cookie: landlord.cookie }, body };
            },
          }),
          results,
        );
      }
    }

    // Settlement latency: RTP create → COMPLETED, one payment at a time on an idle engine.
    if (runs('rtp')) {
      log(`  engine idle ${(await engineIdle(db, 'lease.create', dispatch)).toFixed(1)} s later`);
      const rtpIds: string[] = [];
      for (let n = 0; n < COUNTS.rtp; n++) {
        const { renter, installmentId } = take();
        const response = await fetch(`${app.baseUrl}/api/trpc/payment.create`, {
          method: 'POST',
          headers: { cookie: renter.cookie, 'content-type': 'application/json', 'idempotency-key': randomUUID() },
          body: JSON.stringify({ json: { installmentId, fromAccountId: renter.accountId, rail: 'RTP' } }),
        });
        if (!response.ok) {
          failures.push(`RTP payment.create answered ${response.status}: ${(await response.text()).slice(0, 300)}`);
          continue;
        }
        const id = ((await response.json()) as { result: { data: { json: { id: string } } } }).result.data.json.id;
        rtpIds.push(id);
        await drain(db, 'an RTP payment', 60);
      }
      const { rows: rtpRows } = await db.query<{ ms: number }>(completedSql, [rtpIds]);
      if (rtpRows.length !== COUNTS.rtp) failures.push(`${COUNTS.rtp - rtpRows.length} RTP payments did not complete`);
      const rtp = summarize('RTP create → COMPLETED', 1, rtpRows.map((row) => Number(row.ms)), 1, 0, os.loadavg()[0]!);
      delete (rtp as Partial<PhaseResult>).throughput;
      results.push({ ...rtp, throughput: NaN, note: `payment.completed event − createdAt at SETTLEMENT_TIME_SCALE=${TIME_SCALE}` });
      log(`RTP create → COMPLETED over ${rtpRows.length}: p50 ${rtp.p50} p95 ${rtp.p95} p99 ${rtp.p99} ms`);
      if (values.trace) {
        // Where the slowest settlements' time went: ms after the payment's createdAt.
        const { rows: traced } = await db.query<Record<string, unknown>>(
          `with r as (
             select p.id, p."createdAt" as c, done."createdAt" as done, r.id as run_id, r.created_at, r.started_at, e.received_at
               from "Payment" p
               join "Event" done on done."aggregateId" = p.id and done.type = 'payment.completed'
               join inngest_engine.runs r on r.function_id like '%settle-payment' and r.event->'data'->>'paymentId' = p.id::text
               left join inngest_engine.events e on e.internal_id = r.event_internal_id
              where p.id = any($1::uuid[]))
           select r.id as payment, r.c as "createdAt", round(extract(epoch from (r.done - r.c)) * 1000) as total,
                  round(extract(epoch from (r.received_at - r.c)) * 1000) as received,
                  round(extract(epoch from (r.created_at - r.c)) * 1000) as "runCreated",
                  round(extract(epoch from (r.started_at - r.c)) * 1000) as "runStarted",
                  (select string_agg(s.name || ' ' || round(extract(epoch from (a.ended_at - r.c)) * 1000) || ' ' || a.outcome, ', ' order by a.id)
                     from inngest_engine.attempts a join inngest_engine.steps s on s.run_id = a.run_id and s.step_id = a.step_id
                    where a.run_id = r.run_id) as steps
             from r order by total desc limit 5`,
          [rtpIds],
        );
        for (const row of traced) log(`  slowest: ${JSON.stringify(row)}`);
      }
    }

    // Burst: payments committed at once (domain function, as if the API had just taken them),
    // their settlement requests sent to the engine together. Twice, half the payments each: first
    // with nobody using the portal (the engine's own rate, all its workers calling), then with one
    // client reading me.get non-stop (portal reads while it works; the engine yields to them).
    let portalDuringBurst: BenchReport['portalDuringBurst'] = null;
    if (runs('burst')) {
      const readers = data.renters;
      const baseUrl = app.baseUrl;
      /** Commits `count` RTP payments, sends their events, and returns once all settled: the rate, and the reader's figures when `read`. */
      const settleBurst = async (count: number, read: boolean) => {
        const burst = await inParallel(Array.from({ length: count }), 8, async () => {
          const { renter, installmentId } = take();
          const { result } = await createPayment(prisma, { id: renter.id, role: 'RENTER' }, { installmentId, fromAccountId: renter.accountId, rail: 'RTP' }, null);
          return { renter, id: result.id };
        });
        let settledAll = false;
        const burstStart = Date.now();
        const sendEvents = (async () => {
          for (let i = 0; i < burst.length; i += 100) {
            const batch = burst.slice(i, i + 100).map((payment) => ({ id: `payment-created-${payment.id}`, name: 'payment/created', data: { paymentId: payment.id } }));
            const response = await fetch(`${engineUrl}/e/${keys.eventKey}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(batch) });
            if (!response.ok) failures.push(`the engine refused the burst's events: ${response.status}`);
          }
        })();
        const watcher = (async () => {
          await sendEvents;
          await drain(db, 'the burst');
          settledAll = true;
        })();
        let turn = 0;
        const during = read
          ? record(
              await runLoad({
                name: 'me.get during burst',
                baseUrl,
                connections: 1,
                amount: 1_000_000,
                maxSeconds: smoke ? 120 : 900,
                next: () => ({ method: 'GET', path: trpcPath('me.get'), headers: { cookie: readers[turn++ % readers.length]!.cookie } }),
                until: () => settledAll,
              }),
              results,
            )
          : null;
        await watcher;
        const { rows: burstRows } = await db.query<{ first: Date; last: Date; n: number }>(
          `select min(completed_at) as first, max(completed_at) as last, count(*)::int as n from (${completedSql}) c`,
          [burst.map((payment) => payment.id)],
        );
        const burstSeconds = (burstRows[0]!.last.getTime() - burstStart) / 1000;
        const settledPerSecond = Math.round((burstRows[0]!.n / burstSeconds) * 10) / 10;
        if (burstRows[0]!.n !== burst.length) failures.push(`${burst.length - burstRows[0]!.n} burst payments did not complete`);
        results.push({
          name: read ? 'engine: burst settled, one client reading' : 'engine: burst settled, portal idle',
          connections: 64,
          requests: burstRows[0]!.n,
          seconds: Math.round(burstSeconds * 100) / 100,
          throughput: settledPerSecond,
          p50: NaN,
          p95: NaN,
          p99: NaN,
          errors: burst.length - burstRows[0]!.n,
          loadAverage: Math.round(os.loadavg()[0]! * 100) / 100,
          note: `${burst.length} RTP payments from the first event sent to the last settled${read ? ', me.get read non-stop meanwhile' : ''}; ratio against pgbench at 64`,
        });
        log(`engine settled ${burstRows[0]!.n} payments in ${burstSeconds.toFixed(1)} s = ${settledPerSecond}/s${during ? `; me.get p95 during it ${during.p95} ms (idle ${idleP95['me.get'] ?? '–'} ms)` : ' (nobody reading)'}`);
        return during;
      };
      const alone = Math.ceil(COUNTS.burst / 2);
      await settleBurst(alone, false);
      log(`  engine idle ${(await engineIdle(db, 'the first burst', dispatch)).toFixed(1)} s later`);
      const during = (await settleBurst(COUNTS.burst - alone, true))!;
      const idle = idleP95['me.get'];
      portalDuringBurst = { idleP95: idle ?? NaN, duringP95: during.p95, factor: idle ? Math.round((during.p95 / idle) * 100) / 100 : NaN };
    }

    // Checks: every payment reached exactly one terminal state; every chain verifies.
    const verification = await verify(db, prisma);
    failures.push(...verification.problems);

    for (const result of results) {
      const tps = pgbenchTps[result.connections]?.tps;
      if (tps && Number.isFinite(result.throughput)) result.ratioToPgbench = Math.round((result.throughput / tps) * 1000) / 1000;
    }
    report = {
      date: started.toISOString(),
      label: values.label || undefined,
      mode: smoke ? 'smoke' : recorded ? 'full' : 'partial',
      only,
      countsScale: scale === 1 ? undefined : scale,
      machine: { ...machine(), postgres: database.serverVersion, pgbench: pgbenchVersion(pgbench), loadAverageAtStart: os.loadavg().map((n) => Math.round(n * 100) / 100) },
      settings: { SETTLEMENT_TIME_SCALE: TIME_SCALE, BANK_SUCCESS_RATE: '1', pgbenchScale: COUNTS.pgbenchScale, pgbenchSeconds: COUNTS.pgbenchSeconds, database: process.env.DATABASE_URL ? 'DATABASE_URL' : 'embedded' },
      pgbench: pgbenchTps,
      phases: results,
      portalDuringBurst,
      verification: { payments: verification.payments, chains: verification.chains, ok: verification.problems.length === 0 },
      failures,
    };
  } finally {
    await app?.stop().catch(() => undefined);
    await db.end();
    const { disconnectDb } = await import('@/server/db');
    await disconnectDb();
    await database.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }

  const table = renderTable(report!);
  console.log(`\n${table}`);
  if (recorded && failures.length === 0) {
    fs.mkdirSync('bench/results', { recursive: true });
    const file = path.join('bench/results', `${stamp}.json`);
    fs.writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
    fs.writeFileSync(file.replace(/\.json$/, '.md'), `${table}\n`);
    updateBenchmarksFile('BENCHMARKS.md', table);
    log(`results in ${file}; BENCHMARKS.md "Latest full run" updated`);
  }
  if (failures.length) {
    for (const failure of failures) console.error(`[bench] FAILED: ${failure}`);
    process.exit(1);
  }
  log('every request answered 2xx; every payment reached exactly one terminal state; every event chain verifies');
}

async function countPayments(db: pg.Pool): Promise<number> {
  return (await db.query<{ n: number }>('select count(*)::int as n from "Payment"')).rows[0]!.n;
}

async function verify(db: pg.Pool, prisma: (typeof import('@/server/db'))['db']): Promise<{ payments: number; chains: number; problems: string[] }> {
  const problems: string[] = [];
  const { rows: states } = await db.query<{ status: string; n: number }>('select status, count(*)::int as n from "Payment" group by status');
  const payments = states.reduce((sum, row) => sum + row.n, 0);
  for (const row of states) if (!['COMPLETED', 'FAILED', 'CANCELLED', 'RETURNED'].includes(row.status)) problems.push(`${row.n} payments ended ${row.status}`);
  const { rows: terminal } = await db.query<{ n: number }>(
    `select count(*)::int as n from "Payment" p
      where (select count(*) from "Event" e where e."aggregateType" = 'Payment' and e."aggregateId" = p.id and e.type in ('payment.completed', 'payment.failed', 'payment.cancelled')) <> 1`,
  );
  if (terminal[0]!.n) problems.push(`${terminal[0]!.n} payments do not have exactly one terminal event`);
  const { rows: aggregates } = await db.query<{ aggregateType: string; aggregateId: string }>('select distinct "aggregateType", "aggregateId" from "Event"');
  const { verifyChain } = await import('@/server/domain/events');
  let broken = 0;
  await inParallel(aggregates, 4, async (aggregate) => {
    const result = await verifyChain(prisma, aggregate.aggregateType as never, aggregate.aggregateId);
    if (!result.ok) {
      broken++;
      if (broken <= 5) problems.push(`${aggregate.aggregateType} ${aggregate.aggregateId}: chain broken at ${result.brokenAt} (${result.reason})`);
    }
  });
  if (broken > 5) problems.push(`${broken} event chains do not verify`);
  const { rows: runs } = await db.query<{ status: string; n: number }>(
    `select status, count(*)::int as n from inngest_engine.runs where function_id = 'directpay-settle-payment' group by status`,
  );
  for (const row of runs) if (row.status !== 'completed') problems.push(`${row.n} settlement runs ended ${row.status}`);
  log(`verified: ${payments} payments, each with one terminal state; ${aggregates.length} event chains`);
  return { payments, chains: aggregates.length, problems };
}

try {
  await main();
  process.exit(0);
} catch (error) {
  for (const failure of failures) console.error(`[bench] FAILED: ${failure}`);
  console.error(`[bench] FAILED: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exit(1);
}
