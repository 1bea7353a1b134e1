// npx tsx --conditions=react-server scripts/audit-export-memory.ts [--events 1000000] [--foreign 100000]
// Measures the audit export's memory on a large history (README "Audit and exports"): on a
// throwaway embedded PostgreSQL it signs up a landlord with 100 properties (through the
// domain), then, as the OWNER role, appends `--events` hash-chained events to those
// properties' chains (interleaved, as real traffic is) and `--foreign` to another landlord's;
// prints the plans (EXPLAIN ANALYZE) of the landlord's audit.events page and of an export
// batch; then downloads /api/export/events.csv and events.jsonl as the landlord through the
// real route handler, reading the stream to the end, sampling RSS and heap every 20 ms, and
// checks with the offline verifier's chain check that every row links to the one before.
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { migrateAll } from './lib/migrate-all';
import { ensureAppRole, ensureDatabase, startEmbeddedPostgres } from './lib/postgres';
import { csvRecords } from './lib/csv-records';

const { values } = parseArgs({ options: { events: { type: 'string', default: '1000000' }, foreign: { type: 'string', default: '100000' } } });
const EVENTS = Number(values.events);
const FOREIGN = Number(values.foreign);
const PROPERTIES = 100;

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

const server = await startEmbeddedPostgres({ dir: path.join(os.tmpdir(), `directpay-audit-memory-${process.pid}`), persistent: false });
try {
  const adminUrl = server.url('postgres');
  await ensureAppRole(adminUrl, server.appRole);
  await ensureDatabase(adminUrl, 'audit_memory');
  const ownerUrl = server.url('audit_memory');
  await migrateAll(ownerUrl, undefined, { appRole: server.appRole.user });
  Object.assign(process.env, {
    DATABASE_URL: server.appUrl('audit_memory'),
    NEXTAUTH_SECRET: 'memory-secret-memory-secret-memory-secret-0123',
    NEXTAUTH_URL: 'http://localhost:3000',
    ACCOUNT_TOKEN_SECRET: 'memory-account-token-secret-0123456789abcdef',
    INNGEST_SIGNING_KEY: `signkey-test-${'0'.repeat(64)}`,
    INNGEST_EVENT_KEY: 'f'.repeat(64),
    LOG_LEVEL: 'error',
  });
  const { db, disconnectDb } = await import('@/server/db');
  const { signUp } = await import('@/server/domain/users');
  const { createProperty } = await import('@/server/domain/properties');
  const { eventHash, toJsonValue, ChainFollower } = await import('@/server/domain/events');
  const { eventPageSql } = await import('@/server/domain/audit');
  const { encode } = await import('next-auth/jwt');
  const { startSession } = await import('@/server/domain/sessions');
  const { GET } = await import('@/app/api/export/[file]/route');

  // ---- the history ----
  async function landlordWithProperties(count: number) {
    const user = await signUp(db, { name: 'Lana Memory', email: `memory-${randomUUID()}@example.com`, password: 'correct horse battery staple', role: 'LANDLORD' });
    const properties = [];
    for (let i = 0; i < count; i += 1) {
      properties.push(await db.$transaction((tx) => createProperty(tx, { id: user.id, role: 'LANDLORD' }, { name: `Block ${i}`, line1: `${i} Main St`, line2: null, city: 'Springfield', state: 'IL', postalCode: '62704' })));
    }
    return { user, properties };
  }
  const landlord = await landlordWithProperties(PROPERTIES);
  const other = await landlordWithProperties(10);

  const owner = new pg.Client({ connectionString: ownerUrl });
  await owner.connect();
  owner.on('error', () => undefined);
  const started = Date.now();
  async function appendSynthetic(owner: pg.Client, who: typeof landlord, total: number) {
    const heads = new Map<string, { sequence: number; hash: string }>();
    for (const row of (await owner.query(`SELECT "aggregateId", sequence, hash FROM "Event" WHERE "aggregateType" = 'Property' AND "aggregateId" = ANY($1::uuid[])`, [who.properties.map((p) => p.id)])).rows) {
      heads.set(row.aggregateId, { sequence: row.sequence, hash: row.hash });
    }
    const base = Date.now() - total;
    const BATCH = 5_000;
    for (let offset = 0; offset < total; offset += BATCH) {
      const columns: unknown[][] = Array.from({ length: 10 }, () => []);
      for (let i = offset; i < Math.min(total, offset + BATCH); i += 1) {
        const property = who.properties[i % who.properties.length]!;
        const head = heads.get(property.id)!;
        // A property snapshot as property.updated records it (the name changes each time).
        const data = toJsonValue({ ...property, name: `Block ${i}`, landlordId: who.user.id, createdAt: new Date(base).toISOString() });
        const content = {
          aggregateType: 'Property',
          aggregateId: property.id,
          sequence: head.sequence + 1,
          type: 'property.updated',
          actorId: who.user.id,
          actorRole: 'LANDLORD',
          reason: null,
          data,
          createdAt: new Date(base + i),
          prevHash: head.hash,
        };
        const hash = eventHash(content);
        heads.set(property.id, { sequence: content.sequence, hash });
        const fields = [content.aggregateId, content.sequence, content.type, content.actorId, content.actorRole, JSON.stringify(data), content.createdAt.toISOString(), content.prevHash, hash];
        fields.forEach((value, index) => columns[index]!.push(value));
      }
      await owner.query(
        `INSERT INTO "Event" ("aggregateType", "aggregateId", sequence, type, "actorId", "actorRole", data, "createdAt", "prevHash", hash)
         SELECT 'Property', a, s, t, actor, role, d::jsonb, c, p, h
         FROM unnest($1::uuid[], $2::int[], $3::text[], $4::uuid[], $5::text[], $6::text[], $7::timestamptz[], $8::text[], $9::text[]) AS x(a, s, t, actor, role, d, c, p, h)`,
        columns.slice(0, 9),
      );
    }
  }
  // A synthetic history spread over the past is what the database refuses from any writer
  // (20261202010000_history_dated_when_written); the owner lifts that one rule while it loads.
  await owner.query('ALTER TABLE "Event" DISABLE TRIGGER "Event_follows_its_chain"');
  await appendSynthetic(owner, landlord, EVENTS);
  await appendSynthetic(owner, other, FOREIGN);
  await owner.query('ALTER TABLE "Event" ENABLE TRIGGER "Event_follows_its_chain"');
  await owner.query('ANALYZE "Event"');
  const { rows: [{ count }] } = await owner.query('SELECT count(*)::int AS count FROM "Event"');
  console.log(`history: ${count} events (${EVENTS} on the landlord's ${PROPERTIES} property chains, ${FOREIGN} another landlord's), inserted in ${((Date.now() - started) / 1000).toFixed(0)} s`);

  // ---- the plans ----
  const actor = { id: landlord.user.id, role: 'LANDLORD' as const, operator: false };
  async function explain(title: string, sql: { text: string; values: unknown[] }) {
    const values = sql.values.map((value) => (typeof value === 'bigint' ? value.toString() : value));
    const { rows } = await owner.query(`EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) ${sql.text}`, values);
    console.log(`\n${title}\n${rows.map((row) => `  ${row['QUERY PLAN']}`).join('\n')}`);
  }
  const { rows: [{ mid }] } = await owner.query('SELECT (max(id) / 2)::text AS mid FROM "Event"');
  await explain("audit.events, the landlord's first page (newest first, 51 rows), aggregate by aggregate (the landlord has <= 2,000 aggregates)", eventPageSql(actor, {}, { limit: 51, order: 'desc', strategy: 'probe' }));
  await explain("the same page walking the primary key (what a landlord with more than 2,000 aggregates gets)", eventPageSql(actor, {}, { limit: 51, order: 'desc', strategy: 'scan' }));
  await explain("the other landlord's first page, aggregate by aggregate", eventPageSql({ ...actor, id: other.user.id }, {}, { limit: 51, order: 'desc', strategy: 'probe' }));
  await explain('an export batch half-way through (1,000 rows after a cursor; exports always walk the primary key)', eventPageSql(actor, {}, { cursor: BigInt(mid), upTo: BigInt(count) + 1000n, limit: 1000, order: 'asc', strategy: 'scan' }));
  await explain('audit.events filtered by type, as an operator', eventPageSql({ ...actor, operator: true }, { type: 'property.created' }, { limit: 51, order: 'desc', strategy: 'scan' }));
  await owner.end();

  // ---- the export ----
  const sid = await startSession(db, landlord.user.id);
  const cookie = `next-auth.session-token=${await encode({ token: { sub: landlord.user.id, email: landlord.user.email, name: landlord.user.name, role: 'LANDLORD', sid }, secret: process.env.NEXTAUTH_SECRET! })}`;
  async function measure(file: string) {
    global.gc?.();
    const baseline = process.memoryUsage();
    let peakRss = baseline.rss;
    let peakHeap = baseline.heapUsed;
    const sampler = setInterval(() => {
      const now = process.memoryUsage();
      peakRss = Math.max(peakRss, now.rss);
      peakHeap = Math.max(peakHeap, now.heapUsed);
    }, 20);
    const t0 = Date.now();
    const response = await GET(new Request(`http://localhost:3000/api/export/${file}`, { headers: { cookie } }), { params: Promise.resolve({ file }) });
    let bytes = 0;
    const follower = new ChainFollower();
    const decoder = new TextDecoder();
    async function* text() {
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        bytes += chunk.byteLength;
        yield decoder.decode(chunk, { stream: true });
      }
    }
    const link = (record: Record<string, unknown>) => ({
      aggregateType: String(record.aggregateType),
      aggregateId: String(record.aggregateId),
      sequence: Number(record.sequence),
      type: String(record.type),
      actorId: (record.actorId || null) as string | null,
      actorRole: String(record.actorRole),
      reason: (record.reason || null) as string | null,
      data: typeof record.data === 'string' ? JSON.parse(record.data) : record.data,
      createdAt: new Date(String(record.createdAt)),
      prevHash: (record.prevHash || null) as string | null,
      hash: String(record.hash),
    });
    if (file.endsWith('.csv')) {
      for await (const record of csvRecords(text())) follower.add(link(record));
    } else {
      let rest = '';
      for await (const piece of text()) {
        const lines = (rest + piece).split('\n');
        rest = lines.pop()!;
        for (const line of lines) follower.add(link(JSON.parse(line)));
      }
    }
    clearInterval(sampler);
    const seconds = (Date.now() - t0) / 1000;
    console.log(
      `\n${file}: status ${response.status}, ${follower.events} rows in ${follower.chains} chains (${follower.broken.length} broken), ${mb(bytes)} in ${seconds.toFixed(0)} s (${Math.round(follower.events / seconds)} rows/s)` +
        `\n  RSS ${mb(baseline.rss)} before → peak ${mb(peakRss)} (+${mb(peakRss - baseline.rss)}); heap used ${mb(baseline.heapUsed)} before → peak ${mb(peakHeap)} (+${mb(peakHeap - baseline.heapUsed)})`,
    );
  }
  await measure('events.csv');
  await measure('events.jsonl');
  await disconnectDb();
} catch (error) {
  console.error(error);
  process.exitCode = 1;
} finally {
  await server.stop();
}
