// A database that stops answering (frozen, or the network to it cut) is not noticed by TCP: a
// statement on an open connection would wait as long as the freeze. withAnswerDeadline
// (server/db.ts) ends such a connection. Here the "server" is the test database behind a TCP relay
// that can be frozen: it holds what either side sends until thawed.
import net from 'node:net';
import pg from 'pg';
import { PrismaPg } from '@prisma/adapter-pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { isDatabaseUnavailable } from '@/server/db-errors';
import { PrismaClient } from '@/server/generated/prisma/client';
import { testDatabaseUrl } from '@/server/testing/database';

const { withAnswerDeadline } = await import('@/server/db');

interface Relay {
  url: string;
  freeze(): void;
  thaw(): void;
  close(): Promise<void>;
}

async function relayTo(target: URL): Promise<Relay> {
  let frozen = false;
  const held: (() => void)[] = [];
  const sockets = new Set<net.Socket>();
  const forward = (from: net.Socket, to: net.Socket) => {
    from.on('data', (chunk) => (frozen ? held.push(() => to.write(chunk)) : to.write(chunk)));
    from.on('close', () => to.destroy());
    from.on('error', () => to.destroy());
  };
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(target.port), target.hostname);
    sockets.add(client).add(upstream);
    forward(client, upstream);
    forward(upstream, client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = new URL(target);
  url.hostname = '127.0.0.1';
  url.port = String((server.address() as net.AddressInfo).port);
  return {
    url: url.toString(),
    freeze: () => void (frozen = true),
    thaw: () => {
      frozen = false;
      for (const send of held.splice(0)) send();
    },
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

const DEADLINE_MS = 1_000;
let relay: Relay;
const owner = new pg.Client({ connectionString: testDatabaseUrl });

beforeAll(async () => {
  relay = await relayTo(new URL(testDatabaseUrl));
  await owner.connect();
  await owner.query('create table if not exists deadline_probe (n int)');
});
afterEach(() => relay.thaw());
afterAll(async () => {
  await owner.query('drop table if exists deadline_probe');
  await owner.end();
  await relay.close();
});

/** Runs `body` with a pool of at most one connection to `url` under the deadline, ended after. */
async function withBoundedPool<T>(url: string, body: (pool: pg.Pool) => Promise<T>): Promise<T> {
  const pool = withAnswerDeadline(new pg.Pool({ connectionString: url, max: 1 }), DEADLINE_MS);
  try {
    return await body(pool);
  } finally {
    await pool.end();
  }
}

const backendPid = async (queryable: pg.Pool | pg.PoolClient) => (await queryable.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]!.pid;

describe('a database that stops answering', () => {
  it('fails the waiting statement as an outage after the deadline, and the pool opens a new connection once it answers again', async () => {
    await withBoundedPool(relay.url, async (pool) => {
      const before = await backendPid(pool);
      relay.freeze();
      const error = await pool.query('select 1').catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(Error);
      expect((error as Error).message).toMatch(/Connection terminated: the database sent nothing for 1000 ms/);
      expect(isDatabaseUnavailable(error)).toBe(true);
      relay.thaw();
      expect(await backendPid(pool)).not.toBe(before);
    });
  });

  it('leaves a connection idle in the pool alone, however long it idles', async () => {
    await withBoundedPool(testDatabaseUrl, async (pool) => {
      const client = await pool.connect();
      const pid = await backendPid(client);
      const socket = (client as unknown as { connection: { stream: net.Socket } }).connection.stream;
      const idled = new Promise((resolve) => socket.once('timeout', resolve));
      client.release();
      await idled; // the deadline passed while nothing was waiting
      expect(await backendPid(pool)).toBe(pid);
    });
  });

  it('counts no time the app itself stood still: an answer that came meanwhile is read, not cut off (found by a stranger: a paused app failed a committed request)', async () => {
    // Straight to the database: the relay runs on this thread and would stall with it.
    await withBoundedPool(testDatabaseUrl, async (pool) => {
      const client = await pool.connect();
      try {
        const answer = client.query<{ one: number }>('select 1 as one');
        // The app stalls past the deadline (its event loop blocked) while the answer arrives.
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, DEADLINE_MS * 1.5);
        expect((await answer).rows).toEqual([{ one: 1 }]);
      } finally {
        client.release();
      }
    });
  });

  it('ends a transaction cut off so: its writes never land (through Prisma, as the app runs it)', async () => {
    const prisma = new PrismaClient({ adapter: new PrismaPg(withAnswerDeadline(new pg.Pool({ connectionString: relay.url, max: 2 }), DEADLINE_MS), { disposeExternalPool: true }) });
    try {
      const outcome = await prisma
        .$transaction(async (tx) => {
          await tx.$executeRawUnsafe('insert into deadline_probe values (1)');
          relay.freeze();
          await tx.$executeRawUnsafe('insert into deadline_probe values (2)');
        })
        .catch((caught: unknown) => caught);
      expect(isDatabaseUnavailable(outcome)).toBe(true);
      relay.thaw();
      // The server ends the session once it sees the connection gone, rolling the transaction back.
      await expect.poll(async () => (await owner.query("select count(*)::int as n from pg_stat_activity where state like 'idle in transaction%' and query like '%deadline_probe%'")).rows[0].n, { timeout: 10_000 }).toBe(0);
      expect((await owner.query('select count(*)::int as n from deadline_probe')).rows[0].n).toBe(0);
      expect(await prisma.$queryRawUnsafe('select 1 as one')).toEqual([{ one: 1 }]);
    } finally {
      await prisma.$disconnect();
    }
  });
});
